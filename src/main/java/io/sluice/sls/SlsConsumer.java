package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.Consts;
import com.aliyun.openservices.log.common.LogGroupData;
import com.aliyun.openservices.log.common.Shard;
import com.aliyun.openservices.log.exception.LogException;
import com.aliyun.openservices.log.request.PullLogsRequest;
import com.aliyun.openservices.log.response.PullLogsResponse;
import io.sluice.base.BatchRetry.Outcome;
import io.sluice.base.ConnectionFailures;
import io.sluice.base.Errors;
import io.sluice.base.SecretMasker;
import io.sluice.base.SourceRecord;
import io.sluice.source.BatchSourceConsumer;
import io.sluice.state.CheckpointStore;
import io.sluice.state.CheckpointStore.Checkpoint;
import io.sluice.state.CheckpointStore.Part;
import org.apache.camel.Processor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One poll loop per link over all shards of a logstore: pull log groups from every readable shard in parallel, hand
 * the logs to the route as one batch, and only when the route processed it (the sink committed its rows) advance
 * and checkpoint each shard's cursor. A failed batch is pulled again from the same cursors after a pause.
 *
 * <p>Shard splits and merges: a read-only shard is read to its end, then marked finished; a shard whose hash range
 * overlaps an unfinished read-only shard with a lower id (its parent) waits until the parent is finished, so a
 * key's logs stay in order. New shards start at the link's start time (or their beginning).
 */
class SlsConsumer extends BatchSourceConsumer {

    private final SlsEndpoint endpoint;
    private final SlsOptions options;
    private final CheckpointStore store;
    private ExecutorService pullers;
    final Map<Integer, Shard> shards = new TreeMap<>();
    Checkpoint checkpoint;
    /** When the shard list was read; 0 has the poll loop read it (and apply what else changed) before its next pull. */
    volatile long lastRefresh;
    private String refusal;

    /** What one shard's pull returned. */
    private record Pulled(int shard, String next, List<SourceRecord> records, int groups, boolean finished) {
    }

    SlsConsumer(SlsEndpoint endpoint, Processor processor) {
        super(endpoint, processor, endpoint.component().stats(), endpoint.getOptions());
        this.endpoint = endpoint;
        this.options = endpoint.getOptions();
        this.store = endpoint.component().checkpoints();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // checked while this link starts (routes start one at a time), so of two conflicting links the first wins;
        // the refusal is reported from the poll thread as a halt: the link shows failed with the reason, no retries
        refusal = refusal();
        pullers = Executors.newFixedThreadPool(options.getPullThreads(), r -> new Thread(r, "sluice-sls-pull-" + link()));
        startPolling("sluice-sls-" + link());
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (pullers != null) {
            pullers.shutdownNow();
        }
    }

    @Override
    protected String sourceName() {
        return "the SLS";
    }

    /** The source's name in the state store: the checkpoint is {@code <link>.sls.json} or the row {@code <link>/sls.checkpoint}. */
    private static final String CHECKPOINT = "sls";

    private String startMark() {
        Long start = options.startTimeMillis();
        return "startTime=" + (start == null ? "" : start);
    }

