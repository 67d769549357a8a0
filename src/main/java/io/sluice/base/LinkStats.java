package io.sluice.base;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What a link has done since this process started: the counters behind the API and the Prometheus metrics, the
 * last error and the run log. Sources and sinks of a link report here; one instance per link id.
 */
public final class LinkStats {

    private final AtomicLong recordsIn = new AtomicLong();
    private final AtomicLong recordsOut = new AtomicLong();
    private final AtomicLong recordsFailed = new AtomicLong();
    private final AtomicLong recordsDirty = new AtomicLong();
    private final AtomicLong lagMillis = new AtomicLong();
    private final RunLog runLog;
    /** Records out per second of the last {@value #RATE_WINDOW_S} s, for {@link #rowsPerSecond()}. */
    private final Throughput throughput = new Throughput(RATE_WINDOW_S);
    /** The full load this link's source started last in this process, or null. */
    private volatile FullLoadProgress fullLoad;
    /** Source commit -> sink acknowledgement per change (set by the registry that exports it). */
    private volatile java.util.function.LongConsumer latencySink = ms -> { };
    private volatile String lastError;
    private volatile Instant lastErrorTime;
    /** True while the most recent attempt to move records failed and none has succeeded since. */
    private volatile boolean failing;
    /** A probe found a server of the link down ({@link #serverDown}). */
    private volatile boolean serverDown;
    /** Set when the link itself stopped the route because it cannot go on (e.g. dirty data under policy stop). */
    private volatile String haltReason;
    /** Paused by the user (the route is stopped underneath, its position committed). */
    private volatile boolean paused;
    /** The sink's destination and how long its longest-running write has been running (ms, 0 when none). */
    private volatile String writeDestination;
    private volatile LongSupplier runningWriteMillis = () -> 0;

    /**
     * A write (one statement or commit) running longer than this is shown as retrying: a multi-row statement takes
     * milliseconds, so seconds mean it waits inside the database (a lock another transaction holds, an overloaded
     * server) and will either get through or fail and be retried.
     */
    public static final long STALLED_WRITE_MS = 5_000;

    /** The window of {@link #rowsPerSecond()}: the console's "rows/s over the last minute". */
    static final int RATE_WINDOW_S = 60;

    LinkStats(int runLogSize) {
        this.runLog = new RunLog(runLogSize);
    }

    public void recordsIn(long n) {
        recordsIn.addAndGet(n);
    }

    /** Records durably written to the sink; clears a failing state (unless a server is still found down). */
    public void recordsOut(long n) {
        recordsOut.addAndGet(n);
        throughput.add(n);
        if (failing && !serverDown) {
            failing = false;
            runLog.add("recovered", "records are moving again");
        }
    }

    public void recordsDirty(long n) {
        recordsDirty.addAndGet(n);
    }

    /** An attempt to move records failed (the records are retried, not lost). */
    public void failed(long records, String error) {
        recordsFailed.addAndGet(records);
        failing = true;
        error(error);
    }

    /**
     * A probe found a server of the link down ({@code error} says which): the link is failing until {@link #serverUp},
     * also while records get through (a state store that is down does not stop the records, it stops their positions).
     */
    public void serverDown(String error) {
        serverDown = true;
        failed(0, error);
    }

    /** Whether a probe found a server of the link down and it has not answered since. */
    public boolean isServerDown() {
        return serverDown;
    }

    /** The server {@link #serverDown} named answers again. */
    public void serverUp() {
        if (serverDown) {
            serverDown = false;
            recordsOut(0);
        }
    }

    public void error(String error) {
        lastError = error;
        lastErrorTime = Instant.now();
        runLog.add("error", error);
    }

    /** The link stopped itself and must not be shown as merely stopped. Cleared by the next start. */
    public void halted(String reason) {
        haltReason = reason;
        error(reason);
    }

    /** The link started again (the control plane's start event): it no longer shows the last halt. */
    public void clearHalt() {
        haltReason = null;
        serverDown = false;
        failing = false;
    }

    /**
     * A sink that can tell how long its write in flight has been running registers it here (cheap to call per batch:
     * the same supplier is kept).
     */
    public void watchWrites(String destination, LongSupplier runningMillis) {
        if (runningWriteMillis != runningMillis) {
            writeDestination = destination;
            runningWriteMillis = runningMillis;
        }
    }

    /**
     * Why the link is not moving although nothing failed yet: a write that has been running inside the database for
     * longer than {@link #STALLED_WRITE_MS}; null otherwise.
     */
    public String stalledWrite() {
        long ms = runningWriteMillis.getAsLong();
        if (ms < STALLED_WRITE_MS) {
            return null;
        }
        return "a write to " + writeDestination + " has been waiting " + ms / 1000 + " s inside the database (for a lock "
                + "another transaction holds, or on an overloaded server); the batch is retried if it fails, nothing is "
                + "skipped";
    }

    public boolean paused() {
        return paused;
    }

    /** Set by the control plane when a person pauses or resumes the link. */
    public void paused(boolean value) {
        paused = value;
    }

    /** One change's latency: from its commit in the source to the sink's acknowledgement, in ms. */
    public void latency(long millis) {
        latencySink.accept(Math.max(0, millis));
    }

    void latencySink(java.util.function.LongConsumer sink) {
        this.latencySink = sink;
    }

    public void lag(long millis) {
        lagMillis.set(Math.max(0, millis));
    }

    public long recordsIn() {
        return recordsIn.get();
    }

    public long recordsOut() {
        return recordsOut.get();
    }

    public long recordsFailed() {
        return recordsFailed.get();
    }

    public long recordsDirty() {
        return recordsDirty.get();
    }

    public long lagMillis() {
        return lagMillis.get();
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastErrorTime() {
        return lastErrorTime;
    }

    public boolean failing() {
        return failing;
    }

    public String haltReason() {
        return haltReason;
    }

    /** Records out per second over the last minute (over the time since this process first saw the link, if shorter). */
    public double rowsPerSecond() {
        return throughput.perSecond();
    }

    /** The full load the link's source reports, the last one started in this process; null when none was. */
    public FullLoadProgress fullLoad() {
        return fullLoad;
    }

    /** A source starting a full load reports its progress here (replacing the one of an earlier full load). */
    public void fullLoad(FullLoadProgress progress) {
        fullLoad = progress;
    }

    public RunLog runLog() {
        return runLog;
    }
}
