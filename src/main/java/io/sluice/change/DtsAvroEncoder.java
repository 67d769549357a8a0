package io.sluice.change;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DTS Avro: a change event as the raw Avro binary of DTS's {@code Record} schema (no schema-registry header), the
 * format the DTS subscribe SDK and DTS's consumer demos read.
 *
 * <p>Values, per column type (SQL NULL is Avro null, never {@code EmptyObject.NULL}, which the SDK rejects):
 * <table>
 *   <tr><th>MySQL</th><th>DTS value</th><th>dataTypeNumber</th></tr>
 *   <tr><td>TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT (unsigned too), BIT</td>
 *       <td>Integer{precision: display width or bits, value: decimal text}</td><td>1, 2, 9, 3, 8, 16</td></tr>
 *   <tr><td>DECIMAL</td><td>Decimal{value: plain text, precision, scale}</td><td>246</td></tr>
 *   <tr><td>FLOAT, DOUBLE</td><td>Float{value: the double MySQL shows (FLOAT 1.1 is 1.1), precision, scale}</td><td>4, 5</td></tr>
 *   <tr><td>TIMESTAMP</td><td>Timestamp{timestamp: epoch seconds, millis: microseconds}; zero: 0, 0</td><td>17</td></tr>
 *   <tr><td>DATETIME, DATE, TIME, YEAR</td><td>DateTime with the parts the type has, millis = microseconds; zero dates
 *       all parts 0; a negative TIME has its sign on its first non-zero part (the hour, else the minute, second or
 *       microseconds), as the DTS subscribe SDK reads it</td><td>18, 10, 19, 13</td></tr>
 *   <tr><td>CHAR, VARCHAR, TEXT family</td><td>Character{charset: utf8mb4, value: UTF-8 bytes}</td><td>254, 253, 249-252</td></tr>
 *   <tr><td>JSON, ENUM, SET</td><td>TextObject{type: JSON/ENUM/SET, value: the text; SET labels joined by ','}</td><td>245, 247, 248</td></tr>
 *   <tr><td>BINARY, VARBINARY, BLOB family</td><td>BinaryObject{type: BINARY/BLOB, value: the bytes}</td><td>254, 253, 249-252</td></tr>
 *   <tr><td>spatial types</td><td>BinaryGeometry{type: GEOMETRY, value: WKB}</td><td>255</td></tr>
 * </table>
 * A DDL record has {@code fields} null and the statement as the {@code afterImages} string.
 */
