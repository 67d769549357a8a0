package io.sluice.binlog;

import io.sluice.change.ChangeColumn;
import io.sluice.change.ChangeEvent;
import io.sluice.change.MySqlType;
import io.sluice.change.Operation;
import io.sluice.change.RowImage;
import io.sluice.change.SourcePosition;
import io.sluice.change.ZeroDate;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns Debezium {@link SourceRecord}s (MySQL/MariaDB connector, configured by {@link DebeziumSettings}) into
 * {@link ChangeEvent}s: data change records into INSERT/UPDATE/DELETE (snapshot reads become INSERTs flagged as
 * snapshot), schema change records and truncate records into DDL (a CREATE or ALTER TABLE with its
 * {@link io.sluice.change.SchemaChange}, read by {@link MySqlDdl}). Heartbeats, transaction markers and tombstones
 * give nothing.
 */
public final class DebeziumChangeEvents {

    private static final String COLUMN_TYPE = "__debezium.source.column.type";
    private static final String COLUMN_LENGTH = "__debezium.source.column.length";
    private static final String COLUMN_SCALE = "__debezium.source.column.scale";

    private DebeziumChangeEvents() {
    }

    public static Optional<ChangeEvent> toChangeEvent(SourceRecord record) {
        if (!(record.value() instanceof Struct value)) {
            return Optional.empty();
        }
        Schema schema = value.schema();
        RowShape shape = cachedShape(schema, record.keySchema());
        if (shape == null && schema.field("op") != null) {
            shape = buildShape(schema, record.keySchema());
        }
        if (shape != null) {
            return rowChange(record, value, shape);
        }
        if (schema.field("ddl") != null && value.getString("ddl") != null) {
            Struct source = value.getStruct("source");
            String database = value.getString("databaseName");
            String table = source.schema().field("table") != null ? source.getString("table") : null;
            String ddl = value.getString("ddl");
            // read here, once, for every sink: a sink that follows the schema gets the columns, not the SQL text
            return Optional.of(new ChangeEvent(database == null ? "" : database, table == null ? "" : table,
                    Operation.DDL, List.of(), null, null, ddl, position(record, source), MySqlDdl.read(ddl)));
        }
        return Optional.empty();
    }

    private static Optional<ChangeEvent> rowChange(SourceRecord record, Struct value, RowShape shape) {
        Struct source = (Struct) value.get(shape.source());
        Operation op = switch ((String) value.get(shape.op())) {
            case "c", "r" -> Operation.INSERT;
            case "u" -> Operation.UPDATE;
            case "d" -> Operation.DELETE;
            case "t" -> Operation.DDL;
            default -> null; // "m" (logical decoding message) is no row change
        };
        if (op == null) {
            return Optional.empty();
        }
        if (op == Operation.DDL) {
            // Debezium reports TRUNCATE as an operation, not as a schema change, and without the statement's text
            String db = source.getString("db");
            String table = source.getString("table");
            return Optional.of(new ChangeEvent(db, table, op, List.of(), null, null,
                    "TRUNCATE TABLE `" + db.replace("`", "``") + "`.`" + table.replace("`", "``") + "`", position(record, source)));
        }
        Struct before = (Struct) value.get(shape.before());
        Struct after = (Struct) value.get(shape.after());
        return Optional.of(new ChangeEvent(source.getString("db"), source.getString("table"), op, shape.columns(),
                row(before, shape), row(after, shape), null, position(record, source)));
    }

    /**
     * The shape of a change envelope's schema (its row's columns, fields and value kinds, and the envelope's own
     * fields), built once per schema: Debezium reuses one (immutable) Connect schema for every change of a table until
     * its structure changes, and parsing the declared types of every column of every change cost about a tenth of the
     * MySQL -> Kafka link's thread (BENCHMARKS.md); reading the envelope's fields by name (a hash lookup and a type check
     * each) was among the per-change lookups that took a fifth of it (BENCHMARKS.md "Session 8"). Looked up by
     * identity ({@link #cachedShape}); a new schema (after a DDL, or a restart) is a new entry, and the cache is emptied
     * when it grows past {@value #CACHED_SCHEMAS}.
     */
    private static RowShape buildShape(Schema envelope, Schema keySchema) {
        Set<String> keyNames = keySchema == null || keySchema.type() != Schema.Type.STRUCT ? Set.of()
                : keySchema.fields().stream().map(Field::name).collect(Collectors.toSet());
        Schema rowSchema = envelope.field("after").schema();
        List<ChangeColumn> columns = new ArrayList<>();
        for (Field f : rowSchema.fields()) {
            columns.add(new ChangeColumn(f.name(), typeOf(f.schema()), keyNames.contains(f.name()), f.schema().isOptional()));
        }
        List<Field> fields = rowSchema.fields();
        ValueKind[] kinds = new ValueKind[fields.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = ValueKind.of(fields.get(i).schema());
        }
        RowShape built = new RowShape(rowSchema, keySchema, List.copyOf(columns), fields, kinds, envelope.field("op"),
                envelope.field("source"), envelope.field("before"), envelope.field("after"));
        synchronized (SHAPES) {
            if (SHAPES.size() >= CACHED_SCHEMAS) {
                SHAPES.clear();
            }
            SHAPES.put(envelope, built);
        }
        return built;
    }

