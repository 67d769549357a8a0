package io.sluice.change;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.sql.Types;
import java.time.Clock;
import java.time.ZoneId;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Canal JSON: a change event as the {@code FlatMessage} canal writes to Kafka ({@code reference/kafka-formats.md}),
 * field for field: keys in alphabetical order, every key present (null included), every value a string.
 *
 * <p>A message carries the rows of one binlog rows event ({@link #encodeRows}), as canal writes them; the sink decides
 * which rows go together (per rows event and destination partition, {@code ChangeKafkaProducer}).
 */
public final class CanalJsonEncoder implements ChangeEncoder {

    /**
     * Strings escaped as canal's fastjson2 escapes them, so the bytes are canal's: a character outside the Basic
     * Multilingual Plane (emoji) as its 4-byte UTF-8, where Jackson writes a pair of escaped surrogates
     * (<code>&#92;uD83D&#92;uDE00</code>) by default, and control characters as lower-case <code>&#92;u000b</code>,
     * where Jackson writes <code>&#92;u000B</code>. Both are
     * generator features: no work per character beyond Jackson's own.
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();
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

    /**
     * The Kafka record value for {@code event}; {@code batchId} is canal's {@code id}, shared by one batch. Written
     * with Jackson's streaming generator straight to bytes, the keys in the order canal's fastjson2 writes them
     * (alphabetical), every key present: the same bytes as serialising a FlatMessage of maps, without the maps.
     * Safe to call from several threads at once.
     */
    @Override
    public byte[] encode(ChangeEvent event, long batchId) {
        return encodeRows(List.of(event), batchId);
    }

    /**
     * One message for several row changes of one binlog rows event (same table and operation), as canal writes them:
     * {@code data} (and {@code old} for updates) lists the rows in order; {@code sqlType}, where an unsigned value
     * decides it, follows the last row (canal's map is overwritten row by row). A DDL event is always alone.
     */
    @Override
    public byte[] encodeRows(List<ChangeEvent> rows, long batchId) {
        ChangeEvent first = rows.get(0);
        Output out = OUTPUT.get();
        try {
            write(out.generator, rows, batchId);
            out.generator.flush();
        } catch (IOException e) {
            OUTPUT.remove(); // the generator may be mid-message: the next message gets a new one
            throw new IllegalStateException("cannot write Canal JSON for " + first.database() + "." + first.table(), e);
        } catch (RuntimeException e) {
            OUTPUT.remove();
            throw e;
        }
        byte[] bytes = out.buffer.toByteArray();
        out.buffer.reset();
        return bytes;
    }

    @Override
    public boolean groupsRows() {
        return true;
    }

    /**
     * A thread's generator and the buffer it writes into, reused for every message: a generator and buffer per message
     * were a third of the encoding's allocation. Messages are root values written one after another with no separator
     * between them; each is taken out of the buffer when it is complete.
     */
    private static final class Output {
        final ByteArrayBuilder buffer = new ByteArrayBuilder(4096);
        final JsonGenerator generator;

        Output() {
            try {
                generator = JSON.createGenerator(buffer, JsonEncoding.UTF8);
            } catch (IOException e) {
                throw new IllegalStateException(e); // in memory
            }
            generator.setRootValueSeparator(null);
        }
    }

    private static final ThreadLocal<Output> OUTPUT = ThreadLocal.withInitial(Output::new);

    /** The value of column {@code i}: by position when the image is aligned with the column list, else by name. */
    private static Object value(Map<String, Object> row, List<ChangeColumn> columns, int i) {
        return row instanceof RowImage image && image.columns() == columns ? image.valueAt(i) : row.get(columns.get(i).name());
    }

    private void write(JsonGenerator g, List<ChangeEvent> events, long batchId) throws IOException {
        ChangeEvent e = events.get(0);
        SourcePosition p = e.position();
        boolean rows = !e.isDdl();
        List<ChangeColumn> columns = e.columns();
        TableParts parts = tableParts(columns);
        g.writeStartObject();
        field(g, "data", rows, () -> {
            g.writeStartArray();
            for (ChangeEvent ev : events) {
                Map<String, Object> row = ev.row();
                g.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    parts.writeName(g, columns, i);
                    g.writeString(CanalValueText.of(value(row, columns, i), columns.get(i).type(), timestampZone));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
        g.writeStringField("database", e.database());
        g.writeNumberField("es", p.eventTimeMs() / 1000 * 1000);
        g.writeStringField("gtid", p.gtid() == null ? "" : p.gtid());
        g.writeNumberField("id", batchId);
        g.writeBooleanField("isDdl", !rows);
        field(g, "mysqlType", rows, () -> g.writeRawValue(parts.mysqlType));
        field(g, "old", e.operation() == Operation.UPDATE, () -> {
            g.writeStartArray();
            for (ChangeEvent ev : events) {
                g.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    Object before = value(ev.before(), columns, i);
                    if (!Objects.deepEquals(before, value(ev.after(), columns, i))) {
                        parts.writeName(g, columns, i);
                        g.writeString(CanalValueText.of(before, columns.get(i).type(), timestampZone));
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
        field(g, "pkNames", parts.pkNames != null, () -> g.writeRawValue(parts.pkNames));
        g.writeStringField("sql", rows ? "" : e.ddl());
        field(g, "sqlType", rows, () -> {
            if (parts.sqlType != null) {
                g.writeRawValue(parts.sqlType);
                return;
            }
            Map<String, Object> last = events.get(events.size() - 1).row();
            g.writeStartObject();
            for (int i = 0; i < columns.size(); i++) {
                ChangeColumn c = columns.get(i);
                parts.writeName(g, columns, i);
                g.writeNumber(sqlType(c.type(), value(last, columns, i)));
            }
            g.writeEndObject();
        });
        g.writeStringField("table", e.table());
        g.writeNumberField("ts", clock.millis());
        g.writeStringField("type", rows ? e.operation().name() : ddlType(e.ddl()));
        g.writeEndObject();
    }

    /**
     * What a column list contributes to every message of its table, written once: the JSON-escaped column names, and
     * the {@code mysqlType}, {@code pkNames} and (unless an unsigned column's type depends on its value)
     * {@code sqlType} values, which are the same for every change of the table. Writing them for every message was
     * about a third of the encoder's work (BENCHMARKS.md). Kept per list instance ({@code binlog.DebeziumChangeEvents} and
     * {@link ObjectNames} share one list per table shape), a few hundred at most.
     */
    private record TableParts(SerializedString[] names, SerializedString mysqlType, SerializedString pkNames,
                              SerializedString sqlType) {
        static TableParts of(List<ChangeColumn> columns) {
            SerializedString[] names = new SerializedString[columns.size()];
            for (int i = 0; i < names.length; i++) {
                String name = columns.get(i).name();
                names[i] = hexEscaped(name) ? null : new SerializedString(name);
            }
            boolean valueDependent = columns.stream().anyMatch(c -> c.type().unsigned());
            boolean keyed = columns.stream().anyMatch(ChangeColumn::primaryKey);
            return new TableParts(names,
                    json(g -> {
                        g.writeStartObject();
                        for (ChangeColumn c : columns) {
                            g.writeStringField(c.name(), c.mysqlType());
                        }
                        g.writeEndObject();
                    }),
                    !keyed ? null : json(g -> {
                        g.writeStartArray();
                        for (ChangeColumn c : columns) {
                            if (c.primaryKey()) {
                                g.writeString(c.name());
                            }
                        }
                        g.writeEndArray();
                    }),
                    valueDependent ? null : json(g -> {
                        g.writeStartObject();
                        for (ChangeColumn c : columns) {
                            g.writeNumberField(c.name(), CanalJsonEncoder.sqlType(c.type(), null));
                        }
                        g.writeEndObject();
                    }));
        }

        /**
         * Writes column {@code i}'s name as a field name: pre-serialised, or, for a name with a control character that
         * JSON writes as <code>&#92;u00xx</code>, through the generator, whose lower-case hex (canal's) a
         * {@code SerializedString} does not follow (it escapes with Jackson's default, upper case).
         */
        void writeName(JsonGenerator g, List<ChangeColumn> columns, int i) throws IOException {
            if (names[i] != null) {
                g.writeFieldName(names[i]);
            } else {
                g.writeFieldName(columns.get(i).name());
            }
        }

        private static boolean hexEscaped(String name) {
            for (int i = 0; i < name.length(); i++) {
                if (name.charAt(i) < 0x20) {
                    return true;
                }
            }
            return false;
        }

        private interface Writer {
            void write(JsonGenerator g) throws IOException;
        }

        private static SerializedString json(Writer writer) {
            java.io.StringWriter text = new java.io.StringWriter();
            try (JsonGenerator g = JSON.createGenerator(text)) {
                writer.write(g);
            } catch (IOException e) {
                throw new IllegalStateException(e); // in memory
            }
            return new SerializedString(text.toString());
        }
    }

    private static final int CACHED_TABLES = 512;
    private final Map<List<ChangeColumn>, TableParts> tableParts = new IdentityHashMap<>();

    private TableParts tableParts(List<ChangeColumn> columns) {
        synchronized (tableParts) {
            TableParts n = tableParts.get(columns);
            if (n == null) {
                if (tableParts.size() >= CACHED_TABLES) {
                    tableParts.clear();
                }
                n = TableParts.of(columns);
                tableParts.put(columns, n);
            }
            return n;
        }
    }

    /** One key of the message: its value as {@code value} writes it, or null when not {@code present}. */
    private static void field(JsonGenerator g, String name, boolean present, Value value) throws IOException {
        g.writeFieldName(name);
        if (present) {
            value.write();
        } else {
            g.writeNull();
        }
    }

    private interface Value {
        void write() throws IOException;
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
