package io.sluice.binlog;

import io.sluice.change.MySqlType;
import io.sluice.change.SchemaChange;
import io.sluice.change.SchemaChange.Action;
import io.sluice.change.SchemaChange.ColumnChange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a DDL statement of the binlog into a {@link SchemaChange}, once, for every sink (the MaxCompute sink applies
 * it): {@code CREATE TABLE} (columns and primary key, as {@code SHOW CREATE TABLE}
 * prints it) and the column clauses of {@code ALTER TABLE}: {@code ADD [COLUMN] [IF NOT EXISTS] c type ...}
 * ({@code FIRST}/{@code AFTER x} ignored: the column is appended), {@code RENAME COLUMN a TO b},
 * {@code CHANGE [COLUMN] a b type ...}, {@code MODIFY [COLUMN] a type ...} and {@code DROP [COLUMN] a}, several
 * comma-separated clauses allowed. Every other clause is reported back as skipped. Column types are read by
 * {@link MySqlType#parse}.
 */
final class MySqlDdl {

    private static final Pattern ALTER = Pattern.compile(
            "^\\s*ALTER\\s+(?:ONLINE\\s+|IGNORE\\s+)*TABLE\\s+(?:IF\\s+EXISTS\\s+)?(\\S+)\\s+(.*?);?\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    /** A column name, plain or back-quoted; a column type as the DDL declares it (without attributes). */
    private static final String NAME = "(`(?:[^`]|``)+`|[\\w$]+)";
    private static final String TYPE = "([a-z]+(?:\\s*\\((?:'(?:[^']|'')*'|[^)'])*\\))?(?:\\s+(?:unsigned|signed|zerofill))*)";
    private static final Pattern ADD = Pattern.compile("^ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?" + NAME
            + "\\s+" + TYPE, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern RENAME = Pattern.compile("^RENAME\\s+COLUMN\\s+" + NAME + "\\s+TO\\s+" + NAME + "\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern CHANGE = Pattern.compile("^CHANGE\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?" + NAME
            + "\\s+" + NAME + "\\s+" + TYPE, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern MODIFY = Pattern.compile("^MODIFY\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?" + NAME
            + "\\s+" + TYPE, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern DROP = Pattern.compile("^DROP\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?" + NAME
            + "\\s*(?:RESTRICT|CASCADE)?\\s*$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern DROP_NOT_A_COLUMN = Pattern.compile(
            "^DROP\\s+(?:INDEX|KEY|PRIMARY|FOREIGN|CONSTRAINT|CHECK|PARTITION|SYSTEM|PERIOD)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern NOT_A_COLUMN = Pattern.compile(
            "^ADD\\s+(?:\\(|INDEX\\b|KEY\\b|UNIQUE\\b|PRIMARY\\b|CONSTRAINT\\b|FULLTEXT\\b|SPATIAL\\b|FOREIGN\\b"
                    + "|PARTITION\\b|CHECK\\b|PERIOD\\b|SYSTEM\\b)", Pattern.CASE_INSENSITIVE);

    private static final Pattern CREATE = Pattern.compile(
            "^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\S+?)\\s*\\((.*)\\)[^)]*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern COLUMN = Pattern.compile("^" + NAME + "\\s+" + TYPE,
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern NOT_A_COLUMN_DEFINITION = Pattern.compile(
            "^(?:INDEX|KEY|UNIQUE|PRIMARY|CONSTRAINT|FULLTEXT|SPATIAL|FOREIGN|CHECK|PERIOD)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern PRIMARY_KEY = Pattern.compile(
            "^(?:CONSTRAINT\\s+\\S+\\s+)?PRIMARY\\s+KEY\\s*(?:USING\\s+\\w+\\s*)?\\((.*)\\)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /**
     * What the statement does to its table's columns: a CREATE TABLE's columns and key, or an ALTER TABLE's column
     * clauses (perhaps none) and the clauses skipped; null for any other statement (CREATE TABLE ... LIKE / AS SELECT
     * too, and a CREATE TABLE with a column type that cannot be read: the table is then created from its first row).
     */
    static SchemaChange read(String ddl) {
        Optional<SchemaChange> created;
        try {
            created = parseCreate(ddl);
        } catch (IllegalArgumentException typeNotRead) {
            return null;
        }
        return created.orElseGet(() -> parse(ddl));
    }

    /** A CREATE TABLE's columns and key (as {@code SHOW CREATE TABLE} prints it); empty for any other statement. */
    static Optional<SchemaChange> parseCreate(String ddl) {
        Matcher create = CREATE.matcher(ddl == null ? "" : ddl);
        if (!create.matches()) {
            return Optional.empty();
        }
        List<SchemaChange.Column> columns = new ArrayList<>();
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
                columns.add(new SchemaChange.Column(unquote(column.group(1)), type(column.group(2))));
                if (clause.matches("(?is).*\\bPRIMARY\\s+KEY\\b.*")) {
                    key.add(unquote(column.group(1)));
                }
            }
        }
        return columns.isEmpty() ? Optional.empty() : Optional.of(SchemaChange.createTable(columns, key));
    }

    private static String unquote(String name) {
        return name.startsWith("`") ? name.substring(1, name.length() - 1).replace("``", "`") : name;
    }

    private MySqlDdl() {
    }

    /** An ALTER TABLE's column clauses in order and the clauses skipped; null for any other statement. */
    static SchemaChange parse(String ddl) {
        Matcher alter = ALTER.matcher(ddl == null ? "" : ddl);
        if (!alter.matches()) {
            return null;
        }
        List<ColumnChange> changes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String clause : topLevelClauses(alter.group(2))) {
            ColumnChange change;
            try {
                change = columnChange(clause);
            } catch (IllegalArgumentException typeNotRead) {
                change = null; // reported as skipped: a row carrying the column adds it
            }
            if (change != null) {
                changes.add(change);
            } else {
                skipped.add(clause);
            }
        }
        return SchemaChange.alterTable(changes, skipped);
    }

    private static ColumnChange columnChange(String clause) {
        Matcher add = ADD.matcher(clause);
        if (!NOT_A_COLUMN.matcher(clause).find() && add.find()) {
            return add.group(2).equalsIgnoreCase("column") ? null
                    : new ColumnChange(Action.ADD, unquote(add.group(1)), unquote(add.group(1)), type(add.group(2)), clause);
        }
        Matcher m = RENAME.matcher(clause);
        if (m.find()) {
            return new ColumnChange(Action.RENAME, unquote(m.group(1)), unquote(m.group(2)), null, clause);
        }
        m = CHANGE.matcher(clause);
        if (m.find()) {
            return new ColumnChange(Action.CHANGE, unquote(m.group(1)), unquote(m.group(2)), type(m.group(3)), clause);
        }
        m = MODIFY.matcher(clause);
        if (m.find()) {
            return new ColumnChange(Action.MODIFY, unquote(m.group(1)), unquote(m.group(1)), type(m.group(2)), clause);
        }
        m = DROP.matcher(clause);
        if (!DROP_NOT_A_COLUMN.matcher(clause).find() && m.find()) {
            return new ColumnChange(Action.DROP, unquote(m.group(1)), null, null, clause);
        }
        return null;
    }

    private static MySqlType type(String declared) {
        return MySqlType.parse(declared);
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
