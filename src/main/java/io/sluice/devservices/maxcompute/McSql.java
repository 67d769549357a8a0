package io.sluice.devservices.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.type.CharTypeInfo;
import com.aliyun.odps.type.DecimalTypeInfo;
import com.aliyun.odps.type.TypeInfo;
import com.aliyun.odps.type.TypeInfoParser;
import com.aliyun.odps.type.VarcharTypeInfo;
import io.sluice.devservices.maxcompute.McCatalog.McTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL the local server runs: just the statements Sluice issues. {@code CREATE TABLE [IF NOT EXISTS]} with
 * {@code PARTITIONED BY} and {@code LIFECYCLE}, {@code ALTER TABLE .. ADD COLUMNS [IF NOT EXISTS] (..)},
 * {@code ALTER TABLE .. ADD [IF NOT EXISTS] PARTITION (..)}, {@code ALTER TABLE .. CHANGE [COLUMN] a RENAME TO b},
 * {@code TRUNCATE TABLE} (non-partitioned), {@code DROP TABLE [IF EXISTS]}, and {@code SET k=v}
 * (ignored). Anything else fails the instance with a MaxCompute-style error text, as an unsupported statement
 * would fail on the real service. Type names are parsed by the SDK's own {@link TypeInfoParser}, and the limits
 * MaxCompute enforces (DECIMAL precision 1-38 and scale 0-18, VARCHAR 1-65535, CHAR 1-255) are enforced here.
 */
final class McSql {

    private final McCatalog catalog;

    McSql(McCatalog catalog) {
        this.catalog = catalog;
    }

    /** Runs a script of ;-separated statements in the given project; throws {@link SqlFailure} on the first error. */
    void run(String project, String script) {
        for (List<String> statement : split(tokenize(script))) {
            execute(project, new Cursor(statement));
        }
    }

    static final class SqlFailure extends RuntimeException {
        SqlFailure(String message) {
            super(message);
        }
    }

    private void execute(String project, Cursor c) {
        String first = c.next();
        switch (first.toUpperCase(Locale.ROOT)) {
            case "SET" -> { } // session flags such as odps.sql.allow.fullscan: accepted, nothing to do
            case "CREATE" -> {
                c.expect("TABLE");
                createTable(project, c);
            }
            case "ALTER" -> {
                c.expect("TABLE");
                alterTable(project, c);
            }
            case "TRUNCATE" -> {
                c.expect("TABLE");
                String[] name = c.qualifiedName(project);
                McTable table = catalog.table(name[0], name[1]);
                if (table == null) {
                    throw notFound(name);
                }
                if (table.partitioned()) {
                    throw new SqlFailure("ODPS-0130071:Semantic analysis exception - TRUNCATE TABLE takes a "
                            + "non-partitioned table; " + name[0] + "." + name[1] + " is partitioned");
                }
                table.truncate();
            }
            case "DROP" -> {
                c.expect("TABLE");
                boolean ifExists = c.accept("IF") && c.expect("EXISTS");
                String[] name = c.qualifiedName(project);
                if (!catalog.drop(name[0], name[1]) && !ifExists) {
                    throw notFound(name);
                }
            }
            default -> throw new SqlFailure("ODPS-0130161:[1,1] Parse exception - the local MaxCompute server does not "
                    + "support the statement starting with '" + first + "'");
        }
    }

    private void createTable(String project, Cursor c) {
        boolean ifNotExists = c.accept("IF") && c.expect("NOT") && c.expect("EXISTS");
        String[] name = c.qualifiedName(project);
        if (!catalog.hasProject(name[0])) {
            throw new SqlFailure("ODPS-0130131:Project not found - '" + name[0] + "'");
        }
        McTable table = new McTable(name[0], name[1]);
        table.columns.addAll(columnList(c));
        if (c.accept("PARTITIONED")) {
            c.expect("BY");
            table.partitionColumns.addAll(columnList(c));
        }
        while (c.hasNext()) {
            String word = c.next();
            if (word.equalsIgnoreCase("LIFECYCLE")) {
                c.next();
            } else if (word.equalsIgnoreCase("COMMENT")) {
                c.next();
            } else {
                throw new SqlFailure("ODPS-0130161:Parse exception - unexpected '" + word + "' in CREATE TABLE");
            }
        }
        List<String> seen = new ArrayList<>();
        for (Column col : concat(table.columns, table.partitionColumns)) {
            if (seen.contains(col.getName())) {
                throw new SqlFailure("ODPS-0130071:Semantic analysis exception - column " + col.getName()
                        + " duplicated in table " + name[0] + "." + name[1]);
            }
            seen.add(col.getName());
        }
        if (!catalog.create(table) && !ifNotExists) {
            throw new SqlFailure("ODPS-0130071:Semantic analysis exception - Table or view already exists - '"
                    + name[0] + "." + name[1] + "'");
        }
    }