    /** The shape built for this envelope schema and key schema, or null. */
    private static RowShape cachedShape(Schema envelope, Schema keySchema) {
        synchronized (SHAPES) {
            RowShape cached = SHAPES.get(envelope);
            return cached != null && cached.keySchema() == keySchema ? cached : null;
        }
    }

    /**
     * A row schema's columns, its fields in the same order, how each field's values read; and the envelope's fields
     * (the operation, the source block, the row images).
     */
    private record RowShape(Schema rowSchema, Schema keySchema, List<ChangeColumn> columns, List<Field> fields,
                            ValueKind[] kinds, Field op, Field source, Field before, Field after) {
    }

    private static final int CACHED_SCHEMAS = 1024;
    private static final Map<Schema, RowShape> SHAPES = new IdentityHashMap<>();

    /**
     * How a field's Debezium values become neutral ones, decided by its schema's name once per schema (a string
     * switch per value was a sixteenth of the link thread in a profile).
     */
    private enum ValueKind {
        ZERO_DATE_DATE, ZERO_DATE_DATETIME, ZERO_DATE_TIMESTAMP, ZONED_TIMESTAMP, DATE, TIMESTAMP, MICRO_TIMESTAMP,
        MICRO_TIME, TIME, BITS, GEOMETRY, PLAIN;

        static ValueKind of(Schema schema) {
            String name = schema.name() == null ? "" : schema.name();
            return switch (name) {
                case ZeroDateConverter.DATE_SCHEMA -> ZERO_DATE_DATE;
                case ZeroDateConverter.DATETIME_SCHEMA -> ZERO_DATE_DATETIME;
                case ZeroDateConverter.TIMESTAMP_SCHEMA -> ZERO_DATE_TIMESTAMP;
                case "io.debezium.time.ZonedTimestamp" -> ZONED_TIMESTAMP;
                case "io.debezium.time.Date" -> DATE;
                case "io.debezium.time.Timestamp" -> TIMESTAMP;
                case "io.debezium.time.MicroTimestamp" -> MICRO_TIMESTAMP;
                case "io.debezium.time.MicroTime" -> MICRO_TIME;
                case "io.debezium.time.Time" -> TIME;
                case "io.debezium.data.Bits" -> BITS;
                case "io.debezium.data.geometry.Geometry", "io.debezium.data.geometry.Point" -> GEOMETRY;
                default -> PLAIN;
            };
        }
    }

    private static MySqlType typeOf(Schema field) {
        Map<String, String> p = field.parameters() == null ? Map.of() : field.parameters();
        String typeName = p.getOrDefault(COLUMN_TYPE, field.type().getName());
        List<String> values = p.containsKey("allowed") ? Arrays.asList(p.get("allowed").split(",", -1)) : List.of();
        return MySqlType.of(typeName, integer(p.get(COLUMN_LENGTH)), integer(p.get(COLUMN_SCALE)), values);
    }

    private static Integer integer(String s) {
        return s == null ? null : Integer.valueOf(s);
    }

