package io.sluice.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.RecordWriter;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TableTunnel.UploadSession;
import com.aliyun.odps.tunnel.TableTunnel.UploadStatus;
import com.aliyun.odps.tunnel.TunnelException;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a batch of rows into one table (or one partition) through one tunnel upload session, and returns only
 * once that session is committed: rows split into blocks of at most {@code blockRows} (block ids 0..n-1), then
 * {@code commit(blockIds)}.
 *
 * <p>A failed commit is never answered by writing the rows again into a new session while the old one may still
 * commit (that would duplicate them). Instead the session is reloaded: committed already (status closed: the
 * failed answer was lost on the way) -> done; still open -> blocks the server lacks are written again (same id,
 * which replaces rather than adds; a block whose write failed is always rewritten, as the server may hold a
 * truncated copy) and the commit is retried with the same block list; gone (expired, 404) ->
 * only then a new session is opened and all blocks written into it.
 */
final class BlockUploader {

    private static final Logger LOG = Logger.getLogger(BlockUploader.class);

    private final TableTunnel tunnel;
    private final String project;
    private final int blockRows;
    private final boolean compress;
    private final int maxAttempts;
    private final long retryBackoffMs;
    /** Told of each failed attempt that is tried again (the link shows retrying meanwhile, not running). */
    private java.util.function.Consumer<String> attemptFailed = message -> { };

    BlockUploader(TableTunnel tunnel, String project, int blockRows, boolean compress, int maxAttempts,
                  long retryBackoffMs) {
        this.tunnel = tunnel;
        this.project = project;
        this.blockRows = blockRows;
        this.compress = compress;
        this.maxAttempts = maxAttempts;
        this.retryBackoffMs = retryBackoffMs;
    }

    void onFailedAttempt(java.util.function.Consumer<String> listener) {
        this.attemptFailed = listener;
    }

    /** Uploads {@code rows} (values in the order of {@code columns}) into {@code table} / {@code partition}. */
    void upload(String table, PartitionSpec partition, List<Column> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        String where = project + "." + table + (partition == null ? "" : " partition " + partition);
        Column[] cols = columns.toArray(new Column[0]);
        int blockCount = (rows.size() + blockRows - 1) / blockRows;
        Long[] blockIds = new Long[blockCount];
        for (int i = 0; i < blockCount; i++) {
            blockIds[i] = (long) i;
        }
        Exception last = null;
        UploadSession session = null;
        Set<Long> toWrite = new HashSet<>(Arrays.asList(blockIds));
        // Blocks whose writer closed without error in the current session. A block the server lists but that is not
        // here may be a truncated one (the write failed half-way and the SDK still ended the request): rewrite it.
        Set<Long> confirmed = new HashSet<>();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                if (session == null) {
                    session = partition == null ? tunnel.createUploadSession(project, table)
                            : tunnel.createUploadSession(project, table, partition);
                    toWrite = new HashSet<>(Arrays.asList(blockIds));
                    confirmed.clear();
                }
                for (Long block : blockIds) {
                    if (toWrite.contains(block)) {
                        confirmed.remove(block);
                        writeBlock(session, block, cols, rows);
                        confirmed.add(block);
                        toWrite.remove(block);
                    }
                }
                session.commit(blockIds);
                return;
            } catch (Exception e) {
                last = e;
                LOG.warnf("MaxCompute upload to %s, attempt %d of %d failed: %s", where, attempt, maxAttempts,
                        e.getMessage());
                if (attempt < maxAttempts) {
                    attemptFailed.accept("MaxCompute upload to " + where + ", attempt " + attempt + " of " + maxAttempts
                            + " failed: " + e.getMessage() + "; retrying");
                }
                if (session == null) {
                    pause(attempt);
                    continue;
                }
                // What happened to the session? Reload it: the answer decides between done, retry and reopen.
                try {
                    UploadSession reloaded = partition == null
                            ? tunnel.getUploadSession(project, table, session.getId())
                            : tunnel.getUploadSession(project, table, partition, session.getId());
                    UploadStatus status = reloaded.getStatus();
                    if (status == UploadStatus.CLOSED) {
                        LOG.infof("MaxCompute upload to %s: session %s was committed although the commit answer "
                                + "was lost", where, session.getId());
                        return;
                    }
                    if (status != UploadStatus.NORMAL) {
                        session = null; // expired/canceled/critical: nothing of it will ever commit
                    } else {
                        Set<Long> good = new HashSet<>(Arrays.asList(reloaded.getBlockList()));
                        good.retainAll(confirmed);
                        confirmed.retainAll(good);
                        toWrite = new HashSet<>(Arrays.asList(blockIds));
                        toWrite.removeAll(good);
                        session = reloaded;
                    }
                } catch (TunnelException gone) {
                    // the SDK's reload drops the HTTP status; the error code says it
                    if ((gone.getStatus() != null && gone.getStatus() == 404)
                            || "NoSuchUpload".equals(gone.getErrorCode())) {
                        LOG.warnf("MaxCompute upload to %s: session %s is gone; writing the batch into a new session",
                                where, session.getId());
                        session = null;
                    }
                    // otherwise the server is unreachable: keep the session and try again after a pause
                } catch (Exception unreachable) {
                    // keep the session, try again
                }
                pause(attempt);
            }
        }
        throw new MaxComputeException("MaxCompute upload to " + where + " failed after " + maxAttempts
                + " attempts: " + (last == null ? "" : last.getMessage()), last);
    }

    private void writeBlock(UploadSession session, long block, Column[] cols, List<Object[]> rows) throws Exception {
        int from = (int) block * blockRows;
        int to = Math.min(rows.size(), from + blockRows);
        CheckedRow record = new CheckedRow(cols);
        try (RecordWriter writer = session.openRecordWriter(block, compress)) {
            for (Object[] values : rows.subList(from, to)) {
                record.values = values;
                writer.write(record);
            }
        }
    }

    /**
     * One record for the block, pointed at each row in turn. The rows come from {@link ChangeTableWriter}, which ran the
     * SDK's value checks and conversions on every value already ({@code ArrayRecord.set} on its check record, to halt
     * with the column's name), so setting them again here would repeat the same work per value on the sink's thread.
     * The tunnel's record writer reads a record only through {@code getColumnCount()} and {@code get(int)}
     * (ProtobufRecordStreamWriter), which this answers from the row. (One record per block, not per row: a new
     * ArrayRecord builds its column-name map, a lowercased name per column.)
     */
    private static final class CheckedRow extends ArrayRecord {
        private Object[] values;

        CheckedRow(Column[] columns) {
            super(columns);
        }

        @Override
        public Object get(int index) {
            return values[index];
        }
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(Math.min(30_000, retryBackoffMs * (1L << Math.min(attempt - 1, 10))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MaxComputeException("interrupted while retrying a MaxCompute upload", e);
        }
    }

}
