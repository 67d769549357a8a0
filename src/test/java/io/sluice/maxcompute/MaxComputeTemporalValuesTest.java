package io.sluice.maxcompute;

import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import io.sluice.change.ChangeEvent;
import io.sluice.binlog.DebeziumCapture;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero dates and TIME values from real change events (Debezium against the test kit's MariaDB), through the
 * {@code maxcompute} sink, read back from the local MaxCompute server: a zero date in a NOT NULL DATE, DATETIME or
 * TIMESTAMP column is {@code 0001-01-01 00:00:00} (never a silent NULL), in a nullable one NULL; a TIME is MySQL's text
 * with the fraction digits its column declares, in the full load ({@code _base}) and in changes ({@code _log}).
 */
class MaxComputeTemporalValuesTest {

    private static final String DB = "mc_temporal";
    private static final String ROW = "'0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000000',"
            + " '0000-00-00 00:00:00', '0000-00-00', '-838:59:59', '00:00:00.500', '-00:30:00.500000'";
    /** What MySQL shows for the TIME columns of {@link #ROW}: t0 TIME, t3 TIME(3), t6 TIME(6). */
    private static final List<String> TIMES = List.of("-838:59:59", "00:00:00.500", "-00:30:00.500000");
    private static DebeziumCapture capture;

    @BeforeAll
    static void start() throws Exception {
        exec("DROP DATABASE IF EXISTS " + DB, "CREATE DATABASE " + DB,
                "CREATE TABLE " + DB + ".mc_zeros (id INT PRIMARY KEY, d DATE NOT NULL, dt DATETIME NOT NULL,"
                        + " dt6 DATETIME(6) NOT NULL, ts TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',"
                        + " d_null DATE NULL, t0 TIME, t3 TIME(3), t6 TIME(6))",
                "INSERT INTO " + DB + ".mc_zeros VALUES (1, " + ROW + ")");
        capture = DebeziumCapture.start(DB, 5612);
    }

    @AfterAll
    static void stop() throws Exception {
        if (capture != null) {
            capture.close();
        }
    }

    @Test
    void zeroDatesAreTheFirstDayAndTimesKeepTheirDeclaredFraction() throws Exception {
        List<ChangeEvent> ddl = new ArrayList<>();
        List<ChangeEvent> snapshot = capture.events(DB, 1, 0, ddl);
        exec("INSERT INTO " + DB + ".mc_zeros VALUES (2, " + ROW + ")",
                "INSERT INTO " + DB + ".mc_zeros (id, d, dt, dt6, ts, t6) VALUES (3, '2024-02-29', '2024-02-29 01:02:03',"
                        + " '2024-02-29 01:02:03.000001', '2024-02-29 01:02:03', '00:00:00')");
        List<ChangeEvent> changes = capture.events(DB, 2, 0, ddl);
        MaxComputeChangeSink sink = new MaxComputeChangeSink("temporal", new SinkSettings("mc",
                McTables.target(), NamingRule.NEW, List.of(PartitionLevel.YEAR), WriterOptions.defaults()),
                (event, message) -> { });
        List<ChangeEvent> batch = new ArrayList<>(ddl.stream().filter(e -> "mc_zeros".equals(e.table())).toList());
        batch.addAll(snapshot);
        batch.addAll(changes);
        sink.write(batch);

        LocalDateTime first = LocalDateTime.of(1, 1, 1, 0, 0);
        List<String> zeroRow = new ArrayList<>(List.of("0001-01-01", first.toString(), first.toString(),
                first.toInstant(ZoneOffset.UTC).toString(), "null"));
        zeroRow.addAll(TIMES);
        List<Record> base = McTables.read("mc_zeros_base", null);
        assertEquals(1, base.size());
        assertEquals(zeroRow, shown(base.get(0)), "full load");

        List<Record> log = new ArrayList<>(McTables.readAllPartitions("mc_zeros_log"));
        log.sort(Comparator.comparing(r -> r.getBigint("new_dts_sync_record_id")));
        assertEquals(2, log.size());
        assertEquals(zeroRow, shown(log.get(0)), "change");
        assertEquals(List.of("2024-02-29", "2024-02-29T01:02:03", "2024-02-29T01:02:03.000001", "2024-02-29T01:02:03Z",
                "null", "null", "null", "00:00:00.000000"), shown(log.get(1)), "real dates and a TIME(6) of 0");
        assertTrue(log.get(0).getBigint("new_dts_sync_record_id") > 0);
    }

    /** d, dt, dt6, ts, d_null, t0, t3, t6 as the SDK reads them (dates as java.time, dt in the sink's UTC). */
    private static List<String> shown(Record record) {
        ArrayRecord r = (ArrayRecord) record;
        List<String> out = new ArrayList<>();
        out.add(String.valueOf(r.getDateAsLocalDate("d")));
        out.add(String.valueOf(r.getDatetimeAsZonedDateTime("dt") == null ? null
                : r.getDatetimeAsZonedDateTime("dt").withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime()));
        out.add(String.valueOf(r.getTimestampNtz("dt6")));
        out.add(String.valueOf(r.getTimestampAsInstant("ts")));
        out.add(String.valueOf(r.getDateAsLocalDate("d_null")));
        for (String time : List.of("t0", "t3", "t6")) {
            out.add(String.valueOf(r.getString(time)));
        }
        return out;
    }

    private static void exec(String... sql) throws Exception {
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION', SESSION time_zone = '+00:00'");
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