public final class DtsAvroEncoder implements ChangeEncoder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GenericDatumWriter<GenericRecord> WRITER = new GenericDatumWriter<>(DtsAvroSchema.RECORD);

    private final String sourceVersion;

    /** @param sourceVersion the source server's version, written to {@code source.version} (e.g. {@code 11.4.5-MariaDB}) */
    public DtsAvroEncoder(String sourceVersion) {
        this.sourceVersion = sourceVersion;
    }

    /** The Kafka record value for {@code event}; {@code id} is DTS's record id, unique and rising in the stream. */
    @Override
    public byte[] encode(ChangeEvent event, long id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            WRITER.write(record(event, id), encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    GenericRecord record(ChangeEvent e, long id) {
        SourcePosition p = e.position();
        Schema schema = DtsAvroSchema.RECORD;
        GenericRecord r = new GenericData.Record(schema);
        r.put("version", 0);
        r.put("id", id);
        r.put("sourceTimestamp", p.eventTimeMs() / 1000);
        r.put("sourcePosition", p.position() + "@" + p.binlogFileIndex());
        r.put("safeSourcePosition", p.position() + "@" + p.binlogFileIndex());
        r.put("sourceTxid", p.gtid() == null ? "" : p.gtid());
        GenericRecord source = new GenericData.Record(schema.getField("source").schema());
        source.put("sourceType", new GenericData.EnumSymbol(source.getSchema().getField("sourceType").schema(), "MySQL"));
        source.put("version", sourceVersion);
        r.put("source", source);
        r.put("operation", new GenericData.EnumSymbol(schema.getField("operation").schema(), e.operation().name()));
        r.put("objectName", e.table().isEmpty() ? escape(e.database()) : escape(e.database()) + "." + escape(e.table()));
        r.put("processTimestamps", null);
        r.put("tags", tags(e));
        if (e.isDdl()) {
            r.put("fields", null);
            r.put("beforeImages", null);
            r.put("afterImages", e.ddl());
        } else {
            Schema fieldSchema = DtsAvroSchema.type("Field");
            List<GenericRecord> fields = new ArrayList<>();
            for (ChangeColumn c : e.columns()) {
                GenericRecord f = new GenericData.Record(fieldSchema);
                f.put("name", c.name());
                f.put("dataTypeNumber", dataTypeNumber(c.type()));
                fields.add(f);
            }
            r.put("fields", fields);
            r.put("beforeImages", image(e.before(), e.columns()));
            r.put("afterImages", image(e.after(), e.columns()));
        }
        r.put("bornTimestamp", p.eventTimeMs());
        return r;
    }

    /** DTS escapes a '.' inside a database or table name so that {@code objectName} splits unambiguously. */
    static String escape(String name) {
        return name.replace(".", "\\u002E");
    }

    private static Map<String, String> tags(ChangeEvent e) {
        Map<String, String> tags = new LinkedHashMap<>();
        List<String> keys = e.keyNames();
        if (!keys.isEmpty()) {
            try {
                tags.put("pk_uk_info", JSON.writeValueAsString(Map.of("PRIMARY", keys)));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        tags.put("server_id", String.valueOf(e.position().serverId()));
        if (e.position().threadId() != null) {
            tags.put("thread_id", String.valueOf(e.position().threadId()));
        }
        tags.put("l_db_name", e.database());
        tags.put("l_tb_name", e.table());
        return tags;
    }

    private static List<Object> image(Map<String, Object> row, List<ChangeColumn> columns) {
        if (row == null) {
            return null;
        }
        List<Object> values = new ArrayList<>(columns.size());
        for (ChangeColumn c : columns) {
            values.add(value(row.get(c.name()), c.type()));
        }
        return values;
    }

    private static Object value(Object v, MySqlType type) {
        if (v == null) {
            return null;
        }
        String base = type.base();
        switch (base) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "bit":
                return record("Integer", "precision", precision(type),
                        "value", v instanceof Long l && base.equals("bit") ? Long.toUnsignedString(l) : v.toString());
            case "decimal", "numeric":
                return record("Decimal", "value", ((BigDecimal) v).toPlainString(),
                        "precision", orZero(type.length()), "scale", orZero(type.scale()));
            case "float", "double", "real":
                // FLOAT widened through its text, so 1.1 stays 1.1 rather than 1.100000023841858
                double d = v instanceof Float f ? Double.parseDouble(f.toString()) : ((Number) v).doubleValue();
                return record("Float", "value", d, "precision", orZero(type.length()), "scale", orZero(type.scale()));
            case "timestamp": {
                Instant i = v instanceof ZeroDate ? Instant.EPOCH : (Instant) v;
                return record("Timestamp", "timestamp", i.getEpochSecond(), "millis", i.getNano() / 1000);
            }
            case "datetime", "date", "time", "year":
                return dateTime(v, base);
            case "json", "enum", "set":
                return record("TextObject", "type", base.toUpperCase(), "value", v.toString());
            default:
                break;
        }
        if (type.isGeometry()) {
            return record("BinaryGeometry", "type", "GEOMETRY", "value", ByteBuffer.wrap((byte[]) v));
        }
        if (type.isBinary()) {
            return record("BinaryObject", "type", base.endsWith("blob") ? "BLOB" : "BINARY", "value", ByteBuffer.wrap((byte[]) v));
        }
        return record("Character", "charset", "utf8mb4", "value", ByteBuffer.wrap(v.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static GenericRecord dateTime(Object v, String base) {
        GenericRecord r = new GenericData.Record(DtsAvroSchema.type("DateTime"));
        if (v instanceof ZeroDate) {
            // the parts the type has, all 0: 0000-00-00 or 0000-00-00 00:00:00
            List<String> parts = base.equals("date") ? List.of("year", "month", "day")
                    : List.of("year", "month", "day", "hour", "minute", "second", "millis");
            parts.forEach(part -> r.put(part, 0));
        } else if (v instanceof LocalDateTime t) {
            r.put("year", t.getYear());
            r.put("month", t.getMonthValue());
            r.put("day", t.getDayOfMonth());
            r.put("hour", t.getHour());
            r.put("minute", t.getMinute());
            r.put("second", t.getSecond());
            r.put("millis", t.getNano() / 1000);
        } else if (v instanceof LocalDate d) {
            r.put("year", d.getYear());
            r.put("month", d.getMonthValue());
            r.put("day", d.getDayOfMonth());
        } else if (v instanceof Duration d) {
            timeParts(r, d);
        } else {
            r.put("year", ((Number) v).intValue()); // YEAR
        }
        return r;
    }

    /**
     * A TIME as DateTime parts: the magnitude in {@code hour}, {@code minute}, {@code second} and {@code millis}
     * (which holds microseconds), the sign on the first part that is not 0 (the hour, as before, or for a time above
     * -01:00:00 the minute, second or microseconds). The DTS subscribe SDK reads the sign that way: its
     * {@code DefaultValueDeserializer.deserialize(DateTime)} passes every part to the value {@code DateTime}'s setters,
     * each of which marks the value negative when its part is below 0, and {@code toJdbcString} writes the parts'
     * absolute values after a {@code -} ({@code com.aliyun.dts.subscribe.clients.record.value.DateTime} in
     * aliyun/aliyun-dts-subscribe-sdk-java, dts-new-subscribe-sdk 2.0.0). A sign only on the hour is lost when the hour
     * is 0: {@code -00:30:00.5} would read back as {@code 00:30:00.5}.
     */
    private static void timeParts(GenericRecord r, Duration d) {
        Duration abs = d.abs();
        long seconds = abs.getSeconds();
        int[] parts = {(int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60), abs.getNano() / 1000};
        if (d.isNegative()) {
            for (int i = 0; i < parts.length; i++) {
                if (parts[i] != 0) {
                    parts[i] = -parts[i];
                    break;
                }
            }
        }
        r.put("hour", parts[0]);
        r.put("minute", parts[1]);
        r.put("second", parts[2]);
        r.put("millis", parts[3]);
    }

    private static GenericRecord record(String type, Object... namesAndValues) {
        GenericRecord r = new GenericData.Record(DtsAvroSchema.type(type));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            r.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return r;
    }

    /** Integer precision: the declared display width, or BIT's number of bits, or MySQL's default width. */
    private static int precision(MySqlType type) {
        if (type.length() != null) {
            return type.length();
        }
        return switch (type.base()) {
            case "tinyint" -> 4;
            case "smallint" -> 6;
            case "mediumint" -> 9;
            case "int", "integer" -> 11;
            case "bit" -> 1;
            default -> 20;
        };
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    /** The MySQL binlog column type code (MYSQL_TYPE_*) DTS writes in {@code Field.dataTypeNumber}. */
    static int dataTypeNumber(MySqlType type) {
        return switch (type.base()) {
            case "decimal", "numeric" -> 246;
            case "tinyint" -> 1;
            case "smallint" -> 2;
            case "int", "integer" -> 3;
            case "float" -> 4;
            case "double", "real" -> 5;
            case "bigint" -> 8;
            case "mediumint" -> 9;
            case "date" -> 10;
            case "year" -> 13;
            case "bit" -> 16;
            case "timestamp" -> 17;
            case "datetime" -> 18;
            case "time" -> 19;
            case "json" -> 245;
            case "enum" -> 247;
            case "set" -> 248;
            case "tinyblob", "tinytext" -> 249;
            case "mediumblob", "mediumtext" -> 250;
            case "longblob", "longtext" -> 251;
            case "blob", "text" -> 252;
            case "varchar", "varbinary" -> 253;
            case "char", "binary" -> 254;
            default -> type.isGeometry() ? 255 : 253;
        };
    }
}
