package io.sluice.change;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/**
 * A column value as the text canal writes for it (its {@code FlatMessage} values), also the stable text that
 * key-hash partitioning hashes.
 *
 * <ul>
 *   <li>numbers in plain decimal (DECIMAL keeps its scale; BIGINT UNSIGNED never negative; BIT as its unsigned value)</li>
 *   <li>DATETIME/TIMESTAMP {@code yyyy-MM-dd HH:mm:ss} plus as many fraction digits as the column declares;
 *       TIMESTAMP in the given zone (the source server's time_zone, so readers see what the source shows)</li>
 *   <li>DATE {@code yyyy-MM-dd}, TIME {@code [-]HH:mm:ss[.f]} (hours may exceed 24), YEAR four digits, zero dates
 *       {@code 0000-00-00[ 00:00:00]}</li>
 *   <li>ENUM as its 1-based index, SET as its bitmask (what the binlog carries and canal writes)</li>
 *   <li>bytes (BINARY, VARBINARY, BLOB, spatial) one char per byte (ISO-8859-1), so readers get the bytes back</li>
 * </ul>
 */
final class CanalValueText {

    private CanalValueText() {
    }

    static String of(Object v, MySqlType type, ZoneId timestampZone) {
        if (v == null) {
            return null;
        }
        if (v instanceof ZeroDate) {
            return type.base().equals("date") ? "0000-00-00" : "0000-00-00 00:00:00" + DateTimeText.fraction(0, type.fsp());
        }
        if (type.isEnum()) {
            return String.valueOf(type.values().indexOf((String) v) + 1);
        }
        if (type.isSet()) {
            return setBitmask((String) v, type.values()).toString();
        }
        if (v instanceof LocalDateTime t) {
            return DateTimeText.sql(t, type.fsp());
        }
        if (v instanceof Instant i) {
            return of(LocalDateTime.ofInstant(i, timestampZone), type, timestampZone);
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof Duration d) {
            return DateTimeText.time(d, type.fsp());
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Long l && type.base().equals("bit")) {
            return Long.toUnsignedString(l);
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        return v.toString(); // Long, BigInteger, Integer (YEAR), Float, Double, String
    }

    /** Bit i set for the i-th declared value present: what MySQL stores for a SET. */
    static BigInteger setBitmask(String labels, List<String> declared) {
        BigInteger mask = BigInteger.ZERO;
        if (!labels.isEmpty()) {
            for (String label : Arrays.asList(labels.split(",", -1))) {
                int i = declared.indexOf(label);
                if (i >= 0) {
                    mask = mask.setBit(i);
                }
            }
        }
        return mask;
    }
}
