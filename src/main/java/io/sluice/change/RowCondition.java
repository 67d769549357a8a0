package io.sluice.change;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row filter condition (DTS's "Filter Conditions"): a SQL WHERE condition over one table's columns, parsed with
 * JSqlParser and evaluated in Java over a row image with MySQL's semantics, so that a binlog change is kept exactly
 * when the database, filtering the full load with the same condition, would have returned the row.
 *
 * <p>Supported: comparisons ({@code = <> != < <= > >=}), {@code AND}, {@code OR}, {@code NOT}, parentheses,
 * {@code [NOT] IN (...)}, {@code [NOT] BETWEEN}, {@code [NOT] LIKE} (with {@code ESCAPE}), {@code IS [NOT] NULL}, and
 * as operands columns, numbers, {@code 'strings'} (MySQL's {@code "strings"} too), {@code NULL}, {@code TRUE},
 * {@code FALSE} and date literals ({@code DATE '2024-01-01'}, {@code TIMESTAMP '...'}, {@code TIME '...'}). Anything
 * else (functions, arithmetic, subqueries) is refused by {@link #parse}.
 *
 * <p>Semantics: three-valued logic; a comparison with NULL is unknown and an unknown condition does not keep the
 * row. A number compared with a string compares as numbers (the string's numeric prefix, as MySQL does); a date,
 * datetime or time column compared with a string parses the string as one; strings compare case-insensitively and
 * ignoring trailing spaces, as MySQL's default {@code _ci} collations do. TIMESTAMP values are compared in UTC.
 */
public final class RowCondition {

    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-M-d[[ ]['T']H:m[:s]]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0).parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0).toFormatter(Locale.ROOT);
    private static final Pattern TIME = Pattern.compile("(-)?(\\d+):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,9}))?)?");
    private static final Pattern NUMERIC_PREFIX = Pattern.compile("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final String text;
    private final Expression expression;
    private final Set<String> columns;

    private RowCondition(String text, Expression expression, Set<String> columns) {
        this.text = text;
        this.expression = expression;
        this.columns = columns;
    }

    /**
     * Parses {@code condition}, a WHERE condition over the columns of table {@code table}; throws
     * IllegalArgumentException saying what is wrong (syntax, or the construct that is not supported).
     */
    public static RowCondition parse(String table, String condition) {
        if (condition == null || condition.isBlank()) {
            throw new IllegalArgumentException("the condition is empty");
        }
        Expression e;
        try {
            e = CCJSqlParserUtil.parseCondExpression(condition, false);
        } catch (JSQLParserException | RuntimeException ex) {
            String why = ex.getCause() != null && ex.getCause().getMessage() != null ? ex.getCause().getMessage()
                    : String.valueOf(ex.getMessage());
            throw new IllegalArgumentException("it is not a valid SQL condition: " + why.lines().findFirst().orElse(why));
        }
        Set<String> columns = new LinkedHashSet<>();
        check(e, table, columns);
        return new RowCondition(condition, e, columns);
    }

    /** The condition as written. */
    public String text() {
        return text;
    }

    /** The columns it reads, lower case. */
    public Set<String> columns() {
        return columns;
    }

    /** Whether {@code row} (column name -> value, as in {@link ChangeEvent}) satisfies the condition (unknown: no). */
    public boolean matches(Map<String, Object> row) {
        return row != null && Boolean.TRUE.equals(truth(eval(expression, row)));
    }

    private static void check(Expression e, String table, Set<String> columns) {
        if (e instanceof AndExpression || e instanceof OrExpression || e instanceof ComparisonOperator) {
            var b = (net.sf.jsqlparser.expression.BinaryExpression) e;
            if (e instanceof ComparisonOperator && !isComparison(e)) {
                throw unsupported(e, "only = <> != < <= > >= compare");
            }
            check(b.getLeftExpression(), table, columns);
            check(b.getRightExpression(), table, columns);
        } else if (e instanceof NotExpression n) {
            check(n.getExpression(), table, columns);
        } else if (e instanceof Parenthesis p) {
            check(p.getExpression(), table, columns);
        } else if (e instanceof ExpressionList<?> list) {
            if (list.size() != 1) {
                throw unsupported(e, "a list of values is only allowed after IN");
            }
            check(list.get(0), table, columns);
        } else if (e instanceof InExpression in) {
            if (!(in.getRightExpression() instanceof ExpressionList<?> values) || in.isGlobal()) {
                throw unsupported(e, "IN takes a list of values, e.g. status IN ('a', 'b')");
            }
            check(in.getLeftExpression(), table, columns);
            for (Expression v : values) {
                check(v, table, columns);
            }
        } else if (e instanceof Between b) {
            check(b.getLeftExpression(), table, columns);
            check(b.getBetweenExpressionStart(), table, columns);
            check(b.getBetweenExpressionEnd(), table, columns);
        } else if (e instanceof LikeExpression like) {
            if (like.getLikeKeyWord() != LikeExpression.KeyWord.LIKE || like.isUseBinary()) {
                throw unsupported(e, "only LIKE matches patterns (not " + like.getLikeKeyWord() + ")");
            }
            if (like.getEscape() != null && !(like.getEscape() instanceof StringValue s && s.getValue().length() == 1)) {
                throw unsupported(e, "ESCAPE takes one character, e.g. ESCAPE '!'");
            }
            check(like.getLeftExpression(), table, columns);
            check(like.getRightExpression(), table, columns);
        } else if (e instanceof IsNullExpression n) {
            check(n.getLeftExpression(), table, columns);
        } else if (e instanceof SignedExpression s) {
            check(s.getExpression(), table, columns);
        } else if (e instanceof Column c) {
            if (literal(c) == null) {
                if (c.getTable() != null && c.getTable().getName() != null
                        && !unquote(c.getTable().getName()).equalsIgnoreCase(table)) {
                    throw unsupported(e, "a column is named by itself or as " + table + ".<column>");
                }
                columns.add(unquote(c.getColumnName()).toLowerCase(Locale.ROOT));
            }
        } else if (e instanceof CastExpression c) {
            if (dateLiteralType(c) == null) {
                throw unsupported(e, "CAST is not supported; date literals are DATE '...', TIMESTAMP '...', TIME '...'");
            }
        } else if (!(e instanceof LongValue || e instanceof DoubleValue || e instanceof StringValue
                || e instanceof NullValue || e instanceof BooleanValue || e instanceof DateValue
                || e instanceof TimestampValue || e instanceof TimeValue || e instanceof DateTimeLiteralExpression)) {
            throw unsupported(e, "functions, arithmetic and subqueries are not supported");
        }
    }

    private static boolean isComparison(Expression e) {
        return e instanceof EqualsTo || e instanceof NotEqualsTo || e instanceof GreaterThan
                || e instanceof GreaterThanEquals || e instanceof MinorThan || e instanceof MinorThanEquals;
    }

    private static IllegalArgumentException unsupported(Expression e, String hint) {
        return new IllegalArgumentException("'" + e + "' is not supported (" + hint + "); supported: comparisons "
                + "(= <> != < <= > >=), AND, OR, NOT, parentheses, IN (...), BETWEEN, LIKE, IS [NOT] NULL over columns "
                + "and literals");
    }

    private static String unquote(String name) {
        if (name.length() >= 2 && name.charAt(0) == '`' && name.charAt(name.length() - 1) == '`') {
            return name.substring(1, name.length() - 1).replace("``", "`");
        }
        return name;
    }

    /**
     * What a "column" JSqlParser reads is in MySQL: a {@code "double-quoted"} string (MySQL's default SQL mode), or
     * {@code TRUE}/{@code FALSE}; null for a real column.
     */
    private static Object literal(Column c) {
        String name = c.getColumnName();
        if (c.getTable() == null || c.getTable().getName() == null) {
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                return name.substring(1, name.length() - 1).replace("\"\"", "\"");
            }
            if (name.equalsIgnoreCase("true")) {
                return BigDecimal.ONE;
            }
            if (name.equalsIgnoreCase("false")) {
                return BigDecimal.ZERO;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- evaluation (null = SQL NULL / unknown)

    private static Object eval(Expression e, Map<String, Object> row) {
        if (e instanceof AndExpression || e instanceof OrExpression) {
            // three-valued: FALSE decides an AND, TRUE an OR; otherwise unknown if either side is
            Boolean decisive = e instanceof OrExpression;
            var b = (net.sf.jsqlparser.expression.BinaryExpression) e;
            Boolean l = truth(eval(b.getLeftExpression(), row));
            if (decisive.equals(l)) {
                return decisive;
            }
            Boolean r = truth(eval(b.getRightExpression(), row));
            return decisive.equals(r) ? decisive : l == null || r == null ? null : !decisive;
        }
        if (e instanceof NotExpression n) {
            return not(truth(eval(n.getExpression(), row)));
        }
        if (e instanceof Parenthesis p) {
            return eval(p.getExpression(), row);
        }
        if (e instanceof ExpressionList<?> list) {
            return eval(list.get(0), row);
        }
        if (e instanceof ComparisonOperator c) {
            Integer cmp = compare(eval(c.getLeftExpression(), row), eval(c.getRightExpression(), row));
            if (cmp == null) {
                return null;
            }
            return e instanceof EqualsTo ? cmp == 0 : e instanceof NotEqualsTo ? cmp != 0
                    : e instanceof GreaterThan ? cmp > 0 : e instanceof GreaterThanEquals ? cmp >= 0
                    : e instanceof MinorThan ? cmp < 0 : cmp <= 0;
        }
        if (e instanceof InExpression in) {
            return in.isNot() ? not(in(in, row)) : in(in, row);
        }
        if (e instanceof Between b) {
            Object v = eval(b.getLeftExpression(), row);
            Integer lo = compare(v, eval(b.getBetweenExpressionStart(), row));
            Integer hi = compare(v, eval(b.getBetweenExpressionEnd(), row));
            Boolean r = (lo != null && lo < 0) || (hi != null && hi > 0) ? Boolean.FALSE
                    : lo == null || hi == null ? null : Boolean.TRUE;
            return b.isNot() ? not(r) : r;
        }
        if (e instanceof LikeExpression like) {
            Object v = eval(like.getLeftExpression(), row);
            Object p = eval(like.getRightExpression(), row);
            if (v == null || p == null) {
                return null;
            }
            char escape = like.getEscape() instanceof StringValue s ? s.getValue().charAt(0) : '\\';
            boolean m = likePattern(text(p), escape).matcher(text(v, declaredFsp(like.getLeftExpression(), row))).matches();
            return like.isNot() != m;
        }
        if (e instanceof IsNullExpression n) {
            boolean isNull = eval(n.getLeftExpression(), row) == null;
            return n.isNot() != isNull;
        }
        if (e instanceof SignedExpression s) {
            Object v = eval(s.getExpression(), row);
            if (v == null || s.getSign() == '+') {
                return v;
            }
            BigDecimal d = number(v);
            return d == null ? null : d.negate();
        }
        if (e instanceof Column c) {
            Object lit = literal(c);
            return lit != null ? lit : value(row, unquote(c.getColumnName()));
        }
        return literalValue(e);
    }

    private static Boolean in(InExpression in, Map<String, Object> row) {
        Object v = eval(in.getLeftExpression(), row);
        if (v == null) {
            return null;
        }
        boolean unknown = false;
        for (Expression x : (ExpressionList<?>) in.getRightExpression()) {
            Integer cmp = compare(v, eval(x, row));
            if (cmp == null) {
                unknown = true;
            } else if (cmp == 0) {
                return true;
            }
        }
        return unknown ? null : Boolean.FALSE;
    }

    private static Object literalValue(Expression e) {
        if (e instanceof LongValue l) {
            return new BigDecimal(l.getStringValue());
        }
        if (e instanceof DoubleValue d) {
            try {
                return new BigDecimal(d.toString()); // exact as written: DECIMAL columns compare without rounding
            } catch (NumberFormatException notPlain) {
                return BigDecimal.valueOf(d.getValue());
            }
        }
        if (e instanceof StringValue s) {
            return s.getValue().replace("''", "'").replace("\\'", "'");
        }
        if (e instanceof BooleanValue b) {
            return b.getValue() ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (e instanceof DateValue d) {
            return d.getValue().toLocalDate();
        }
        if (e instanceof TimestampValue t) {
            return t.getValue().toLocalDateTime();
        }
        if (e instanceof TimeValue t) {
            return time(t.getValue().toString());
        }
        if (e instanceof DateTimeLiteralExpression d) {
            return dateLiteral(d.getType().name(), d.getValue().replaceAll("^'|'$", ""));
        }
        if (e instanceof CastExpression c) {
            return dateLiteral(dateLiteralType(c), ((StringValue) c.getLeftExpression()).getValue());
        }
        return null; // NULL
    }

    /** The type of a {@code DATE '...'}, {@code TIMESTAMP '...'}, {@code TIME '...'} literal; null for other casts. */
    private static String dateLiteralType(CastExpression c) {
        String type = c.getColDataType() == null ? "" : c.getColDataType().getDataType().toUpperCase(Locale.ROOT);
        return c.isImplicitCast() && c.getLeftExpression() instanceof StringValue
                && List.of("DATE", "TIME", "TIMESTAMP", "DATETIME").contains(type) ? type : null;
    }

    private static Object dateLiteral(String type, String value) {
        return switch (type) {
            case "DATE" -> {
                LocalDateTime t = parseTemporal(value);
                yield t == null ? null : t.toLocalDate();
            }
            case "TIME" -> time(value);
            default -> parseTemporal(value);
        };
    }

    /** A column's value; a column the row lacks (dropped since) reads as NULL. */
    private static Object value(Map<String, Object> row, String column) {
        if (row.containsKey(column)) {
            return row.get(column);
        }
        for (Map.Entry<String, Object> en : row.entrySet()) {
            if (en.getKey().equalsIgnoreCase(column)) {
                return en.getValue();
            }
        }
        return null;
    }

    private static Boolean not(Boolean b) {
        return b == null ? null : !b;
    }

    /** A value as a condition: MySQL's non-zero is true. */
    private static Boolean truth(Object v) {
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        BigDecimal d = number(v);
        return d != null && d.signum() != 0;
    }

    /** MySQL's comparison of two values; null when either is NULL. */
    static Integer compare(Object a, Object b) {
        a = normalise(a);
        b = normalise(b);
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof String sa && b instanceof String sb) {
            return stripTrailing(sa).compareToIgnoreCase(stripTrailing(sb));
        }
        if (a instanceof BigDecimal || b instanceof BigDecimal) {
            BigDecimal x = number(a);
            BigDecimal y = number(b);
            return x == null || y == null ? text(a).compareTo(text(b)) : x.compareTo(y);
        }
        if (a instanceof String) {
            Integer r = compare(b, a);
            return r == null ? null : -r;
        }
        if (a instanceof Duration d) {
            Duration other = b instanceof Duration x ? x : time(text(b));
            return other == null ? text(a).compareTo(text(b)) : d.compareTo(other);
        }
        if (a instanceof LocalDate || a instanceof LocalDateTime) {
            LocalDateTime x = dateTime(a);
            LocalDateTime y = b instanceof String s ? parseTemporal(s) : dateTime(b);
            return y == null ? text(a).compareTo(text(b)) : x.compareTo(y);
        }
        return text(a).compareTo(text(b));
    }

    private static Object normalise(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (v instanceof Instant i) {
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        if (v instanceof ZeroDate) {
            return LocalDateTime.of(0, 1, 1, 0, 0);
        }
        if (v instanceof byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return v;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    /** A value as a number: strings by their numeric prefix (0 if none), as MySQL converts them. */
    private static BigDecimal number(Object v) {
        v = normalise(v);
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof String s) {
            Matcher m = NUMERIC_PREFIX.matcher(s);
            return m.find() ? new BigDecimal(m.group().strip()) : BigDecimal.ZERO;
        }
        if (v instanceof LocalDate d) {
            return BigDecimal.valueOf(d.getYear() * 10000L + d.getMonthValue() * 100L + d.getDayOfMonth());
        }
        if (v instanceof LocalDateTime t) {
            return number(t.toLocalDate()).multiply(BigDecimal.valueOf(1_000_000))
                    .add(BigDecimal.valueOf(t.getHour() * 10000L + t.getMinute() * 100L + t.getSecond()));
        }
        return null;
    }

    private static LocalDateTime dateTime(Object v) {
        return v instanceof LocalDate d ? d.atStartOfDay() : v instanceof LocalDateTime t ? t : null;
    }

    private static LocalDateTime parseTemporal(String s) {
        try {
            return LocalDateTime.parse(s.strip(), DATE_TIME);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Duration time(String s) {
        Matcher m = TIME.matcher(s.strip());
        if (!m.matches()) {
            return null;
        }
        Duration d = Duration.ofHours(Long.parseLong(m.group(2))).plusMinutes(Long.parseLong(m.group(3)))
                .plusSeconds(m.group(4) == null ? 0 : Long.parseLong(m.group(4)))
                .plusNanos(m.group(5) == null ? 0 : Long.parseLong((m.group(5) + "00000000").substring(0, 9)));
        return m.group(1) != null ? d.negated() : d;
    }

    /** A value as text, a TIME or DATETIME with the fraction digits it needs (a literal's, or a column's of unknown type). */
    private static String text(Object v) {
        return text(v, -1);
    }

    /**
     * A value as MySQL shows it as text (what LIKE matches): a TIME or DATETIME with {@code fsp} fraction digits, the
     * column's declared precision ({@code tm LIKE '%.500000'} matches a TIME(6) of half a second, as in MySQL); -1: the
     * digits the value needs.
     */
    private static String text(Object v, int fsp) {
        v = normalise(v);
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof LocalDateTime t) {
            return DateTimeText.sql(t, fsp >= 0 ? fsp : DateTimeText.fractionDigits(t.getNano()));
        }
        if (v instanceof Duration d) {
            return DateTimeText.time(d, fsp >= 0 ? fsp : DateTimeText.fractionDigits(d.abs().getNano()));
        }
        return String.valueOf(v);
    }

    /** The declared fraction digits of a column operand, when the row knows its columns' types; else -1. */
    private static int declaredFsp(Expression e, Map<String, Object> row) {
        if (e instanceof Column c && row instanceof RowImage image) {
            String name = unquote(c.getColumnName());
            for (ChangeColumn column : image.columns()) {
                if (column.name().equalsIgnoreCase(name)) {
                    return column.type().fsp();
                }
            }
        }
        return -1;
    }

    private static Pattern likePattern(String pattern, char escape) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == escape && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (ch == '%') {
                re.append(".*");
            } else if (ch == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    @Override
    public String toString() {
        return text;
    }

}