    private void alterTable(String project, Cursor c) {
        String[] name = c.qualifiedName(project);
        McTable table = catalog.table(name[0], name[1]);
        if (table == null) {
            throw notFound(name);
        }
        if (c.accept("CHANGE")) {
            renameColumn(table, name, c);
            return;
        }
        c.expect("ADD");
        if (c.accept("COLUMNS")) {
            boolean ifNotExists = c.accept("IF") && c.expect("NOT") && c.expect("EXISTS");
            List<Column> added = columnList(c);
            synchronized (table) {
                List<Column> toAdd = new ArrayList<>();
                for (Column col : added) {
                    boolean exists = concat(table.columns, table.partitionColumns).stream()
                            .anyMatch(e -> e.getName().equals(col.getName()));
                    if (exists && !ifNotExists) {
                        throw new SqlFailure("ODPS-0130071:Semantic analysis exception - column " + col.getName()
                                + " already exists in table " + name[0] + "." + name[1]);
                    }
                    if (!exists) {
                        toAdd.add(col);
                    }
                }
                table.columns.addAll(toAdd);
                table.lastModifiedSeconds = System.currentTimeMillis() / 1000;
            }
            return;
        }
        boolean ifNotExists = c.accept("IF") && c.expect("NOT") && c.expect("EXISTS");
        if (!table.partitioned()) {
            throw new SqlFailure("ODPS-0130071:Semantic analysis exception - table " + name[0] + "." + name[1]
                    + " is not partitioned");
        }
        while (c.accept("PARTITION")) {
            c.expect("(");
            StringBuilder spec = new StringBuilder();
            while (!c.peekIs(")")) {
                String key = unquote(c.next());
                c.expect("=");
                String value = unquote(c.next());
                spec.append(spec.length() == 0 ? "" : ",").append(key).append('=').append(value);
                c.accept(",");
            }
            c.expect(")");
            String key = table.partitionKey(spec.toString());
            if (key == null) {
                throw new SqlFailure("ODPS-0130071:Semantic analysis exception - partition spec (" + spec
                        + ") does not match the partition columns of " + name[0] + "." + name[1]);
            }
            synchronized (table) {
                if (table.rows.containsKey(key) && !ifNotExists) {
                    throw new SqlFailure("ODPS-0130071:Semantic analysis exception - partition " + spec
                            + " already exists");
                }
                table.rows.putIfAbsent(key, new ArrayList<>());
            }
        }
        if (c.hasNext()) {
            throw new SqlFailure("ODPS-0130161:Parse exception - unexpected '" + c.next() + "' in ALTER TABLE");
        }
    }

    /** {@code ALTER TABLE t CHANGE [COLUMN] old RENAME TO new}: the data stays, the column's name changes. */
    private static void renameColumn(McTable table, String[] name, Cursor c) {
        c.accept("COLUMN");
        String old = unquote(c.next());
        c.expect("RENAME");
        c.expect("TO");
        String renamed = unquote(c.next());
        if (c.hasNext()) {
            throw new SqlFailure("ODPS-0130161:Parse exception - the local MaxCompute server changes only column names "
                    + "(CHANGE COLUMN old RENAME TO new), not '" + c.next() + "'");
        }
        synchronized (table) {
            int i = indexOf(table.columns, old);
            if (i < 0) {
                throw new SqlFailure("ODPS-0130071:Semantic analysis exception - column " + old + " cannot be resolved "
                        + "in table " + name[0] + "." + name[1]);
            }
            if (indexOf(concat(table.columns, table.partitionColumns), renamed) >= 0) {
                throw new SqlFailure("ODPS-0130071:Semantic analysis exception - column " + renamed
                        + " already exists in table " + name[0] + "." + name[1]);
            }
            table.columns.set(i, new Column(renamed, table.columns.get(i).getTypeInfo()));
            table.lastModifiedSeconds = System.currentTimeMillis() / 1000;
        }
    }

