package io.sluice.change;

import com.alibaba.fastjson2.JSON;
import com.alibaba.otter.canal.protocol.FlatMessage;
import com.aliyun.dts.subscribe.clients.formats.avro.BinaryObject;
import com.aliyun.dts.subscribe.clients.formats.avro.Character;
import com.aliyun.dts.subscribe.clients.formats.avro.DateTime;
import com.aliyun.dts.subscribe.clients.formats.avro.Decimal;
import com.aliyun.dts.subscribe.clients.formats.avro.Record;
import com.aliyun.dts.subscribe.clients.formats.avro.TextObject;
import com.aliyun.dts.subscribe.clients.formats.avro.Timestamp;
import com.aliyun.dts.subscribe.clients.record.DefaultUserRecord;
import com.aliyun.dts.subscribe.clients.record.OperationType;
import com.aliyun.dts.subscribe.clients.record.RecordField;
import com.aliyun.dts.subscribe.clients.recordgenerator.AvroDeserializer;
import io.sluice.binlog.DebeziumCapture;
import io.sluice.binlog.DebeziumChangeEvents;
import io.sluice.binlog.DebeziumSettings;
import io.sluice.testkit.TestServers;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.json.canal.CanalJsonDeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Debezium events (embedded engine, MariaDB connector, {@link DebeziumSettings#forFidelity}) from a table with
 * every MySQL column type the issue lists, in a server whose time zone is not UTC; each event encoded as Canal JSON and
 * DTS Avro and read back with the readers people use: canal's {@code FlatMessage} (fastjson2, as canal's Kafka client
 * parses it), Flink's {@code canal-json} format and the DTS subscribe SDK's Avro deserializer. Every value read back
 * must equal what MariaDB itself shows for the row.
 */
class ChangeFormatsTest {

    private static final String DB = "change_fmt";
    private static final ZoneId SERVER_ZONE = ZoneId.of("+08:00");
    private static final String TABLE = """
            CREATE TABLE change_fmt.all_types (
              id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
              dec65 DECIMAL(65,30),
              d_zero DATE NOT NULL,
              dt_zero DATETIME NOT NULL,
              dt6 DATETIME(6),
              ts TIMESTAMP(3) NULL,
              ts0 TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
              j JSON,
              e ENUM('small','medium','large'),
              s SET('red','green','blue'),
              b BIT(10),
              y YEAR,
              tm TIME(3),
              bl BLOB,
              emoji VARCHAR(32) CHARACTER SET utf8mb4,
              gen INT AS (CHAR_LENGTH(emoji)) VIRTUAL,
              i_u INT UNSIGNED,
              ti TINYINT,
              f FLOAT,
              dbl DOUBLE,
              c CHAR(3),
              txt TEXT
            )""";
    private static final String COLUMNS = "id, dec65, d_zero, dt_zero, dt6, ts, ts0, j, e, s, b, y, tm, bl, emoji, i_u, ti, f, dbl, c, txt";
    /** Row 1 is there before capture starts (snapshot); row 2 comes through the binlog. */
    private static final String ROW_1 = "(9223372036854775808, -0.000000000000000000000000000001, '2024-01-31', '2024-01-31 00:00:00',"
            + " '1000-01-01 00:00:00.000001', '2038-01-19 11:14:07.999', '0000-00-00 00:00:00', '[]', 'small', '', b'0', 1901, '00:00:00', x'',"
            + " '', 0, 0, -1.5, -2.5e-300, 'x', '')";
    private static final String ROW_2 = "(18446744073709551615, 12345678901234567890123456789012345.123456789012345678901234567890,"
            + " '0000-00-00', '0000-00-00 00:00:00', '2024-02-29 23:59:59.123456', '2024-01-02 03:04:05.678', '0000-00-00 00:00:00',"
            + " '{\"a\": [1, 2.5, \"x\"], \"b\": null}', 'medium', 'red,blue', b'1010000001', 2155, '-838:59:58.500',"
            + " x'00FF10', 'héllo 😀', 4294967295, -128, 1.5, 3.141592653589793, 'abc', 'text ✓')";

    private static DebeziumCapture capture;
    private static final CanalJsonEncoder CANAL = new CanalJsonEncoder(SERVER_ZONE, Clock.systemUTC());
    /** The streaming encoder and its byte reference (the earlier tree encoder) with one fixed {@code ts}. */
    private static final Clock FIXED = Clock.fixed(java.time.Instant.parse("2024-01-02T03:04:05.678Z"), java.time.ZoneOffset.UTC);
    private static final CanalJsonEncoder CANAL_FIXED = new CanalJsonEncoder(SERVER_ZONE, FIXED);
    private static final CanalJsonTreeEncoder CANAL_TREE = new CanalJsonTreeEncoder(SERVER_ZONE, FIXED);
    private static final DtsAvroEncoder DTS = new DtsAvroEncoder("11.4.5-MariaDB");

    @BeforeAll
    static void start() throws Exception {
        // the global zone is what Debezium's snapshot connection gets; the writing session sets its own below
        exec("SET GLOBAL time_zone = '+08:00'", "DROP DATABASE IF EXISTS " + DB, "CREATE DATABASE " + DB, TABLE,
                "INSERT INTO change_fmt.all_types (" + COLUMNS + ") VALUES " + ROW_1);
        capture = DebeziumCapture.start(DB, 5402);
    }

    @AfterAll
    static void stop() throws Exception {
        if (capture != null) {
            capture.close();
        }
        exec("SET GLOBAL time_zone = 'SYSTEM'");
    }

    @Test
    void snapshotInsertUpdateDeleteAndDdlReadBackAsWritten() throws Exception {
        // snapshot: row 1
        ChangeEvent snapshot = next(Operation.INSERT);
        assertTrue(snapshot.position().snapshot());
        Map<String, String> row1 = mariaDbRow("9223372036854775808");
        checkRow(snapshot, row1, null);

        // binlog: insert row 2
        exec("INSERT INTO change_fmt.all_types (" + COLUMNS + ") VALUES " + ROW_2);
        ChangeEvent insert = next(Operation.INSERT);
        assertFalse(insert.position().snapshot());
        assertTrue(insert.position().binlogFile().startsWith("mariadb-bin."));
        assertEquals(223344, insert.position().serverId());
        assertTrue(insert.position().gtid().matches("0-223344-\\d+"), insert.position().gtid());
        Map<String, String> row2 = mariaDbRow("18446744073709551615");
        checkRow(insert, row2, null);

        // update row 2: some columns change, one to NULL, a zero date to a real one
        exec("UPDATE change_fmt.all_types SET dec65 = dec65 + 1, d_zero = '1999-12-31', e = NULL, emoji = '🦀',"
                + " ts = '2024-06-01 00:00:00.001' WHERE id = 18446744073709551615");
        ChangeEvent update = next(Operation.UPDATE);
        Map<String, String> row2After = mariaDbRow("18446744073709551615");
        checkRow(update, row2After, row2);

        // delete row 1
        exec("DELETE FROM change_fmt.all_types WHERE id = 9223372036854775808");
        ChangeEvent delete = next(Operation.DELETE);
        checkRow(delete, row1, null);

        // one statement, two rows: two events from one binlog event; NULL in every nullable column
        exec("INSERT INTO change_fmt.all_types (id, d_zero, dt_zero) VALUES (3, '2001-01-01', '2001-01-01 01:01:01'),"
                + " (4, '0000-00-00', '0000-00-00 00:00:00')");
        ChangeEvent third = next(Operation.INSERT);
        ChangeEvent fourth = next(Operation.INSERT);
        assertEquals(List.of(0, 1), List.of(third.position().rowInEvent(), fourth.position().rowInEvent()));
        assertEquals(third.position().position(), fourth.position().position());
        checkRow(third, mariaDbRow("3"), null);
        checkRow(fourth, mariaDbRow("4"), null);

        // DDL: table-level, then database-level (no table)
        exec("ALTER TABLE change_fmt.all_types ADD COLUMN added INT");
        checkDdl(next(Operation.DDL, "ALTER TABLE"), "all_types", "ALTER");
        exec("TRUNCATE TABLE change_fmt.all_types");
        checkDdl(next(Operation.DDL, "TRUNCATE"), "all_types", "TRUNCATE");
        exec("ALTER DATABASE change_fmt CHARACTER SET utf8mb4");
        checkDdl(next(Operation.DDL, "ALTER DATABASE"), "", "QUERY");
    }

    // ---- the three readers -------------------------------------------------------------------------------

    private static void checkRow(ChangeEvent event, Map<String, String> expected, Map<String, String> before) throws Exception {
        String what = event.operation() + " of id " + expected.get("id");
        byte[] canal = CANAL.encode(event, 7);
        assertEquals(new String(CANAL_TREE.encode(event, 7), StandardCharsets.UTF_8),
                new String(CANAL_FIXED.encode(event, 7), StandardCharsets.UTF_8), what + ": the tree encoder's bytes");
        assertArrayEquals(CANAL_TREE.encode(event, 7), CANAL_FIXED.encode(event, 7), what);
        byte[] dts = DTS.encode(event, 42);

        // canal's FlatMessage, parsed with fastjson2 as canal's Kafka client does
        FlatMessage flat = JSON.parseObject(canal, FlatMessage.class);
        assertEquals(DB, flat.getDatabase());
        assertEquals("all_types", flat.getTable());
        assertEquals(event.operation().name(), flat.getType());
        assertFalse(flat.getIsDdl());
        assertEquals(List.of("id"), flat.getPkNames());
        assertEquals(7, flat.getId());
        assertEquals(canalText(expected), flat.getData().get(0), what);
        assertEquals("decimal(65,30)", flat.getMysqlType().get("dec65"));
        assertEquals("bigint(20) unsigned", flat.getMysqlType().get("id"));
        assertEquals("enum('small','medium','large')", flat.getMysqlType().get("e"));
        assertEquals("datetime(6)", flat.getMysqlType().get("dt6"));
        assertEquals(Map.of("id", expected.get("id").startsWith("18") || expected.get("id").startsWith("92") ? 3 : -5,
                "e", 4, "s", -7, "b", -7, "bl", 2004, "txt", 2005, "dt6", 93, "i_u", "4294967295".equals(expected.get("i_u")) ? -5 : 4),
                pick(flat.getSqlType(), "id", "e", "s", "b", "bl", "txt", "dt6", "i_u"), what);
        if (before != null) {
            Map<String, String> changed = new LinkedHashMap<>();
            canalText(before).forEach((k, v) -> {
                if (!java.util.Objects.equals(v, canalText(expected).get(k))) {
                    changed.put(k, v);
                }
            });
            assertEquals(changed, flat.getOld().get(0), what);
        } else {
            assertNull(flat.getOld());
        }
        assertEquals(event.position().eventTimeMs() / 1000 * 1000, flat.getEs());

        // Flink's canal-json format
        List<RowData> rows = flink(canal, false);
        RowData last = rows.get(rows.size() - 1);
        assertEquals(switch (event.operation()) {
            case INSERT -> RowKind.INSERT;
            case UPDATE -> RowKind.UPDATE_AFTER;
            default -> RowKind.DELETE;
        }, last.getRowKind());
        assertEquals(before == null ? 1 : 2, rows.size());
        checkFlinkRow(last, expected, what);
        if (before != null) {
            assertEquals(RowKind.UPDATE_BEFORE, rows.get(0).getRowKind());
            checkFlinkRow(rows.get(0), before, what + " (before)");
        }

        // the DTS subscribe SDK
        Record record = new AvroDeserializer().deserialize(dts);
        DefaultUserRecord user = new DefaultUserRecord(null, 0, record, null);
        assertEquals(OperationType.valueOf(event.operation().name()), user.getOperationType());
        assertEquals(DB + ".all_types", user.getSchema().getFullQualifiedName().get());
        assertEquals(List.of("id"), user.getSchema().getFields().stream().filter(RecordField::isPrimary).map(RecordField::getFieldName).toList());
        assertEquals(42L, record.getId());
        assertEquals(event.position().eventTimeMs() / 1000, record.getSourceTimestamp());
        assertTrue(record.getSourcePosition().matches("\\d+@\\d+"), record.getSourcePosition());
        List<String> names = user.getSchema().getFieldNames();
        List<?> image = (List<?>) (event.operation() == Operation.DELETE ? record.getBeforeImages() : record.getAfterImages());
        Map<String, String> dtsRow = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            dtsRow.put(names.get(i), dtsText(image.get(i), names.get(i)));
        }
        assertEquals(plainText(expected), dtsRow, what);
        assertEquals(246, user.getSchema().getField("dec65").get().getRawDataTypeNum());
        assertEquals("18446744073709551615".equals(expected.get("id")) ? "18446744073709551615" : expected.get("id"),
                (event.operation() == Operation.DELETE ? user.getBeforeImage() : user.getAfterImage()).getValue("id").toString());
    }

    private static void checkDdl(ChangeEvent ddl, String table, String canalType) throws Exception {
        assertEquals(DB, ddl.database());
        assertEquals(table, ddl.table());
        FlatMessage flat = JSON.parseObject(CANAL.encode(ddl, 8), FlatMessage.class);
        assertArrayEquals(CANAL_TREE.encode(ddl, 8), CANAL_FIXED.encode(ddl, 8), ddl.ddl());
        assertTrue(flat.getIsDdl());
        assertEquals(canalType, flat.getType());
        assertEquals(ddl.ddl(), flat.getSql());
        assertEquals(DB, flat.getDatabase());
        assertEquals(table, flat.getTable());
        assertNull(flat.getData());
        // Flink's canal-json reads only INSERT/UPDATE/DELETE/CREATE; other DDL is skipped when told to ignore errors
        assertEquals(List.of(), flink(CANAL.encode(ddl, 8), true));

        Record record = new AvroDeserializer().deserialize(DTS.encode(ddl, 43));
        DefaultUserRecord user = new DefaultUserRecord(null, 0, record, null);
        assertEquals(OperationType.DDL, user.getOperationType());
        assertEquals(ddl.ddl(), user.getAfterImage().getValue(0).toString());
        assertEquals(table.isEmpty() ? DB : DB + "." + table, record.getObjectName());
    }

    // ---- Flink --------------------------------------------------------------------------------------------

    /** The types a Flink user would declare; what Flink cannot hold (DECIMAL(65,30), zero dates, TIME past 24 h) as STRING. */
    private static final DataType FLINK_ROW = DataTypes.ROW(
            DataTypes.FIELD("id", DataTypes.DECIMAL(20, 0)), DataTypes.FIELD("dec65", DataTypes.STRING()),
            DataTypes.FIELD("d_zero", DataTypes.STRING()), DataTypes.FIELD("dt_zero", DataTypes.STRING()),
            DataTypes.FIELD("dt6", DataTypes.TIMESTAMP(6)), DataTypes.FIELD("ts", DataTypes.TIMESTAMP(3)), DataTypes.FIELD("ts0", DataTypes.STRING()),
            DataTypes.FIELD("j", DataTypes.STRING()), DataTypes.FIELD("e", DataTypes.INT()),
            DataTypes.FIELD("s", DataTypes.BIGINT()), DataTypes.FIELD("b", DataTypes.BIGINT()),
            DataTypes.FIELD("y", DataTypes.INT()), DataTypes.FIELD("tm", DataTypes.STRING()),
            DataTypes.FIELD("bl", DataTypes.STRING()), DataTypes.FIELD("emoji", DataTypes.STRING()),
            DataTypes.FIELD("gen", DataTypes.INT()), DataTypes.FIELD("i_u", DataTypes.BIGINT()),
            DataTypes.FIELD("ti", DataTypes.TINYINT()), DataTypes.FIELD("f", DataTypes.FLOAT()),
            DataTypes.FIELD("dbl", DataTypes.DOUBLE()), DataTypes.FIELD("c", DataTypes.STRING()),
            DataTypes.FIELD("txt", DataTypes.STRING()));

    @SuppressWarnings("unchecked")
    private static List<RowData> flink(byte[] message, boolean ignoreParseErrors) throws Exception {
        CanalJsonDeserializationSchema schema = CanalJsonDeserializationSchema
                .builder(FLINK_ROW, List.of(), (TypeInformation<RowData>) (TypeInformation<?>) TypeInformation.of(RowData.class))
                .setIgnoreParseErrors(ignoreParseErrors).build();
        schema.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return null;
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(ChangeFormatsTest.class.getClassLoader());
            }
        });
        List<RowData> out = new ArrayList<>();
        schema.deserialize(message, new Collector<>() {
            @Override
            public void collect(RowData record) {
                out.add(record);
            }

            @Override
            public void close() {
            }
        });
        return out;
    }

    private static void checkFlinkRow(RowData row, Map<String, String> expected, String what) {
        Map<String, String> canal = canalText(expected);
        List<String> names = DataType.getFieldNames(FLINK_ROW);
        Map<String, String> got = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (row.isNullAt(i)) {
                got.put(name, null);
                continue;
            }
            got.put(name, switch (name) {
                case "id" -> row.getDecimal(i, 20, 0).toBigDecimal().toPlainString();
                case "dt6" -> row.getTimestamp(i, 6).toLocalDateTime().format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS"));
                case "ts" -> row.getTimestamp(i, 3).toLocalDateTime().format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS"));
                case "e", "y", "gen" -> String.valueOf(row.getInt(i));
                case "s", "b", "i_u" -> String.valueOf(row.getLong(i));
                case "ti" -> String.valueOf(row.getByte(i));
                case "f" -> String.valueOf(row.getFloat(i));
                case "dbl" -> String.valueOf(row.getDouble(i));
                default -> row.getString(i).toString();
            });
        }
        Map<String, String> want = new LinkedHashMap<>(canal);
        want.remove("gen");
        got.remove("gen");
        assertEquals(want, got, what + " through Flink");
    }

    // ---- what MariaDB shows -------------------------------------------------------------------------------

    /**
     * The row as MariaDB shows it in a +08:00 session: every column as text, ENUM/SET/BIT also as numbers
     * ({@code e#}, {@code s#}, {@code b}), the BLOB as its bytes one char per byte.
     */
    private static Map<String, String> mariaDbRow(String id) throws Exception {
        try (Connection c = connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT CAST(id AS CHAR) id, CAST(dec65 AS CHAR) dec65, CAST(d_zero AS CHAR) d_zero,"
                     + " CAST(dt_zero AS CHAR) dt_zero, CAST(dt6 AS CHAR) dt6, CAST(ts AS CHAR) ts, CAST(ts0 AS CHAR) ts0, j, e, s, b+0 b,"
                     + " CAST(y AS CHAR) y, CAST(tm AS CHAR) tm, bl, emoji, CAST(gen AS CHAR) gen, CAST(i_u AS CHAR) i_u,"
                     + " CAST(ti AS CHAR) ti, CAST(f AS CHAR) f, CAST(dbl AS CHAR) dbl, c, txt, e+0 `e#`, s+0 `s#`"
                     + " FROM change_fmt.all_types WHERE id = " + id)) {
            assertTrue(rs.next(), "row " + id);
            ResultSetMetaData md = rs.getMetaData();
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String name = md.getColumnLabel(i);
                row.put(name, name.equals("bl") ? latin1(rs.getBytes(i)) : rs.getString(i));
            }
            return row;
        }
    }

    /** Canal's text: ENUM as index, SET as bitmask, the rest as MariaDB shows it. */
    private static Map<String, String> canalText(Map<String, String> mariaDb) {
        Map<String, String> m = plainText(mariaDb);
        m.put("e", mariaDb.get("e#"));
        m.put("s", mariaDb.get("s#"));
        return m;
    }

    /** MariaDB's text without the extra number columns, DOUBLE as Java writes it ({@code -2.5E-300}, as canal does). */
    private static Map<String, String> plainText(Map<String, String> mariaDb) {
        Map<String, String> m = new LinkedHashMap<>(mariaDb);
        m.remove("e#");
        m.remove("s#");
        m.computeIfPresent("dbl", (k, v) -> String.valueOf(Double.parseDouble(v)));
        return m;
    }

    // ---- DTS values as text ---------------------------------------------------------------------------------

    /** A value the DTS SDK decoded, rendered as MariaDB shows it (TIMESTAMP in the server's zone). */
    private static String dtsText(Object v, String column) {
        if (v == null) {
            return null;
        }
        if (v instanceof com.aliyun.dts.subscribe.clients.formats.avro.Integer i) {
            return i.getValue();
        }
        if (v instanceof Decimal d) {
            return d.getValue();
        }
        if (v instanceof com.aliyun.dts.subscribe.clients.formats.avro.Float f) {
            return String.valueOf(f.getValue());
        }
        if (v instanceof Character ch) {
            return Charset.forName(ch.getCharset().equals("utf8mb4") ? "UTF-8" : ch.getCharset()).decode(ch.getValue()).toString();
        }
        if (v instanceof TextObject t) {
            return t.getValue();
        }
        if (v instanceof BinaryObject b) {
            return latin1(bytes(b.getValue()));
        }
        if (v instanceof Timestamp t) {
            if (t.getTimestamp() == 0) {
                return "0000-00-00 00:00:00";
            }
            LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochSecond(t.getTimestamp(), t.getMillis() * 1000L), SERVER_ZONE);
            // ts is TIMESTAMP(3), ts0 TIMESTAMP(0): DTS carries no fsp, the column declares it
            return local.format(DateTimeFormatter.ofPattern(column.equals("ts") ? "uuuu-MM-dd HH:mm:ss.SSS" : "uuuu-MM-dd HH:mm:ss"));
        }
        if (v instanceof DateTime d) {
            return dateTimeText(d);
        }
        throw new AssertionError("unexpected DTS value " + v.getClass() + ": " + v);
    }

    private static String dateTimeText(DateTime d) {
        if (d.getYear() != null && d.getMonth() == null) {
            return String.valueOf(d.getYear()); // YEAR
        }
        String date = d.getYear() == null ? null : String.format(Locale.ROOT, "%04d-%02d-%02d", d.getYear(), d.getMonth(), d.getDay());
        if (d.getHour() == null) {
            return date;
        }
        int hour = d.getHour();
        String time = String.format(Locale.ROOT, "%s%02d:%02d:%02d", hour < 0 ? "-" : "", Math.abs(hour), d.getMinute(), d.getSecond());
        if (date == null) {
            return time + String.format(Locale.ROOT, ".%03d", d.getMillis() / 1000); // TIME(3)
        }
        return date + " " + time + (d.getMillis() != null && d.getMillis() > 0 || date.startsWith("1000")
                ? String.format(Locale.ROOT, ".%06d", d.getMillis()) : "");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static ChangeEvent next(Operation op) throws InterruptedException {
        return next(op, "");
    }

    /** The next event of {@code op} in the test database (a DDL one starting with {@code ddlPrefix}). */
    private static ChangeEvent next(Operation op, String ddlPrefix) throws InterruptedException {
        SourceRecord r = capture.next(rec -> DebeziumChangeEvents.toChangeEvent(rec)
                .filter(e -> e.database().equals(DB) && e.operation() == op && (op != Operation.DDL || e.ddl().startsWith(ddlPrefix)))
                .isPresent(), Duration.ofSeconds(60));
        return DebeziumChangeEvents.toChangeEvent(r).orElseThrow();
    }

    private static Map<String, Integer> pick(Map<String, Integer> m, String... keys) {
        return List.of(keys).stream().collect(Collectors.toMap(k -> k, m::get));
    }

    private static String latin1(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static Connection connection() throws Exception {
        Connection c = TestServers.mariaDb().adminConnection();
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION time_zone = '+08:00', SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'");
        }
        return c;
    }

    private static void exec(String... sql) throws Exception {
        try (Connection c = connection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
