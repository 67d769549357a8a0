package io.sluice.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.Odps;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Char;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.Varchar;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schema sync against the local MaxCompute server with the real SDK: type mapping read back, round trip, errors. */
class SchemaSyncTest {

    /** MySQL type -> expected MaxCompute type, one column each. */
    static final Map<String, String> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("tinyint(4)", "TINYINT");
        TYPES.put("tinyint(3) unsigned", "SMALLINT");
        TYPES.put("smallint(6)", "SMALLINT");
        TYPES.put("smallint unsigned", "INT");
        TYPES.put("mediumint unsigned", "INT");
        TYPES.put("int(11)", "INT");
        TYPES.put("int(10) unsigned", "BIGINT");
        TYPES.put("bigint(20)", "BIGINT");
        TYPES.put("bigint(20) unsigned", "DECIMAL(20,0)");
        TYPES.put("decimal(10,2)", "DECIMAL(10,2)");
        TYPES.put("decimal(38,18)", "DECIMAL(38,18)");
        TYPES.put("decimal(65,30)", "STRING");
        TYPES.put("float", "FLOAT");
        TYPES.put("double", "DOUBLE");
        TYPES.put("bit(1)", "BOOLEAN");
        TYPES.put("bit(12)", "BIGINT");
        TYPES.put("char(3)", "CHAR(3)");
        TYPES.put("varchar(20)", "VARCHAR(20)");
        TYPES.put("text", "STRING");
        TYPES.put("enum('a','b')", "STRING");
        TYPES.put("json", "STRING");
        TYPES.put("time(3)", "STRING");
        TYPES.put("varbinary(16)", "BINARY");
        TYPES.put("date", "DATE");
        TYPES.put("datetime", "DATETIME");
        TYPES.put("datetime(6)", "TIMESTAMP_NTZ");
        TYPES.put("timestamp(6)", "TIMESTAMP");
        TYPES.put("year(4)", "SMALLINT");
    }

    static List<SourceColumn> columns() {
        List<String> types = List.copyOf(TYPES.keySet());
        java.util.ArrayList<SourceColumn> cols = new java.util.ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            cols.add(new SourceColumn("c" + i, types.get(i)));
        }
        return cols;
    }

    /** One value per column of {@link #columns()}, at the edges of the MySQL ranges. */
    static Object[] values() {
        return new Object[] {
            (byte) -128, 255, (short) -32768, 65535, 16777215, Integer.MIN_VALUE, 4294967295L, Long.MIN_VALUE + 1,
            new BigInteger("18446744073709551615"), new BigDecimal("-12345678.99"),
            new BigDecimal("12345678901234567890.123456789012345678"),
            new BigDecimal("12345678901234567890123456789012345.123456789012345678901234567890"),
            1.5f, Math.PI, true, 4095L, "ab ", "héllo 😀", "long text", "b", "{\"k\": [1, 2]}", "-838:59:59.000",
            new byte[] {0, 1, (byte) 0xff}, LocalDate.of(1000, 1, 1), LocalDateTime.of(9999, 12, 31, 23, 59, 59),
            LocalDateTime.of(2024, 4, 9, 13, 10, 5, 123456000), Instant.parse("2038-01-19T03:14:07.999999Z"), 2155
        };
    }

    @Test
    void createsBaseAndLogTablesWithTheMappedTypes() throws Exception {
        TableLayout layout = new TableLayout("types_a", columns(), NamingRule.PREVIOUS,
                List.of(PartitionLevel.YEAR, PartitionLevel.MONTH, PartitionLevel.DAY, PartitionLevel.HOUR));
        new SchemaSync(McTables.target()).createTables(layout);
        new SchemaSync(McTables.target()).createTables(layout); // idempotent

        Odps odps = McTables.target().odps();
        TableSchema base = odps.tables().get("types_a_base").getSchema();
        List<String> expected = List.copyOf(TYPES.values());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), base.getColumn("c" + i).getTypeInfo().getTypeName(),
                    "c" + i + " (" + columns().get(i).mysqlType() + ")");
        }
        TableSchema log = odps.tables().get("types_a_log").getSchema();
        assertEquals(List.of("record_id", "operation_flag", "utc_timestamp", "before_flag", "after_flag"),
                log.getColumns().subList(0, 5).stream().map(Column::getName).toList());
        assertEquals(List.of("BIGINT", "STRING", "BIGINT", "STRING", "STRING"),
                log.getColumns().subList(0, 5).stream().map(c -> c.getTypeInfo().getTypeName()).toList());
        assertEquals(5 + TYPES.size(), log.getColumns().size());
        assertEquals(List.of("modifytime_year", "modifytime_month", "modifytime_day", "modifytime_hour"),
                log.getPartitionColumns().stream().map(Column::getName).toList());
    }

    @Test
    void newNamingRulePrefixesAdditionalColumnsAndAClashIsRefused() throws Exception {
        List<SourceColumn> cols = List.of(new SourceColumn("id", "bigint"), new SourceColumn("record_id", "int"));
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> new TableLayout("clash", cols, NamingRule.PREVIOUS, List.of(PartitionLevel.YEAR)));
        assertTrue(clash.getMessage().contains("record_id") && clash.getMessage().contains("namingRule=new"),
                clash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TableLayout("clash2",
                List.of(new SourceColumn("Modifytime_Year", "int")), NamingRule.PREVIOUS, List.of(PartitionLevel.YEAR)));

        TableLayout layout = new TableLayout("clash", cols, NamingRule.NEW, List.of(PartitionLevel.DAY,
                PartitionLevel.YEAR, PartitionLevel.MONTH));
        new SchemaSync(McTables.target()).createTables(layout);
        TableSchema log = McTables.target().odps().tables().get("clash_log").getSchema();
        assertEquals(List.of("new_dts_sync_record_id", "new_dts_sync_operation_flag", "new_dts_sync_utc_timestamp",
                "new_dts_sync_before_flag", "new_dts_sync_after_flag", "id", "record_id"),
                log.getColumns().stream().map(Column::getName).toList());
        assertEquals(List.of("new_dts_sync_modifytime_year", "new_dts_sync_modifytime_month",
                "new_dts_sync_modifytime_day"), log.getPartitionColumns().stream().map(Column::getName).toList());
    }

    @Test
    void everyMappedTypeRoundTripsThroughUploadAndDownload() throws Exception {
        for (boolean compress : List.of(true, false)) {
            String name = compress ? "types_deflate" : "types_raw";
            TableLayout layout = new TableLayout(name, columns(), NamingRule.PREVIOUS, List.of(PartitionLevel.YEAR));
            ChangeTableWriter writer = new ChangeTableWriter(McTables.target(), layout,
                    WriterOptions.defaults().withCompress(compress));
            writer.createTables();
            writer.addBase(values());
            writer.addBase(new Object[TYPES.size()]); // all NULL
            writer.flush();

            List<Record> rows = McTables.read(name + "_base", null);
            assertEquals(2, rows.size());
            Record r = rows.get(0);
            assertEquals((byte) -128, r.get(0));
            assertEquals((short) 255, r.get(1));
            assertEquals((short) -32768, r.get(2));
            assertEquals(65535, r.get(3));
            assertEquals(16777215, r.get(4));
            assertEquals(Integer.MIN_VALUE, r.get(5));
            assertEquals(4294967295L, r.get(6));
            assertEquals(Long.MIN_VALUE + 1, r.get(7));
            assertEquals(new BigDecimal("18446744073709551615"), r.get(8));
            assertEquals(new BigDecimal("-12345678.99"), r.get(9));
            assertEquals(new BigDecimal("12345678901234567890.123456789012345678"), r.get(10));
            assertEquals("12345678901234567890123456789012345.123456789012345678901234567890", r.getString(11));
            assertEquals(1.5f, r.get(12));
            assertEquals(Math.PI, r.get(13));
            assertEquals(true, r.get(14));
            assertEquals(4095L, r.get(15));
            assertEquals("ab ", ((Char) r.get(16)).getValue());
            assertEquals("héllo 😀", ((Varchar) r.get(17)).getValue());
            assertEquals("long text", r.getString(18));
            assertEquals("b", r.getString(19));
            assertEquals("{\"k\": [1, 2]}", r.getString(20));
            assertEquals("-838:59:59.000", r.getString(21));
            assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, ((Binary) r.get(22)).data());
            assertEquals(LocalDate.of(1000, 1, 1), r.get(23) instanceof LocalDate d ? d
                    : ((java.util.Date) r.get(23)).toInstant().atZone(ZoneOffset.UTC).toLocalDate());
            Object dt = r.get(24);
            Instant dtInstant = dt instanceof ZonedDateTime z ? z.toInstant() : ((java.util.Date) dt).toInstant();
            assertEquals(LocalDateTime.of(9999, 12, 31, 23, 59, 59).toInstant(ZoneOffset.UTC), dtInstant);
            assertEquals(LocalDateTime.of(2024, 4, 9, 13, 10, 5, 123456000), r.get(25));
            Object ts = r.get(26);
            assertEquals(Instant.parse("2038-01-19T03:14:07.999999Z"),
                    ts instanceof Instant i ? i : ((java.sql.Timestamp) ts).toInstant());
            assertEquals((short) 2155, r.get(27));
            for (int i = 0; i < TYPES.size(); i++) {
                assertNull(rows.get(1).get(i), "NULL in c" + i);
            }
        }
    }

    @Test
    void aValueThatDoesNotFitNamesTheColumn() {
        TableLayout layout = new TableLayout("fit", List.of(new SourceColumn("small", "tinyint")), NamingRule.PREVIOUS,
                List.of());
        ChangeTableWriter writer = new ChangeTableWriter(McTables.target(), layout, WriterOptions.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer.addBase(new Object[] {300}));
        assertTrue(e.getMessage().contains("small") && e.getMessage().contains("TINYINT"), e.getMessage());
        // MaxCompute's BIGINT has no -2^63: refused when added, not half-way through an upload
        ChangeTableWriter big = new ChangeTableWriter(McTables.target(), new TableLayout("fit2",
                List.of(new SourceColumn("b", "bigint")), NamingRule.PREVIOUS, List.of()), WriterOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> big.addBase(new Object[] {Long.MIN_VALUE}));
    }

    @Test
    void wrongAccessKeyGivesAClearError() {
        MaxComputeTarget good = McTables.target();
        MaxComputeTarget bad = new MaxComputeTarget(good.project(), good.accessId(), "not-the-secret", good.endpoint(),
                good.tunnelEndpoint());
        TableLayout layout = new TableLayout("denied", List.of(new SourceColumn("id", "bigint")), NamingRule.NEW,
                List.of());
        MaxComputeException e = assertThrows(MaxComputeException.class, () -> new SchemaSync(bad).createTables(layout));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
        assertTrue(e.getMessage().contains("could not create denied_base"), e.getMessage());
        assertTrue(!e.getMessage().contains("not-the-secret") && !bad.toString().contains("not-the-secret"));
        ChangeTableWriter writer = new ChangeTableWriter(bad, layout, WriterOptions.defaults().withRetry(1, 0));
        writer.addBase(new Object[] {1L});
        MaxComputeException upload = assertThrows(MaxComputeException.class, writer::flush);
        assertTrue(upload.getMessage().contains("signature"), upload.getMessage());
        assertEquals(1, writer.bufferedRows()); // nothing half-written, the row is still there to retry
    }
}