    private static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).getName().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static List<Column> concat(List<Column> a, List<Column> b) {
        List<Column> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static SqlFailure notFound(String[] name) {
        return new SqlFailure("ODPS-0130131:Table not found - '" + name[0] + "." + name[1] + "'");
    }

    /** {@code (name type [NOT NULL] [COMMENT 'x'], ...)} */
    private static List<Column> columnList(Cursor c) {
        c.expect("(");
        List<Column> columns = new ArrayList<>();
        while (true) {
            String name = unquote(c.next()).toLowerCase(Locale.ROOT);
            StringBuilder type = new StringBuilder();
            int depth = 0;
            while (c.hasNext()) {
                String t = c.peek();
                if (depth == 0 && (t.equals(",") || t.equals(")") || t.equalsIgnoreCase("NOT")
                        || t.equalsIgnoreCase("NULL") || t.equalsIgnoreCase("COMMENT"))) {
                    break;
                }
                if (t.equals("(") || t.equals("<")) {
                    depth++;
                } else if (t.equals(")") || t.equals(">")) {
                    depth--;
                }
                type.append(c.next());
            }
            boolean nullable = true;
            String comment = null;
            while (!c.peekIs(",") && !c.peekIs(")")) {
                String word = c.next();
                if (word.equalsIgnoreCase("NOT")) {
                    c.expect("NULL");
                    nullable = false;
                } else if (word.equalsIgnoreCase("COMMENT")) {
                    comment = unquote(c.next());
                } else if (!word.equalsIgnoreCase("NULL")) {
                    throw new SqlFailure("ODPS-0130161:Parse exception - unexpected '" + word + "' after column "
                            + name);
                }
            }
            Column column = new Column(name, typeOf(type.toString()), comment);
            column.setNullable(nullable);
            columns.add(column);
            if (c.accept(")")) {
                return columns;
            }
            c.expect(",");
        }
    }

    static TypeInfo typeOf(String text) {
        TypeInfo type;
        try {
            type = TypeInfoParser.getTypeInfoFromTypeString(text.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new SqlFailure("ODPS-0130161:Parse exception - invalid type '" + text + "': " + e.getMessage());
        }
        if (type instanceof DecimalTypeInfo d && (d.getPrecision() > 38 || d.getScale() > 18)) {
            throw new SqlFailure("ODPS-0130161:Parse exception - decimal(" + d.getPrecision() + "," + d.getScale()
                    + "): precision must be within [1,38] and scale within [0,18]");
        }
        if (type instanceof VarcharTypeInfo v && (v.getLength() < 1 || v.getLength() > 65535)) {
            throw new SqlFailure("ODPS-0130161:Parse exception - varchar length must be within [1,65535]");
        }
        if (type instanceof CharTypeInfo ch && (ch.getLength() < 1 || ch.getLength() > 255)) {
            throw new SqlFailure("ODPS-0130161:Parse exception - char length must be within [1,255]");
        }
        return type;
    }

    private static String unquote(String token) {
        if (token.length() >= 2 && (token.startsWith("`") && token.endsWith("`")
                || token.startsWith("'") && token.endsWith("'") || token.startsWith("\"") && token.endsWith("\""))) {
            return token.substring(1, token.length() - 1).replace("\\'", "'");
        }
        return token;
    }

    private static List<String> tokenize(String sql) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char ch = sql.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                while (i < sql.length() && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (ch == '`' || ch == '\'' || ch == '"') {
                int end = i + 1;
                while (end < sql.length() && sql.charAt(end) != ch) {
                    end += sql.charAt(end) == '\\' ? 2 : 1;
                }
                tokens.add(sql.substring(i, Math.min(end + 1, sql.length())));
                i = end + 1;
            } else if ("(),;=<>.:".indexOf(ch) >= 0) {
                tokens.add(String.valueOf(ch));
                i++;
            } else {
                int end = i;
                while (end < sql.length() && !Character.isWhitespace(sql.charAt(end))
                        && "(),;=<>`'\".:".indexOf(sql.charAt(end)) < 0) {
                    end++;
                }
                tokens.add(sql.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }

    private static List<List<String>> split(List<String> tokens) {
        List<List<String>> statements = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String t : tokens) {
            if (t.equals(";")) {
                if (!current.isEmpty()) {
                    statements.add(current);
                }
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        if (!current.isEmpty()) {
            statements.add(current);
        }
        return statements;
    }

    private static final class Cursor {
        private final List<String> tokens;
        private int pos;

        Cursor(List<String> tokens) {
            this.tokens = tokens;
        }

        boolean hasNext() {
            return pos < tokens.size();
        }

        String peek() {
            return hasNext() ? tokens.get(pos) : "";
        }

        boolean peekIs(String word) {
            return peek().equalsIgnoreCase(word);
        }

        String next() {
            if (!hasNext()) {
                throw new SqlFailure("ODPS-0130161:Parse exception - unexpected end of statement");
            }
            return tokens.get(pos++);
        }

        boolean accept(String word) {
            if (peekIs(word)) {
                pos++;
                return true;
            }
            return false;
        }

        boolean expect(String word) {
            String t = next();
            if (!t.equalsIgnoreCase(word)) {
                throw new SqlFailure("ODPS-0130161:Parse exception - expected '" + word + "' but found '" + t + "'");
            }
            return true;
        }

        /** {@code [project.]table}, backticks optional; returns {project, table} in lower case. */
        String[] qualifiedName(String defaultProject) {
            String first = unquote(next());
            if (accept(".")) {
                return new String[] {first.toLowerCase(Locale.ROOT), unquote(next()).toLowerCase(Locale.ROOT)};
            }
            return new String[] {defaultProject.toLowerCase(Locale.ROOT), first.toLowerCase(Locale.ROOT)};
        }
    }
}
