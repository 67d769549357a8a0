package io.sluice.binlog;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.sluice.base.Backoff;
import io.sluice.base.BatchExchanges;
import io.sluice.base.BatchId;
import io.sluice.base.BatchRetry;
import io.sluice.base.ConnectionFailures;
import io.sluice.base.Errors;
import io.sluice.base.LinkHaltException;
import io.sluice.base.LinkStats;
import io.sluice.base.PrecheckItem;
import io.sluice.base.ServerProbe;
import io.sluice.base.StopBudget;
import io.sluice.change.ChangeEvent;
import io.sluice.change.ObjectNames;
import io.sluice.change.RowFilters;
import io.sluice.change.SourceTimeZone;
import io.sluice.state.JdbcStateStore;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the link's Debezium engine and hands each batch of change events to the route as one exchange. Positions are
 * marked processed only after the exchange succeeded, so the offsets Debezium stores never pass a change the sink has
 * not accepted. A failed batch is retried, the same batch, after a growing pause; a {@link LinkHaltException} stops
 * the link with its position where it was.
 *
 * <p>Two threads, so that reading and delivering overlap: Debezium's handler thread only hands a batch's records over
 * (and goes back to Debezium's queue); the link's delivery thread turns them into change events, passes them to the
 * route in order and marks a batch's records processed once its exchange succeeded and every batch before it was
 * marked. (Converting on Debezium's thread made that thread wait for the delivery thread with its next batch
 * unconverted, and it was slower, BENCHMARKS.md "Session 5".) With a sink that completes
 * exchanges when its destination acknowledges them (kafka-change), the next batch is sent while the previous one is
 * being acknowledged; with one thread doing everything, that thread idled through every wait (BENCHMARKS.md). At
 * most one batch waits between the two threads and {@link #IN_FLIGHT} are sent and unmarked.
 */
class BinlogConsumer extends DefaultConsumer {

    private static final Logger LOG = Logger.getLogger(BinlogConsumer.class);

    private final BinlogEndpoint endpoint;
    private final Throttle fullThrottle;
    private final Throttle incrementalThrottle;
    private volatile boolean running;
    private volatile boolean halted;
    /** The link's renames and name capitalization, {@code dts-default} as the control plane resolved it. */
    private volatile ObjectNames names;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    /** Where the link's full load began, so that one interrupted leaves no phantom rows ({@link FullLoadStart}). */
    private FullLoadStart fullLoad;
    /** Tables added to the link's selection while it streamed, and their full load ({@link AddedTables}). */
    private AddedTables addedTables;
    /** The full load's progress as the API shows it (tables, rows accepted, estimates). */
    private FullLoadWatch fullLoadWatch;
    private ExecutorService executor;
    /** Batches from Debezium's thread, waiting for the delivery thread. */
    private final BlockingQueue<Pending> handoff = new ArrayBlockingQueue<>(1);
    private Thread delivery;
    /** A restart of this consumer is under way ({@link #restartInBackground}). */
    private final AtomicBoolean restarting = new AtomicBoolean();
    /** Since when the binlog reader cannot run (its restarts fail); 0 once a batch gets through. */
    private volatile long failingSince;

    /** One batch from Debezium: its records (marked once the batch is delivered) and their change events. */
    private record Batch(List<RecordChangeEvent<SourceRecord>> records,
                         DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer,
                         List<ChangeEvent> events, long newestEventTime, FullLoadWatch.Rows fullLoadRows, BatchId id) {
    }

    BinlogConsumer(BinlogEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.fullThrottle = endpoint.getOptions().fullThrottle();
        this.incrementalThrottle = endpoint.getOptions().incrementalThrottle();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String link = getRouteId();
        List<PrecheckItem> items = endpoint.precheck();
        if (items.stream().anyMatch(PrecheckItem::failed)) {
            String failures = PrecheckItem.failures(link, items);
            if (PrecheckItem.onlyUnreachable(items)) {
                // a server that does not answer: Camel's route supervisor retries the start with backoff, and the
                // link shows retrying with the reason (as every link does for a server it cannot reach)
                throw new IllegalStateException(failures);
            }
            stats().halted(failures); // shown as failed, not stopped, until a start passes the precheck
            throw new LinkHaltException(failures);
        }
        String warnings = PrecheckItem.warnings(link, items);
        if (warnings != null) {
            LOG.warn(warnings); // the link starts: a warning names a risk (e.g. a short binlog retention), not a fault
        }
        if (endpoint.jdbcStateStore() == null) {
            Files.createDirectories(endpoint.stateDir(link));
        }
        names = endpoint.objectNames();
        Properties properties = endpoint.engineProperties(link);
        fullLoad = FullLoadStart.of(link, endpoint.jdbcStateStore(), endpoint.stateDir(link), properties);
        fullLoad.beforeEngineStart(); // after a completed full load whose first attempt was interrupted: from its start
        addedTables = AddedTables.of(link, endpoint.jdbcStateStore(), endpoint.stateDir(link));
        try {
            addedTables.beforeEngineStart(fullLoad.offsetAtStart(), endpoint.getOptions(), endpoint.selection(),
                    endpoint.source(), endpoint.tls());
        } catch (LinkHaltException needsFix) {
            stats().halted(needsFix.getMessage()); // failed, as for a failed precheck, until a start passes
            throw needsFix;
        }
        addedTables.adjust(properties);
        fullLoadWatch = new FullLoadWatch(link, properties.getProperty("topic.prefix"), endpoint.source(), endpoint.tls(), this::stats,
                endpoint.selection());
        addedTables.watch(fullLoadWatch);
        running = true;
        halted = false;
        stats().serverUp(); // a probe of this consumer says again if a server is still down
        reachability = new ServerProbe(link, this::stats, PROBE_MS, true,
                sourceToo -> endpoint.unreachable(sourceToo, PROBE_TIMEOUT_MS),
                "the source server and the state store answer again", () -> running);
        retry = new BatchRetry(link, "changes", endpoint.getOptions().backoff(), () -> running && !halted, this::halt,
                endpoint.getOptions().retryTimes());
        handoff.clear();
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .notifying(this::handleBatch)
                .using(this::completed)
                .using(LastEventSummary.onTaskStarted(link, () -> engine)) // Debezium's metrics without the per-change key rendering
                .build();
        delivery = new Thread(this::deliverBatches, "sluice-deliver-" + link);
        delivery.start();
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "sluice-binlog-" + link));
        executor.execute(engine);
        addedTables.signal(() -> engine);
    }

    /**
     * Stops within the stop timeout ({@link StopBudget}): the batch being delivered finishes (and is marked) or gives up,
     * then the engine closes, committing the offsets of what was marked. A step that cannot finish in time (a batch
     * retried against a sink that does not answer, a commit to a state store that is down) is abandoned: the link's
     * stored position stays at the last batch marked, so what it carried is read again on start.
     */
    @Override
    protected void doStop() throws Exception {
        running = false;
        if (addedTables != null) {
            addedTables.close();
        }
        StopBudget budget = StopBudget.start(getRouteId());
        if (delivery != null) {
            // the batch being delivered finishes (and is marked) or gives up; batches not started are read again
            // what is left after the delivery is for closing the engine, which stores the position of what was marked
            long closing = Math.min(5_000, budget.totalMs() / 4);
            if (!StopBudget.ofMillis(getRouteId(), budget.remainingMs() - closing).join(delivery)) {
                delivery.interrupt(); // its waits (a sink's acknowledgement, a retry pause) end with nothing marked
                if (!StopBudget.ofMillis(getRouteId(), Math.min(500, closing / 2)).join(delivery)) {
                    budget.abandoned("the delivery of a batch");
                }
            }
            delivery = null;
            handoff.clear();
            if (unfinishedAtStop > 0) {
                budget.abandoned("the sink's write of " + unfinishedAtStop + " batch(es)");
                unfinishedAtStop = 0;
            }
        }
        if (engine != null) {
            DebeziumEngine<RecordChangeEvent<SourceRecord>> closing = engine;
            engine = null;
            StuckReaderRelease release = StuckReaderRelease.capture(getRouteId(), closing);
            budget.run("closing the binlog reader (storing the marked position)", () -> close(closing, budget));
            if (release != null) {
                release.releaseInBackground();
            }
        }
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(Math.max(1, budget.remainingMs()), TimeUnit.MILLISECONDS)) {
                    budget.abandoned("the binlog reader thread");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        super.doStop();
    }

    /**
     * Closes the engine, which commits the offsets of the records marked processed. Debezium refuses to stop an engine
     * whose tasks are still starting (their connections being opened would leak): a link stopped right after it started
     * (slower over TLS) asks again until they have started, within the stop budget; left alone, that engine would run on.
     */
    private static void close(DebeziumEngine<RecordChangeEvent<SourceRecord>> engine, StopBudget budget) {
        while (true) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException e) {
                // Debezium 3.4 AsyncEmbeddedEngine: "Cannot stop engine while tasks are starting ..."; any other refusal
                // is an engine that failed or halted and is shutting down on its own
                if (e.getMessage() == null || !e.getMessage().contains("tasks are starting") || budget.remainingMs() <= 0) {
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private LinkStats stats() {
        return endpoint.component().stats().of(getRouteId());
    }

    /**
     * Debezium's handler thread: hands the batch to the delivery thread (waiting while one waits). While the link
     * stops, batches are left unmarked (read again on start) and the engine is left running: failing it here would
     * shut it down while the delivery thread still marks the batches Kafka acknowledges, and those marks would be
     * lost (their changes sent again after a plain pause and resume); {@link #doStop} closes it once they are marked.
     */
    private void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                             DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        Pending batch = new Pending(List.copyOf(records), committer);
        while (running && !handoff.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            // the delivery thread is busy with the batch before
        }
    }

    /** Records handed over by Debezium's thread, converted on the delivery thread. */
    private record Pending(List<RecordChangeEvent<SourceRecord>> records,
                           DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) {
    }

    /** The batch's change events: selected and filtered by source names, then renamed for the destination. */
    private Batch convert(Pending p, BatchId id) {
        List<ChangeEvent> events = new ArrayList<>(p.records().size());
        long newest = 0;
        Selection selection = endpoint.selection();
        RowFilters filters = endpoint.rowFilters();
        boolean snapshot = false;
        List<ChangeEvent> snapshotRows = null; // kept full-load rows as the source names them, for the progress
        for (RecordChangeEvent<SourceRecord> r : p.records()) {
            Optional<ChangeEvent> e = addedTables.continued(DebeziumChangeEvents.toChangeEvent(r.record()));
            snapshot |= e.isPresent() && e.get().position().snapshot();
            if (e.isPresent() && selection.keep(e.get()) && filters.keep(e.get())) {
                events.add(names.apply(e.get()));
                newest = Math.max(newest, e.get().position().eventTimeMs());
                if (e.get().position().snapshot()) {
                    (snapshotRows == null ? snapshotRows = new ArrayList<>() : snapshotRows).add(e.get());
                }
            }
        }
        FullLoadWatch.Rows fullLoadRows = !snapshot ? null : fullLoadWatch.rows(
                snapshotRows == null ? List.of() : snapshotRows, p.records().stream().map(RecordChangeEvent::record).toList());
        return new Batch(p.records(), p.committer(), events, newest, fullLoadRows, id);
    }

    /**
     * Whether the source server and a JDBC state store answer: Debezium's binlog reader reconnects on its own and
     * raises nothing while the source is down, and a failed offset flush to the state store is only logged. Checked
     * on the delivery thread, also while batches are in flight: during a full load there nearly always are, and a state
     * store that is down does not stop them (only their positions).
     */
    private ServerProbe reachability;
    /** Retries a failed batch in place until it is delivered, the link halts or stops. */
    private BatchRetry retry;

    /** How often the link asks whether its servers answer (the source: after so long without a batch). */
    private static final int PROBE_MS = 10_000;
    private static final int PROBE_TIMEOUT_MS = 3_000;

    /** Batches the sink had not finished when the delivery thread was interrupted by a stop (for the stop's log). */
    private volatile int unfinishedAtStop;

    /** Batches sent and not yet marked, at most: the sink acknowledges one while the next is being sent. */
    private static final int IN_FLIGHT = 3;

    /** A batch handed to the route, and the outcome of its exchange (null: delivered). */
    private record Sent(Batch batch, CompletableFuture<Exception> outcome) {
    }

    /**
     * The delivery thread: hands each batch to the route without waiting for a sink that acknowledges asynchronously
     * (kafka-change), up to {@link #IN_FLIGHT} at once, and marks a batch's records processed once its exchange
     * succeeded and every batch before it was marked. A failed batch is delivered again, then every batch sent after
     * it, in order, each until it succeeds ({@link #deliver}): so a later change never stays ahead of an earlier one of
     * the same key. Ends when the link stops or halts; the batches it had sent are marked if they succeed.
     */
    private void deliverBatches() {
        Deque<Sent> sent = new ArrayDeque<>();
        BatchId.Run ids = new BatchId.Run();
        try {
            while (running) {
                Pending p = handoff.poll(100, TimeUnit.MILLISECONDS);
                settle(sent, false);
                reachability.check(p == null);
                fullLoadWatch.poll();
                if (p == null) {
                    continue;
                }
                fullLoad.beforeDelivering(p.records());
                Batch b = convert(p, ids.next());
                if (!b.events().isEmpty()) {
                    throttle(b.events());
                }
                while (sent.size() >= IN_FLIGHT) {
                    settle(sent, true);
                }
                sent.add(new Sent(b, b.events().isEmpty() ? CompletableFuture.completedFuture(null)
                        : BatchExchanges.processAsync(this, b.events(), b.events().size(), b.newestEventTime(), exchangeProperties(b))));
            }
            for (Sent s : sent) { // stopping: what Kafka takes is marked, up to the first batch it does not
                if (outcome(s) != null) {
                    break;
                }
                mark(s.batch());
            }
        } catch (InterruptedException stopping) {
            // stopped or halted: the batches not marked are read again on start; a sink still writing some of them
            // (one that writes on a thread of its own and does not answer) is left to it, and the stop says so
            unfinishedAtStop = (int) sent.stream().filter(s -> !s.outcome().isDone()).count();
        } catch (RuntimeException e) {
            if (running && !halted && ConnectionFailures.isConnectionFailure(e)) {
                restartInBackground("storing the binlog position failed: " + Errors.describe(e), true);
            } else if (running && !halted) {
                halt("storing the binlog position failed: " + Errors.describe(e)
                        + ". Check the state store; the link continues from its last stored position on start");
            } else { // the engine is stopping or stopped: the batch is read again on start
                LOG.warnf("link %s: the last batch's position was not stored while stopping: %s", getRouteId(), Errors.describe(e));
            }
        }
    }

    /**
     * Marks the sent batches that completed, oldest first; with {@code block}, waits for the oldest and settles only
     * it. A failure delivers that batch and all sent after it again.
     */
    private void settle(Deque<Sent> sent, boolean block) throws InterruptedException {
        while (!sent.isEmpty() && (block || sent.peek().outcome().isDone())) {
            Sent head = sent.peek();
            Exception failure = outcome(head);
            if (failure != null) {
                List<Sent> again = new ArrayList<>(sent);
                sent.clear();
                for (Sent s : again) {
                    outcome(s); // none of them still in flight while they are sent again
                }
                for (Sent s : again) {
                    deliver(s.batch(), s == head ? failure : null);
                    mark(s.batch());
                }
                return;
            }
            sent.poll();
            mark(head.batch());
            if (block) {
                return;
            }
        }
    }

    /** The outcome of a sent batch's exchange, waiting for it as long as Kafka may take to give up on a record. */
    private static Exception outcome(Sent s) throws InterruptedException {
        try {
            return s.outcome().get(130, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (Exception) e.getCause();
        } catch (TimeoutException e) {
            return new IllegalStateException("the sink did not complete a batch within 130 s", e);
        }
    }

    /**
     * Marks a delivered batch processed. Debezium keeps one position per source partition, each mark replacing the one
     * before, and the binlog connectors have a single partition (the server): marking the batch's newest record that
     * has a position stores what marking each record in turn would, without a synchronized position write per record
     * (8% of the delivery thread's time in a profile).
     */
    private void mark(Batch b) throws InterruptedException {
        List<RecordChangeEvent<SourceRecord>> records = b.records();
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i).record().sourceOffset() != null) {
                b.committer().markProcessed(records.get(i));
                break;
            }
        }
        b.committer().markBatchFinished();
        fullLoadWatch.accepted(b.fullLoadRows());
        addedTables.marked(records);
        failingSince = 0;
        if (fullLoad.replayNeeded(records) && running) {
            LOG.infof("link %s: full load complete; restarting the binlog reader to read the binlog from where the full "
                    + "load's first, interrupted attempt began", getRouteId());
            restartInBackground(null, false);
        }
    }

    /**
     * Restarts the consumer on a thread of its own (stopping waits for the delivery thread and the engine's thread, one
     * of which calls this): stopping stores the position of what was marked (after a completed full load, its
     * completion), starting runs the precheck and {@link FullLoadStart} again (after a full load whose first attempt
     * was interrupted, the binlog is read from where that attempt began; a full load interrupted now is repeated).
     * {@code failure} is why the binlog reader cannot go on (null for the restart after a full load), and the link
     * shows {@code retrying} with it until the restart succeeds. See {@link #restart}.
     */
    private void restartInBackground(String failure, boolean afterFailure) {
        if (!restarting.compareAndSet(false, true)) {
            return;
        }
        running = false; // the delivery thread ends after the batches in flight, so nothing else restarts or halts
        String link = getRouteId();
        if (afterFailure) {
            stats().serverDown(failure + "; the binlog reader is started again once its servers answer");
            LOG.warnf("link %s: %s; starting the binlog reader again once its servers answer", link, failure);
        }
        Thread restarter = new Thread(() -> {
            try {
                restart(failure, afterFailure);
            } finally {
                restarting.set(false);
            }
        }, "sluice-restart-" + link);
        restarter.setDaemon(true); // a shutdown stops the link, which ends the restarts
        restarter.start();
    }

    /**
     * Stops the consumer and starts it again, while the link is started. A start that fails for a reason that may pass
     * (a server that does not answer) is tried again after the link's backoff (retryBackoffMs doubling up to
     * maxRetryBackoffMs), the link {@code retrying} with what does not answer, until the seed's retry time (for failed
     * connections while a server does not answer, else for other issues) has passed since the binlog reader last
     * delivered a batch: then the link fails with the reason. A start refused for a reason only a fix cures (a failed
     * precheck) fails the link at once.
     */
    private void restart(String failure, boolean afterFailure) {
        String link = getRouteId();
        try {
            stop();
        } catch (RuntimeException e) { // the start below begins afresh
            LOG.warnf("link %s: stopping the binlog reader before its restart failed: %s", link, Errors.describe(e));
        }
        Backoff backoff = endpoint.getOptions().backoff();
        RetryTimes retryTimes = endpoint.getOptions().retryTimes();
        String why = failure;
        Throwable error = null;
        boolean wait = afterFailure;
        try {
            while (linkStarted()) {
                if (wait) {
                    String down = endpoint.unreachable(true, PROBE_TIMEOUT_MS);
                    String reason = down != null ? down : why;
                    long now = System.currentTimeMillis();
                    failingSince = failingSince == 0 ? now : failingSince;
                    boolean connection = down != null
                            || (error != null ? ConnectionFailures.isConnectionFailure(error) : afterFailure);
                    String giveUp = retryTimes.exceeded(connection, now - failingSince, "the binlog reader could not run",
                            reason, "it continues from its stored position");
                    if (giveUp != null) {
                        halt(giveUp);
                        return;
                    }
                    stats().serverDown(reason);
                    LOG.warnf("link %s: %s; starting the binlog reader again in %d ms", link, reason, backoff.currentMs());
                    backoff.pause(this::linkStarted);
                    if (!linkStarted()) {
                        return;
                    }
                }
                try {
                    start();
                    if (!linkStarted()) {
                        stop(); // the link was stopped while this started it
                    }
                    return;
                } catch (RuntimeException e) {
                    if (Errors.find(e, LinkHaltException.class) != null) {
                        halt(Errors.find(e, LinkHaltException.class).getMessage());
                        return;
                    }
                    error = e;
                    why = "the binlog reader could not be started again: " + Errors.describe(e);
                    wait = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the link's route is started (not stopped, paused or removed meanwhile). */
    private boolean linkStarted() {
        org.apache.camel.ServiceStatus status = getEndpoint().getCamelContext().getRouteController().getRouteStatus(getRouteId());
        return status != null && status.isStarted();
    }

    /** What every batch carries besides its changes: the source server's time zone. */
    private java.util.Map<String, Object> exchangeProperties(Batch b) {
        ZoneId zone = endpoint.serverTimeZone();
        return zone == null ? java.util.Map.of(BatchId.PROPERTY, b.id())
                : java.util.Map.of(SourceTimeZone.PROPERTY, zone, BatchId.PROPERTY, b.id());
    }

    /** Waits as the full or incremental throttling asks (the batch's rows are all snapshot rows or all binlog rows). */
    private void throttle(List<ChangeEvent> events) throws InterruptedException {
        Throttle t = events.get(0).position().snapshot() ? fullThrottle : incrementalThrottle;
        if (!t.enabled()) {
            return;
        }
        long bytes = 0;
        for (ChangeEvent e : events) {
            bytes += approximateBytes(e);
        }
        long waitMs = t.book(events.size(), bytes, System.nanoTime());
        if (waitMs > 0) {
            pause(waitMs);
        }
    }

    /** The size of a change as its values' text: what MB/s throttling counts. */
    private static long approximateBytes(ChangeEvent e) {
        long n = 16;
        for (java.util.Map<String, Object> row : java.util.Arrays.asList(e.before(), e.after())) {
            if (row != null) {
                for (Object v : row.values()) {
                    n += v instanceof byte[] b ? b.length : v == null ? 4 : String.valueOf(v).length();
                }
            }
        }
        return n;
    }

    /**
     * Hands the batch to the route until it succeeds, after {@code failed} (the failure of an attempt already made, or
     * null); throws (marking nothing) when the link stops or halts. A batch that keeps failing is given up after the
     * seed's retry time (failed connections, or other issues), which fails the link with the last error.
     */
    private void deliver(Batch b, Exception failed) throws InterruptedException {
        List<ChangeEvent> events = b.events();
        if (events.isEmpty()) {
            return;
        }
        BatchRetry.Outcome outcome = retry.untilDelivered(
                () -> BatchExchanges.process(this, events, events.size(), b.newestEventTime(), exchangeProperties(b)),
                failed, events.size());
        if (outcome == BatchRetry.Outcome.HALTED) {
            throw new InterruptedException("link " + getRouteId() + " halted: " + stats().haltReason());
        }
        if (outcome != BatchRetry.Outcome.DONE) {
            throw new InterruptedException("link " + getRouteId() + " is stopping; the batch is read again on start");
        }
    }

    /** Sleeps up to {@code ms}, waking early when the link stops. */
    private void pause(long ms) throws InterruptedException {
        Backoff.sleep(ms, () -> running);
        stopIfStopping();
    }

    /** Ends the batch (nothing marked) when the link is being stopped or halted. */
    private void stopIfStopping() throws InterruptedException {
        if (!running || halted) {
            throw new InterruptedException("link " + getRouteId() + " is stopping; the batch is read again on start");
        }
    }

    /**
     * Debezium's engine ended. With an error a server that does not answer caused ({@link ConnectionFailures}:
     * the full load's connection to the source broke, a schema history write to the state store failed), the consumer is
     * restarted once the servers answer ({@link #restart}); a full load it interrupted is repeated and leaves no phantom
     * rows ({@link FullLoadStart}). Any other error fails the link.
     */
    private void completed(boolean success, String message, Throwable error) {
        if (success || !running || halted) {
            return;
        }
        String why = error != null ? Errors.describe(error) : message;
        if (error != null && ConnectionFailures.isConnectionFailure(error)) {
            restartInBackground("the binlog reader stopped: " + why, true);
            return;
        }
        if (why != null && why.contains("no longer available on the server")) {
            String forget = endpoint.jdbcStateStore() != null
                    ? "deleting the link's rows (link_id '" + getRouteId() + "') from the state database's tables "
                    + JdbcStateStore.OFFSETS_TABLE + ", " + JdbcStateStore.SCHEMA_HISTORY_TABLE + " and "
                    + JdbcStateStore.FULL_LOAD_TABLE
                    : "deleting the link's state directory " + endpoint.stateDir(getRouteId()).toAbsolutePath();
            why = "the binlog position this link stopped at is no longer on the server (purged while the link was "
                    + "stopped, or another server; after a full load that was interrupted, the position is where its "
                    + "first attempt began, from which the binlog is read again so that rows deleted during the full "
                    + "load are deleted in the destination too): nothing after it can be read. Keep the binlog longer "
                    + "than a full load takes. Start again from a new full load by " + forget
                    + ", or set snapshotMode=when_needed to do so automatically";
        }
        LOG.errorf(error, "link %s: the binlog reader stopped: %s", getRouteId(), why);
        halt("the binlog reader stopped: " + why);
    }

    /** The link stops itself, from another thread: stopping the route waits for the engine, which runs this. */
    private void halt(String reason) {
        halted = true;
        running = false;
        String link = getRouteId();
        stats().halted(reason);
        LOG.errorf("link %s stopped: %s", link, reason);
        BatchExchanges.stopLinkAsync(this);
    }
}
