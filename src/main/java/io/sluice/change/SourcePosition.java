package io.sluice.change;

/**
 * Where a change event came from in the source's binlog.
 *
 * @param binlogFile  binlog file name, e.g. {@code mariadb-bin.000003}
 * @param position    byte offset in that file of the event group (transaction) the row belongs to: Debezium gives
 *                    the group's start, not the rows event's own position
 * @param rowInEvent  index of the row within its binlog rows event (Debezium splits one event into one record per row)
 * @param gtid        the transaction's GTID, or null without GTID mode
 * @param serverId    the source server's server_id (0 for snapshot rows)
 * @param threadId    the connection thread that made the change, or null when the binlog does not say
 * @param eventTimeMs binlog event time in ms (whole seconds x 1000); for snapshot rows the time they were read
 * @param snapshot    true for rows and DDL of the initial snapshot (full load), false for binlog changes
 * @param eventInGroup index of the row's binlog event within its event group, counted from the group's first event
 *                    at {@code position} (Debezium's source offset {@code event}); 0 when unknown
 * @param loadContinued true for a full-load row of a load that continues where a stopped run left it (the incremental
 *                    snapshot of a table added to a running binlog link, resumed after a restart from the chunk it
 *                    reached): the rows the load delivered before stay valid, so a sink that empties a table's
 *                    destination at the start of its load must not do so for this row
 */
public record SourcePosition(String binlogFile, long position, int rowInEvent, String gtid, long serverId,
                             Long threadId, long eventTimeMs, boolean snapshot, long eventInGroup,
                             boolean loadContinued) {

    public SourcePosition(String binlogFile, long position, int rowInEvent, String gtid, long serverId,
                          Long threadId, long eventTimeMs, boolean snapshot, long eventInGroup) {
        this(binlogFile, position, rowInEvent, gtid, serverId, threadId, eventTimeMs, snapshot, eventInGroup, false);
    }

    public SourcePosition(String binlogFile, long position, int rowInEvent, String gtid, long serverId,
                          Long threadId, long eventTimeMs, boolean snapshot) {
        this(binlogFile, position, rowInEvent, gtid, serverId, threadId, eventTimeMs, snapshot, 0);
    }

    /** This position, of a full-load row whose load continues ({@link #loadContinued}). */
    public SourcePosition asLoadContinued() {
        return new SourcePosition(binlogFile, position, rowInEvent, gtid, serverId, threadId, eventTimeMs, snapshot,
                eventInGroup, true);
    }

    /** The file's sequence number: {@code mariadb-bin.000143} -> 143 (DTS writes positions as {@code offset@index}). */
    public long binlogFileIndex() {
        int dot = binlogFile == null ? -1 : binlogFile.lastIndexOf('.');
        if (dot < 0) {
            return 0;
        }
        try {
            return Long.parseLong(binlogFile.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
