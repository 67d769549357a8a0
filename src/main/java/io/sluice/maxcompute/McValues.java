package io.sluice.maxcompute;

import com.aliyun.odps.OdpsType;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Char;
import com.aliyun.odps.data.Varchar;
import com.aliyun.odps.type.TypeInfo;
import io.sluice.change.ZeroDate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;

/**
 * Source values (what a binlog reader produces: Number, BigDecimal, BigInteger, String, byte[], Boolean,
 * LocalDate, LocalDateTime, Instant, java.sql types, ISO strings) -> the Java classes the
 * SDK's record writer takes for each MaxCompute type. Throws IllegalArgumentException naming the value and type
 * when a value does not fit (the caller's dirty-data policy decides).
 */
final class McValues {

    private McValues() {
    }

    /**
     * MySQL's zero date ({@code 0000-00-00}, {@code 0000-00-00 00:00:00}, which only a NOT NULL column can carry: in a
     * nullable one Debezium reads it as NULL) as the first day of MaxCompute's DATE, DATETIME and TIMESTAMP ranges,
     * {@code 0001-01-01 00:00:00}: MaxCompute has no zero date, and NULL in place of a value the source column cannot
     * be NULL for would be a silent loss (the merge's result would hold NULL where MySQL shows a value). It is what
     * MySQL Connector/J reads a zero date as under {@code zeroDateTimeBehavior=ROUND}, a value far outside the dates
     * applications store (MySQL's DATE starts at 1000-01-01), so {@code = DATE '0001-01-01'} finds the zero dates.
     * A TIMESTAMP's is that instant in UTC. docs/mysql-to-maxcompute.md says so.
     */
    static final LocalDateTime ZERO_DATE = LocalDateTime.of(1, 1, 1, 0, 0);

    static Object convert(Object v, TypeInfo type, ZoneId datetimeZone) {
        if (v == null) {
            return null;
        }
        if (v instanceof ZeroDate) {
            v = type.getOdpsType() == OdpsType.TIMESTAMP ? ZERO_DATE.toInstant(ZoneOffset.UTC) : ZERO_DATE;
        }
        try {
            return switch (type.getOdpsType()) {
                // MaxCompute's BIGINT excludes -2^63 (the tunnel refuses it): that one MySQL BIGINT value is dirty
                case BIGINT -> integer(v, Long.MIN_VALUE + 1, Long.MAX_VALUE);
                case INT -> (int) integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case SMALLINT -> (short) integer(v, Short.MIN_VALUE, Short.MAX_VALUE);
                case TINYINT -> (byte) integer(v, Byte.MIN_VALUE, Byte.MAX_VALUE);
                case BOOLEAN -> v instanceof Boolean b ? b : bitSet(v);
                case FLOAT -> v instanceof Number n ? n.floatValue() : Float.parseFloat(v.toString());
                case DOUBLE -> v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
                case DECIMAL -> decimal(v);
                case STRING -> v instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : text(v);
                case VARCHAR -> new Varchar(text(v));
                case CHAR -> new Char(text(v));
                case BINARY -> new Binary(v instanceof byte[] b ? b : text(v).getBytes(StandardCharsets.UTF_8));
                case DATE -> date(v);
                case DATETIME -> localDateTime(v).atZone(datetimeZone);
                case TIMESTAMP_NTZ -> localDateTime(v);
                case TIMESTAMP -> instant(v);
                default -> throw new IllegalArgumentException("unsupported MaxCompute type");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("value " + shown(v) + " (" + v.getClass().getSimpleName()
                    + ") does not fit MaxCompute type " + type.getTypeName() + ": " + e.getMessage(), e);
        }
    }

    /** {@code v} as an integer within [min, max], or ArithmeticException. */
    private static long integer(Object v, long min, long max) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            // the common case without a BigInteger per value (a profile showed them in every column of every row)
            long l = ((Number) v).longValue();
            if (l < min || l > max) {
                throw new ArithmeticException("out of range [" + min + ", " + max + "]");
            }
            return l;
        }
        BigInteger i;
        if (v instanceof BigInteger b) {
            i = b;
        } else if (v instanceof BigDecimal d) {
            i = d.toBigIntegerExact();
        } else if (v instanceof Boolean b) {
            i = b ? BigInteger.ONE : BigInteger.ZERO;
        } else if (v instanceof byte[] bits) {
            i = new BigInteger(1, bits); // BIT(n) as big-endian bytes
        } else {
            i = new BigDecimal(v.toString().trim()).toBigIntegerExact();
        }
        if (i.compareTo(BigInteger.valueOf(min)) < 0 || i.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ArithmeticException("out of range [" + min + ", " + max + "]");
        }
        return i.longValueExact();
    }

    private static Boolean bitSet(Object v) {
        if (v instanceof byte[] bits) {
            return new BigInteger(1, bits).signum() != 0;
        }
        if (v instanceof Number n) {
            return n.longValue() != 0;
        }
        String s = v.toString().trim();
        return s.equalsIgnoreCase("true") || (!s.equalsIgnoreCase("false") && new BigDecimal(s).signum() != 0);
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (v instanceof byte[] bits) {
            return new BigDecimal(new BigInteger(1, bits));
        }
        if (v instanceof Double || v instanceof Float) {
            return BigDecimal.valueOf(((Number) v).doubleValue());
        }
        return new BigDecimal(v.toString().trim());
    }

    private static String text(Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString(); // decimal(p>38 or s>18) as its exact text
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return v.toString();
    }

    private static LocalDate date(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        return LocalDate.parse(v.toString().trim());
    }

    private static LocalDateTime localDateTime(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        return LocalDateTime.parse(v.toString().trim().replace(' ', 'T'));
    }

    private static Instant instant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (v instanceof ZonedDateTime t) {
            return t.toInstant();
        }
        if (v instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        return OffsetDateTime.parse(v.toString().trim().replace(' ', 'T')).toInstant();
    }

    private static String shown(Object v) {
        String s = v instanceof byte[] b ? "base64:" + Base64.getEncoder().encodeToString(b) : String.valueOf(v);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
