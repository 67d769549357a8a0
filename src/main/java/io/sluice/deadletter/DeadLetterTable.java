package io.sluice.deadletter;

import io.sluice.base.Errors;
import io.sluice.jdbc.BatchWriter;
import io.sluice.jdbc.SinkWriteException;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The default dead-letter channel of APS links: a table in the destination database holding each dirty record with
 * its link, position, field, reason and raw message. Created on first use.
 */
public final class DeadLetterTable implements DeadLetterChannel {

    private final Supplier<DataSource> dataSource;
    private final String qualified;
    private volatile boolean created;

    /** {@code qualifiedName} is {@code <database>.<table>}. */
    public DeadLetterTable(Supplier<DataSource> dataSource, String qualifiedName) {
        String[] parts = qualifiedName.split("\\.", 2);
        this.dataSource = dataSource;
        this.qualified = BatchWriter.quote(parts[0]) + "." + BatchWriter.quote(parts[1]);
    }

    @Override
    public String describe() {
        return "table " + qualified.replace("`", "");
    }

    private void ensure(Connection c) throws SQLException {
        if (!created) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + qualified + " ("
                        + "id BIGINT AUTO_INCREMENT PRIMARY KEY, link_id VARCHAR(255) NOT NULL, "
                        + "position VARCHAR(255) NOT NULL, field VARCHAR(255), reason TEXT NOT NULL, "
                        + "raw_message MEDIUMBLOB, recorded_at DATETIME(3) NOT NULL, KEY (link_id, id))");
            }
            created = true;
        }
    }

    @Override
    public void write(List<DeadLetter> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.get().getConnection()) {
            ensure(c);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualified
                    + " (link_id, position, field, reason, raw_message, recorded_at) VALUES (?,?,?,?,?,?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (DeadLetter e : entries) {
                    ps.setString(1, e.link());
                    ps.setString(2, e.position());
                    ps.setString(3, e.field());
                    ps.setString(4, e.reason());
                    ps.setBytes(5, e.raw());
                    ps.setTimestamp(6, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        } catch (SQLException e) {
            throw SinkWriteException.of(qualified, e);
        }
    }

    @Override
    public List<Map<String, Object>> read(String link, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.get().getConnection()) {
            ensure(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT position, field, reason, raw_message, recorded_at FROM "
                    + qualified + " WHERE link_id = ? ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, link);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("position", rs.getString(1));
                        row.put("field", rs.getString(2));
                        row.put("reason", rs.getString(3));
                        byte[] raw = rs.getBytes(4);
                        row.put("rawMessage", raw == null ? null : new String(raw, StandardCharsets.UTF_8));
                        row.put("time", rs.getTimestamp(5).toInstant().toString());
                        out.add(row);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the dead-letter table " + qualified + ": " + Errors.describe(e), e);
        }
        return out;
    }
}
