package io.sluice.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Micro check: 100,000 rows x 10 columns through BatchWriter; prints rows/s, asserts only correctness. */
class WriteThroughputCheckTest {

    static final int ROWS = 100_000;
    static MariaDbServer server;

    @BeforeAll
    static void start() throws Exception {
        server = MariaDbServer.start();
        server.exec("DROP DATABASE IF EXISTS bench", "CREATE DATABASE bench",
                "CREATE TABLE bench.events (id BIGINT NOT NULL PRIMARY KEY, user_id INT NOT NULL, kind VARCHAR(32),"
                        + " amount DECIMAL(12,2), ratio DOUBLE, flag TINYINT(1), day DATE, ts DATETIME(3),"
                        + " note VARCHAR(128), score BIGINT)");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static List<Object[]> rows(int n, String tag) {
        List<Object[]> rows = new ArrayList<>(n);
        LocalDateTime ts = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6_000_000);
        for (int i = 0; i < n; i++) {
            rows.add(new Object[]{(long) i, i % 1000, "kind-" + (i % 17), BigDecimal.valueOf(i, 2), i * 0.5,
                    (i & 1) == 0, LocalDate.of(2024, 1, 1).plusDays(i % 300), ts.plusSeconds(i),
                    tag + " note number " + i, (long) i * 31});
        }
        return rows;
    }

    @Test
    void upsert100kRows() throws Exception {
        DataSource ds = server.rootDataSource("bench");
        TableSchema schema;
        try (Connection c = ds.getConnection()) {
            schema = TableSchemaReader.read(c, "bench", "events");
        }
        List<String> cols = schema.columns().stream().map(io.sluice.record.Column::name).toList();
        BatchWriter w = new BatchWriter(ds, schema, cols, WriteMode.UPSERT, 1000);
        w.write(rows(5_000, "warmup")); // JIT + buffer pool warm-up
        server.exec("TRUNCATE TABLE bench.events");

        for (String phase : List.of("insert-path", "update-path")) {
            List<Object[]> data = rows(ROWS, phase);
            long t0 = System.nanoTime();
            w.write(data);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("[throughput] upsert %s: %,d rows x 10 cols in %.2f s = %,.0f rows/s%n",
                    phase, ROWS, s, ROWS / s);
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(note LIKE 'update-path%') FROM bench.events")) {
            rs.next();
            assertEquals(ROWS, rs.getLong(1));
            assertEquals(ROWS, rs.getLong(2));
        }
    }
}