    /**
     * Why this link must not run (missing credentials, or a rule across links the control plane checks: the
     * one-logstore-per-table limit), or null.
     */
    private String refusal() {
        try {
            endpoint.checkCredentials();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        return endpoint.component().startRules().refusal(link());
    }

    @Override
    protected void pollLoop() {
        if (refusal != null) {
            halt(refusal, null);
            return;
        }
        while (isRunning()) {
            try {
                open();
                break;
            } catch (LogException e) {
                if (!failed(e)) {
                    return;
                }
            } catch (RuntimeException e) {
                stateStoreDown(e); // the checkpoint could not be read: not from the start time, but again after a pause
            }
        }
        List<Future<Pulled>> ahead = null;
        while (isRunning()) {
            try {
                if (System.currentTimeMillis() - lastRefresh >= options.getShardRefreshMs()) {
                    // a busy logstore keeps reading ahead: drop that read, so splits and merges are still seen
                    discard(ahead);
                    ahead = null;
                    refreshShards();
                }
                List<Future<Pulled>> current = ahead != null ? ahead : submit(cursors(List.of()));
                ahead = null;
                List<Pulled> pulled = collect(current);
                readRecovered();
                // read ahead while the sink writes this batch: the next pulls start from this batch's next
                // cursors, which are committed only if the batch is; otherwise they are thrown away
                if (pulled.stream().anyMatch(p -> p.groups() >= options.getBatchSize())
                        && pulled.stream().noneMatch(Pulled::finished)) {
                    ahead = submit(cursors(pulled));
                }
                Boolean committed = pollOnce(pulled);
                if (committed == null) {
                    discard(ahead);
                    return;
                }
                if (!committed) {
                    discard(ahead);
                    ahead = null;
                }
            } catch (LogException e) {
                discard(ahead);
                ahead = null;
                if (!failed(e)) {
                    return;
                }
            }
        }
        discard(ahead);
    }

    /**
     * Delivers what was pulled and commits it: true when the pulled cursors are committed, false when the batch is
     * to be pulled again, null when the link halted.
     */
    private Boolean pollOnce(List<Pulled> pulled) throws LogException {
        List<SourceRecord> batch = new ArrayList<>();
        long newest = 0;
        boolean full = false;
        boolean finished = false;
        for (Pulled p : pulled) {
            batch.addAll(p.records());
            for (SourceRecord r : p.records()) {
                newest = Math.max(newest, r.sourceTime());
            }
            full |= p.groups() >= options.getBatchSize();
            finished |= p.finished();
        }
        if (!batch.isEmpty()) {
            Outcome outcome = deliver(batch, newest);
            if (outcome == Outcome.HALTED) {
                return null;
            }
            if (outcome != Outcome.DONE) {
                return false; // the cursors did not move: the same logs are pulled again
            }
        }
        if (!pulled.isEmpty() && (!batch.isEmpty() || finished || anyMoved(pulled))) {
            commit(pulled);
        }
        if (finished) {
            refreshShards();
        }
        if (batch.isEmpty()) {
            stats().lag(0);
        }
        if (!full) {
            sleep(options.getPollIntervalMs());
        }
        return true;
    }

    /** The cursor of each readable shard: its checkpoint, or the next cursor a pull not yet committed returned. */
    private Map<Integer, String> cursors(List<Pulled> uncommitted) {
        Map<Integer, String> cursors = new TreeMap<>();
        for (Shard s : readable()) {
            cursors.put(s.getShardId(), checkpoint.parts.get(key(s.getShardId())).next);
        }
        for (Pulled p : uncommitted) {
            cursors.computeIfPresent(p.shard(), (k, v) -> p.next());
        }
        return cursors;
    }

    /** Waits for pulls whose result is no longer wanted. */
    private static void discard(List<Future<Pulled>> futures) {
        if (futures == null) {
            return;
        }
        for (Future<Pulled> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // not wanted anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean anyMoved(List<Pulled> pulled) {
        for (Pulled p : pulled) {
            if (!p.next().equals(checkpoint.parts.get(key(p.shard())).next)) {
                return true;
            }
        }
        return false;
    }

    /** A read failed: true to go on after the pause, false when the link halted. */
    private boolean failed(LogException e) {
        String message = SecretMasker.maskText(SlsErrors.describe(endpoint, e));
        if (SlsErrors.isFatal(e)) {
            halt(message, null);
            return false;
        }
        readFailed(message);
        return true;
    }

    /** Loads the checkpoint (or starts over when the start time or logstore changed) and positions every shard. */
    void open() throws LogException {
        Checkpoint cp = store.load(link(), CHECKPOINT);
        String mark = startMark();
        if (cp != null && (!mark.equals(cp.startMark) || !endpoint.describe().equals(cp.source))) {
            stats().runLog().add("start-offset", "the start offset or logstore changed: every shard starts again at "
                    + options.startTimeOr("its beginning"));
            cp = null;
        }
        boolean resumed = cp != null;
        checkpoint = cp != null ? cp : new Checkpoint(mark, endpoint.describe());
        shards.clear();
        refreshShards();
        stats().runLog().add("start-offset", (resumed ? "resumed from the checkpoint of " : "positioned ")
                + checkpoint.parts.size() + " shard(s) of " + endpoint.describe()
                + (resumed ? "" : " at " + options.startTimeOr("their beginning")));
    }

    /** Reads the shard list; new shards get a cursor at the start time, vanished (expired) ones are finished. */
    void refreshShards() throws LogException {
        Client client = endpoint.client();
        List<Shard> listed = client.ListShard(options.getProject(), endpoint.getLogstore()).GetShards();
        boolean changed = false;
        Set<Integer> seen = new HashSet<>();
        for (Shard s : listed) {
            seen.add(s.getShardId());
            shards.put(s.getShardId(), s);
            if (reads(s.getShardId()) && !checkpoint.parts.containsKey(key(s.getShardId()))) {
                checkpoint.parts.put(key(s.getShardId()), new Part(startCursor(client, s.getShardId()), false));
                changed = true;
            }
        }
        for (Map.Entry<String, Part> e : checkpoint.parts.entrySet()) {
            if (!seen.contains(Integer.parseInt(e.getKey())) && !e.getValue().finished) {
                e.getValue().finished = true; // a read-only shard past its retention is deleted by SLS
                shards.remove(Integer.parseInt(e.getKey()));
                changed = true;
            }
        }
        lastRefresh = System.currentTimeMillis();
        if (changed) {
            save();
        }
    }

    /** Whether this consumer reads the shard: every shard, unless a consumer group gives it to another consumer. */
    boolean reads(int shard) {
        return true;
    }

    /** Where a shard new to this link starts: the start time, or its beginning. */
    String startCursor(Client client, int shard) throws LogException {
        Long start = options.startTimeMillis();
        if (start == null) {
            return client.GetCursor(options.getProject(), endpoint.getLogstore(), shard, Consts.CursorMode.BEGIN).GetCursor();
        }
        return client.GetCursor(options.getProject(), endpoint.getLogstore(), shard, start / 1000).GetCursor();
    }

    /** Shards to pull now: unfinished, and not waiting for an unfinished read-only parent that overlaps them. */
    private List<Shard> readable() {
        List<Shard> out = new ArrayList<>();
        for (Shard s : shards.values()) {
            Part part = checkpoint.parts.get(key(s.getShardId()));
            if (part == null || part.finished) {
                continue;
            }
            boolean waiting = false;
            for (Shard p : shards.values()) {
                Part pp = checkpoint.parts.get(key(p.getShardId()));
                if (p.getShardId() < s.getShardId() && "readonly".equalsIgnoreCase(p.getStatus()) && pp != null
                        && !pp.finished && overlaps(p, s)) {
                    waiting = true;
                    break;
                }
            }
            if (!waiting) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean overlaps(Shard a, Shard b) {
        return a.getInclusiveBeginKey().compareTo(b.getExclusiveEndKey()) < 0
                && b.getInclusiveBeginKey().compareTo(a.getExclusiveEndKey()) < 0;
    }

    private List<Future<Pulled>> submit(Map<Integer, String> cursors) {
        List<Future<Pulled>> futures = new ArrayList<>();
        cursors.forEach((shard, cursor) -> {
            boolean readOnly = "readonly".equalsIgnoreCase(shards.get(shard).getStatus());
            futures.add(pullers.submit(() -> pull(shard, cursor, readOnly)));
        });
        return futures;
    }

    private List<Pulled> collect(List<Future<Pulled>> futures) throws LogException {
        List<Pulled> out = new ArrayList<>();
        LogException failure = null;
        for (Future<Pulled> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof LogException le) {
                    failure = failure == null ? le : failure;
                } else {
                    throw new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    private Pulled pull(int shard, String cursor, boolean readOnly) throws LogException {
        PullLogsResponse r = endpoint.client().pullLogs(new PullLogsRequest(options.getProject(), endpoint.getLogstore(),
                shard, options.getBatchSize(), cursor));
        List<SourceRecord> records = new ArrayList<>();
        if (r.getCount() > 0) {
            List<LogGroupData> groups = r.getLogGroups();
            for (int g = 0; g < groups.size(); g++) {
                records.addAll(SlsRecords.of(groups.get(g).GetFastLogGroup(),
                        "shard " + shard + ", cursor " + cursor + ", group " + g, 0));
            }
        }
        // a read-only shard that has nothing more after this cursor is finished: its children take over
        boolean finished = readOnly && r.getCount() == 0;
        return new Pulled(shard, r.getNextCursor(), records, r.getCount(), finished);
    }

    private void commit(List<Pulled> pulled) {
        for (Pulled p : pulled) {
            Part part = checkpoint.parts.get(key(p.shard()));
            part.next = p.next();
            part.finished |= p.finished();
            if (p.finished()) {
                stats().runLog().add("shard", "read-only shard " + p.shard() + " of " + endpoint.getLogstore()
                        + " is read to its end; its children continue");
            }
        }
        save();
    }

    /**
     * Stores the checkpoint. The sink has committed the batch: a state database that does not answer is waited for
     * (the link shows retrying), since reading on would leave the stored position further and further behind.
     */
    void save() {
        checkpoint.savedAt = System.currentTimeMillis();
        while (true) {
            try {
                store.save(link(), CHECKPOINT, checkpoint);
                return;
            } catch (RuntimeException e) {
                stateStoreDown(e);
                if (!isRunning()) {
                    throw e; // stopping: the batch is read again from the stored checkpoint (at-least-once)
                }
            }
        }
    }

    /** The state store did not answer: shown as the link's last error, then a pause; anything else is rethrown. */
    private void stateStoreDown(RuntimeException e) {
        if (!ConnectionFailures.isConnectionFailure(e)) {
            throw e;
        }
        readFailed("the state store does not answer: " + Errors.describe(e) + "; check that the state database "
                + "runs and accepts connections from this host; the link keeps trying");
    }

    static String key(int shard) {
        return String.valueOf(shard);
    }
}
