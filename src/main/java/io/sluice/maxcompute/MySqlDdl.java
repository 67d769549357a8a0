package io.sluice.maxcompute;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the DDL the MaxCompute sink applies: {@code CREATE TABLE} (columns and primary key, as {@code SHOW CREATE TABLE}
 * prints it) and {@code ALTER TABLE t ADD [COLUMN] [IF NOT EXISTS] c type ...} (several comma-separated ADD clauses
 * allowed, {@code FIRST}/{@code AFTER x} ignored: the column is appended). Every other clause of an ALTER TABLE is
 * reported back as skipped.
 */
final class MySqlDdl {

    private static final Pattern ALTER = Pattern.compile(
            "^\\s*ALTER\\s+(?:ONLINE\\s+|IGNORE\\s+)*TABLE\\s+(?:IF\\s+EXISTS\\s+)?(\\S+)\\s+(.*?);?\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ADD = Pattern.compile(
            "^ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(`(?:[^`]|``)+`|[\\w$]+)\\s+"
                    + "([a-z]+(?:\\s*\\([^)]*\\))?(?:\\s+(?:unsigned|signed|zerofill))*)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern NOT_A_COLUMN = Pattern.compile(
            "^ADD\\s+(?:\\(|INDEX\\b|KEY\\b|UNIQUE\\b|PRIMARY\\b|CONSTRAINT\\b|FULLTEXT\\b|SPATIAL\\b|FOREIGN\\b"
                    + "|PARTITION\\b|CHECK\\b|PERIOD\\b|SYSTEM\\b)", Pattern.CASE_INSENSITIVE);

    private static final Pattern CREATE = Pattern.compile(
            "^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\S+?)\\s*\\((.*)\\)[^)]*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern COLUMN = Pattern.compile(
            "^(`(?:[^`]|``)+`|[\\w$]+)\\s+([a-z]+(?:\\s*\\([^)]*\\))?(?:\\s+(?:unsigned|signed|zerofill))*)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern NOT_A_COLUMN_DEFINITION = Pattern.compile(
            "^(?:INDEX|KEY|UNIQUE|PRIMARY|CONSTRAINT|FULLTEXT|SPATIAL|FOREIGN|CHECK|PERIOD)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern PRIMARY_KEY = Pattern.compile(
            "^(?:CONSTRAINT\\s+\\S+\\s+)?PRIMARY\\s+KEY\\s*(?:USING\\s+\\w+\\s*)?\\((.*)\\)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** The columns and primary key of a {@code CREATE TABLE} statement (as {@code SHOW CREATE TABLE} prints it). */
    record Created(List<SourceColumn> columns, List<String> primaryKey) {
    }

    /** A CREATE TABLE's columns and key; empty for any other statement (CREATE TABLE ... LIKE / AS SELECT too). */
    static java.util.Optional<Created> parseCreate(String ddl) {
        Matcher create = CREATE.matcher(ddl == null ? "" : ddl);
        if (!create.matches()) {
            return java.util.Optional.empty();
        }
        List<SourceColumn> columns = new ArrayList<>();
        List<String> key = new ArrayList<>();
        for (String clause : topLevelClauses(create.group(2))) {
            Matcher pk = PRIMARY_KEY.matcher(clause);
            if (pk.find()) {
                for (String k : topLevelClauses(pk.group(1))) {
                    key.add(unquote(k.replaceAll("\\s*\\(\\d+\\)$", "").replaceAll("(?i)\\s+(ASC|DESC)$", "").trim()));
                }
                continue;
            }
            Matcher column = COLUMN.matcher(clause);
            if (!NOT_A_COLUMN_DEFINITION.matcher(clause).find() && column.find()) {
                columns.add(new SourceColumn(unquote(column.group(1)), column.group(2).replaceAll("\\s+", " ").trim()));
                if (clause.matches("(?is).*\\bPRIMARY\\s+KEY\\b.*")) {
                    key.add(unquote(column.group(1)));
                }
            }
        }
        return columns.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new Created(columns, key));
    }

    private static String unquote(String name) {
        return name.startsWith("`") ? name.substring(1, name.length() - 1).replace("``", "`") : name;
    }

    /** The columns added and the clauses skipped. {@code alterTable}: false when the statement is no ALTER TABLE. */
    record Parsed(boolean alterTable, List<SourceColumn> added, List<String> skipped) {
    }

    private MySqlDdl() {
    }

    static Parsed parse(String ddl) {
        Matcher alter = ALTER.matcher(ddl == null ? "" : ddl);
        if (!alter.matches()) {
            return new Parsed(false, List.of(), List.of());
        }
        List<SourceColumn> added = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String clause : topLevelClauses(alter.group(2))) {
            Matcher add = ADD.matcher(clause);
            if (!NOT_A_COLUMN.matcher(clause).find() && add.find()) {
                String name = add.group(1);
                if (name.startsWith("`")) {
                    name = name.substring(1, name.length() - 1).replace("``", "`");
                }
                String type = add.group(2).replaceAll("\\s+", " ").trim();
                if (!type.toLowerCase(Locale.ROOT).equals("column")) {
                    added.add(new SourceColumn(name, type));
                    continue;
                }
            }
            skipped.add(clause);
        }
        return new Parsed(true, added, skipped);
    }

    /** The comma-separated clauses, commas inside parentheses and quotes left alone. */
    private static List<String> topLevelClauses(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (start < s.length() && !s.substring(start).isBlank()) {
            out.add(s.substring(start).trim());
        }
        return out;
    }
}