    private static Map<String, Object> row(Struct struct, RowShape shape) {
        if (struct == null) {
            return null;
        }
        List<ChangeColumn> columns = shape.columns();
        boolean sameSchema = struct.schema() == shape.rowSchema(); // Debezium's envelope: before and after share it
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            ChangeColumn c = columns.get(i);
            Field f = sameSchema ? shape.fields().get(i) : struct.schema().field(c.name());
            ValueKind kind = sameSchema ? shape.kinds()[i] : ValueKind.of(f.schema());
            values[i] = value(kind, struct.get(f), c.type());
        }
        return new RowImage(columns, values);
    }

    /** Debezium's representation of a column value -> the neutral one documented on {@link ChangeEvent}. */
    private static Object value(ValueKind kind, Object v, MySqlType type) {
        if (v == null) {
            return null;
        }
        switch (kind) {
            case ZERO_DATE_DATE: // the epoch day, as Debezium's Date
                return (Integer) v == ZeroDateConverter.ZERO_DAY ? ZeroDate.VALUE : value(ValueKind.DATE, v, type);
            case ZERO_DATE_DATETIME: // wall-clock microseconds, as Debezium's MicroTimestamp
                return (Long) v == ZeroDateConverter.ZERO_MICROS ? ZeroDate.VALUE : value(ValueKind.MICRO_TIMESTAMP, v, type);
            case ZERO_DATE_TIMESTAMP:
                return (Long) v == ZeroDateConverter.ZERO_MICROS ? ZeroDate.VALUE
                        : Instant.ofEpochSecond(Math.floorDiv((Long) v, 1_000_000), Math.floorMod((Long) v, 1_000_000) * 1000L);
            case ZONED_TIMESTAMP: {
                // a zero TIMESTAMP is stored as second 0, which no real TIMESTAMP can be (they start at second 1)
                Instant i = Instant.parse((String) v);
                return i.equals(Instant.EPOCH) ? ZeroDate.VALUE : i;
            }
            case DATE:
                return LocalDate.ofEpochDay((Integer) v);
            case TIMESTAMP:
                return LocalDateTime.ofEpochSecond(Math.floorDiv((Long) v, 1000), (int) Math.floorMod((Long) v, 1000) * 1_000_000, ZoneOffset.UTC);
            case MICRO_TIMESTAMP:
                return LocalDateTime.ofEpochSecond(Math.floorDiv((Long) v, 1_000_000), (int) Math.floorMod((Long) v, 1_000_000) * 1000, ZoneOffset.UTC);
            case MICRO_TIME:
                return Duration.ofNanos((Long) v * 1000);
            case TIME:
                return Duration.ofMillis((Integer) v);
            case BITS:
                return bits((byte[]) v);
            case GEOMETRY:
                return bytes(((Struct) v).get("wkb"));
            default:
                break;
        }
        if (v instanceof BigDecimal d) {
            return type.base().equals("bigint") ? d.toBigIntegerExact() : d;
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L; // BIT(1), BOOLEAN
        }
        if (v instanceof Byte || v instanceof Short || v instanceof Integer) {
            return type.base().equals("year") ? (Object) ((Number) v).intValue() : (Object) ((Number) v).longValue();
        }
        if (v instanceof ByteBuffer || v instanceof byte[]) {
            return bytes(v);
        }
        return v; // Long, Float, Double, String
    }

    private static byte[] bytes(Object v) {
        if (v instanceof ByteBuffer b) {
            ByteBuffer d = b.duplicate();
            byte[] out = new byte[d.remaining()];
            d.get(out);
            return out;
        }
        return (byte[]) v;
    }

    /** Debezium's BIT bytes are little-endian: byte 0 holds the lowest 8 bits. */
    private static long bits(byte[] b) {
        long v = 0;
        for (int i = Math.min(b.length, 8) - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /** The last full-load row of a table ({@code db.table}), and whether it is the last row of the whole full load. */
    public record SnapshotEnd(String table, boolean lastOfLoad) {
    }

    /**
     * Whether the record is the last row Debezium's full load reads of its table (its {@code source.snapshot} is
     * {@code last_in_data_collection}, or {@code last} for the last table); null for any other record.
     */
    public static SnapshotEnd snapshotEnd(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("source") == null
                || !(value.get("source") instanceof Struct source) || source.schema().field("snapshot") == null) {
            return null;
        }
        Object marker = source.get("snapshot");
        boolean last = "last".equals(String.valueOf(marker));
        if (!last && !"last_in_data_collection".equals(String.valueOf(marker))) {
            return null;
        }
        return new SnapshotEnd(source.getString("db") + "." + source.getString("table"), last);
    }

    private static SourcePosition position(SourceRecord record, Struct source) {
        SourceFields f = sourceFields(source.schema());
        Object snapshot = f.snapshot == null ? null : source.get(f.snapshot);
        boolean isSnapshot = snapshot != null && !"false".equals(snapshot.toString());
        // the source offset's "event": events of the group before this one (Debezium skips them on a restart)
        Object event = record.sourceOffset() == null ? null : record.sourceOffset().get("event");
        return new SourcePosition((String) get(source, f.file), number(source, f.pos), (int) number(source, f.row),
                (String) get(source, f.gtid), number(source, f.serverId), (Long) get(source, f.thread),
                number(source, f.tsMs), isSnapshot, event instanceof Number n ? n.longValue() : 0);
    }

    /**
     * The fields of a Debezium {@code source} block that a position is read from, looked up once per schema (the
     * connector uses one for all its events) instead of by name for every change; null where the schema lacks one.
     */
    private record SourceFields(Schema schema, Field file, Field pos, Field row, Field gtid, Field serverId,
                                Field thread, Field tsMs, Field snapshot) {
        SourceFields(Schema s) {
            this(s, s.field("file"), s.field("pos"), s.field("row"), s.field("gtid"), s.field("server_id"),
                    s.field("thread"), s.field("ts_ms"), s.field("snapshot"));
        }
    }

    private static volatile SourceFields lastSourceFields;

    private static SourceFields sourceFields(Schema schema) {
        SourceFields f = lastSourceFields;
        if (f == null || f.schema() != schema) {
            f = new SourceFields(schema);
            lastSourceFields = f;
        }
        return f;
    }

    private static Object get(Struct s, Field field) {
        return field == null ? null : s.get(field);
    }

    private static long number(Struct s, Field field) {
        Object n = get(s, field);
        return n == null ? 0 : ((Number) n).longValue();
    }
}
