package io.sluice.deadletter;

import io.sluice.base.Errors;
import io.sluice.jdbc.BatchWriter;
import io.sluice.jdbc.SinkWriteException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The default dead-letter channel of APS links: a table in the destination database holding each dirty record with
 * its link, position, field, reason and raw message. Created on first use. Its entries can be removed, so its dirty
 * records can be replayed.
 */
public final class DeadLetterTable implements StoredDeadLetters {

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
            insert(c, entries);
        } catch (SQLException e) {
            throw SinkWriteException.of(qualified, e);
        }
    }

    private void insert(Connection c, List<DeadLetter> entries) throws SQLException {
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
    }

    @Override
    public List<Map<String, Object>> read(String link, int limit) {
        return select("link_id = ? ORDER BY id DESC LIMIT ?", ps -> {
            ps.setString(1, link);
            ps.setInt(2, limit);
        }).stream().map(e -> StoredDeadLetters.view(e.letter(), e.time())).toList();
    }

    private static final String COLUMNS = "id, link_id, position, field, reason, raw_message, recorded_at";

    private static List<Entry> entries(PreparedStatement ps) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Entry(rs.getLong(1), new DeadLetter(rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBytes(6)), rs.getTimestamp(7).toInstant()));
            }
        }
        return out;
    }

    private IllegalStateException unreadable(SQLException e) {
        return new IllegalStateException("could not read the dead-letter table " + qualified + ": " + Errors.describe(e), e);
    }

    @Override
    public long newestId(String link) {
        try (Connection c = dataSource.get().getConnection()) {
            ensure(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM " + qualified + " WHERE link_id = ?")) {
                ps.setString(1, link);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    @Override
    public List<Entry> entries(String link, long afterId, long upToId, int limit) {
        return select("link_id = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?", ps -> {
            ps.setString(1, link);
            ps.setLong(2, afterId);
            ps.setLong(3, upToId);
            ps.setInt(4, limit);
        });
    }

    private interface Parameters {
        void set(PreparedStatement ps) throws SQLException;
    }

    private List<Entry> select(String where, Parameters parameters) {
        try (Connection c = dataSource.get().getConnection()) {
            ensure(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + qualified + " WHERE " + where)) {
                parameters.set(ps);
                return entries(ps);
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    @Override
    public void remove(Collection<Long> ids) {
        replace(ids, List.of());
    }

    @Override
    public void replace(Collection<Long> ids, List<DeadLetter> renewed) {
        if (ids.isEmpty() && renewed.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.get().getConnection()) {
            ensure(c);
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (!ids.isEmpty()) {
                    String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + qualified + " WHERE id IN (" + marks + ")")) {
                        int i = 1;
                        for (long id : ids) {
                            ps.setLong(i++, id);
                        }
                        ps.executeUpdate();
                    }
                }
                if (!renewed.isEmpty()) {
                    insert(c, renewed);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw SinkWriteException.of(qualified, e);
        }
    }
}
