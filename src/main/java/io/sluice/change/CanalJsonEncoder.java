package io.sluice.change;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigInteger;
import java.sql.Types;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Canal JSON: a change event as the {@code FlatMessage} canal writes to Kafka ({@code reference/kafka-formats.md}),
 * field for field: keys in alphabetical order, every key present (null included), every value a string.
 *
 * <p><b>One message per row change</b>, where canal puts all rows of one binlog rows-event into one message's
 * {@code data}. Debezium hands over rows one by one and its offsets move per row, so grouping them would mean holding
 * rows back across records without knowing how many belong together; per-row messages also let key-hash partitioning
 * send each row to its key's partition, which canal itself achieves by splitting its messages by key
 * ({@code partitionHash}). Readers take {@code data} as a list of any length, so both shapes parse the same.
 */
public final class CanalJsonEncoder implements ChangeEncoder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Map.Entry<Pattern, String>> DDL_TYPES = List.of(
            Map.entry(Pattern.compile("^CREATE\\s+(TEMPORARY\\s+)?TABLE\\b"), "CREATE"),
            Map.entry(Pattern.compile("^ALTER\\s+(ONLINE\\s+|IGNORE\\s+)*TABLE\\b"), "ALTER"),
            Map.entry(Pattern.compile("^DROP\\s+(TEMPORARY\\s+)?TABLE\\b"), "ERASE"),
            Map.entry(Pattern.compile("^TRUNCATE\\b"), "TRUNCATE"),
            Map.entry(Pattern.compile("^RENAME\\s+TABLE\\b"), "RENAME"),
            Map.entry(Pattern.compile("^CREATE\\s+(UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX\\b"), "CINDEX"),
            Map.entry(Pattern.compile("^DROP\\s+INDEX\\b"), "DINDEX"));
    private static final Pattern LEADING_COMMENTS = Pattern.compile("^(\\s|/\\*.*?\\*/|--[^\\n]*\\n|#[^\\n]*\\n)+", Pattern.DOTALL);

    private final ZoneId timestampZone;
    private final Clock clock;

    /**
     * @param timestampZone zone TIMESTAMP values are written in: the source server's time_zone, as canal (which
     *                      formats them in its own JVM's zone, set to the database's) shows them
     * @param clock         gives {@code ts}, the time the message is built
     */
    public CanalJsonEncoder(ZoneId timestampZone, Clock clock) {
        this.timestampZone = timestampZone;
        this.clock = clock;
    }

    /** The Kafka record value for {@code event}; {@code batchId} is canal's {@code id}, shared by one batch. */
    @Override
    public byte[] encode(ChangeEvent event, long batchId) {
        try {
            return JSON.writeValueAsBytes(message(event, batchId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write Canal JSON for " + event.database() + "." + event.table(), e);
        }
    }

    /** Canal's FlatMessage fields, in the order canal's fastjson2 writes them (alphabetical). */
    @JsonPropertyOrder(alphabetic = true)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record FlatMessage(List<Map<String, String>> data, String database, long es, String gtid, long id,
                       @JsonProperty("isDdl") boolean isDdl, Map<String, String> mysqlType,
                       List<Map<String, String>> old, List<String> pkNames, String sql, Map<String, Integer> sqlType,
                       String table, long ts, String type) {
    }

    FlatMessage message(ChangeEvent e, long batchId) {
        SourcePosition p = e.position();
        long es = p.eventTimeMs() / 1000 * 1000;
        String gtid = p.gtid() == null ? "" : p.gtid();
        long ts = clock.millis();
        if (e.isDdl()) {
            return new FlatMessage(null, e.database(), es, gtid, batchId, true, null, null, null, e.ddl(), null,
                    e.table(), ts, ddlType(e.ddl()));
        }
        Map<String, Object> row = e.operation() == Operation.DELETE ? e.before() : e.after();
        Map<String, String> data = new LinkedHashMap<>();
        Map<String, String> mysqlType = new LinkedHashMap<>();
        Map<String, Integer> sqlType = new LinkedHashMap<>();
        for (ChangeColumn c : e.columns()) {
            Object v = row.get(c.name());
            data.put(c.name(), ValueText.of(v, c.type(), timestampZone));
            mysqlType.put(c.name(), c.mysqlType());
            sqlType.put(c.name(), sqlType(c.type(), v));
        }
        List<Map<String, String>> old = null;
        if (e.operation() == Operation.UPDATE) {
            Map<String, String> changed = new LinkedHashMap<>();
            for (ChangeColumn c : e.columns()) {
                Object before = e.before().get(c.name());
                if (!Objects.deepEquals(before, e.after().get(c.name()))) {
                    changed.put(c.name(), ValueText.of(before, c.type(), timestampZone));
                }
            }
            old = List.of(changed);
        }
        List<String> keys = e.keyNames();
        return new FlatMessage(List.of(data), e.database(), es, gtid, batchId, false, mysqlType, old,
                keys.isEmpty() ? null : keys, "", sqlType, e.table(), ts, e.operation().name());
    }

    /** Canal's DDL kinds; statements it does not classify are QUERY. */
    static String ddlType(String sql) {
        String s = LEADING_COMMENTS.matcher(sql).replaceFirst("").toUpperCase(Locale.ROOT);
        return DDL_TYPES.stream().filter(t -> t.getKey().matcher(s).find()).map(Map.Entry::getValue).findFirst().orElse("QUERY");
    }

    /**
     * Canal's {@code sqlType}: the JDBC type, except ENUM as INTEGER (its index), SET as BIT (its bitmask), YEAR and
     * JSON as VARCHAR, TEXT as CLOB, bytes as BLOB; an unsigned value beyond the signed range moves one type up, as
     * canal does.
     */
    static int sqlType(MySqlType type, Object value) {
        int code = switch (type.base()) {
            case "enum" -> Types.INTEGER;
            case "set" -> Types.BIT;
            case "year", "json" -> Types.VARCHAR;
            default -> type.isText() ? Types.CLOB : type.isBinary() ? Types.BLOB : type.jdbcType();
        };
        if (type.unsigned() && value != null && overflowsSigned(type.base(), value)) {
            code = switch (code) {
                case Types.TINYINT -> Types.SMALLINT;
                case Types.SMALLINT -> Types.INTEGER;
                case Types.INTEGER -> type.base().equals("mediumint") ? Types.INTEGER : Types.BIGINT;
                case Types.BIGINT -> Types.DECIMAL;
                default -> code;
            };
        }
        return code;
    }

    private static boolean overflowsSigned(String base, Object value) {
        BigInteger v = value instanceof BigInteger b ? b : BigInteger.valueOf(((Number) value).longValue());
        int bits = switch (base) {
            case "tinyint" -> 8;
            case "smallint" -> 16;
            case "mediumint" -> 24;
            case "int", "integer" -> 32;
            default -> 64;
        };
        return v.bitLength() >= bits;
    }
}
