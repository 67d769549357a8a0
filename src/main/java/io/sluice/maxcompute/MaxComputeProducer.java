package io.sluice.maxcompute;

import io.sluice.base.BatchId;
import io.sluice.change.ChangeEvent;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes the batch of change events an exchange carries ({@code List<ChangeEvent>}) and completes the exchange only
 * after MaxCompute committed it; a failure fails the exchange, so the source keeps its binlog position and retries (or
 * halts on a {@link io.sluice.base.LinkHaltException}).
 *
 * <p>The write runs on the endpoint's writing thread and the exchange completes from there: the source converts and
 * sends the next batches meanwhile (up to its in-flight limit) and marks positions as exchanges complete, in order.
 * Reading and converting thus overlap encoding and uploading, which took turns on the source's thread before. Batches
 * are written in the order sent, those waiting together through one flush; after a failure, the batches behind it are
 * refused until the source hands the failed one again ({@link FailedBatchGate}).
 */
class MaxComputeProducer extends DefaultAsyncProducer {

    private final MaxComputeEndpoint endpoint;
    private final FailedBatchGate gate = new FailedBatchGate();

    MaxComputeProducer(MaxComputeEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        synchronized (gate) {
            gate.reset();
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        List<ChangeEvent> batch;
        try {
            batch = batchOf(exchange);
        } catch (IllegalArgumentException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        String link = exchange.getFromRouteId() != null ? exchange.getFromRouteId() : endpoint.getName();
        Pending p = new Pending(link, exchange.getProperty(BatchId.PROPERTY, BatchId.class), batch, exchange, callback);
        queued.add(p);
        try {
            endpoint.writes().execute(this::writeQueued);
        } catch (RejectedExecutionException e) {
            if (queued.remove(p)) {
                exchange.setException(new IllegalStateException("the maxcompute sink " + endpoint.getName()
                        + " is shut down; the batch is written again when the link starts", e));
                callback.done(true);
                return true;
            }
        }
        return false;
    }

    /** A batch waiting for the writing thread. */
    private record Pending(String link, BatchId id, List<ChangeEvent> batch, Exchange exchange, AsyncCallback callback) {
    }

    /** This link's batches (a producer serves one route) waiting for the writing thread, in the order sent. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Pending> queued = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * On the writing thread: every batch of this link waiting now is written together, through one flush (one upload
     * session per table and partition for all of them, not one per batch), and completed; a batch refused by the gate
     * is failed unwritten. (Each send queues a run of this; a run that finds the queue emptied by an earlier one does
     * nothing.)
     */
    private void writeQueued() {
        List<Pending> admitted = new java.util.ArrayList<>();
        for (Pending p = queued.poll(); p != null; p = queued.poll()) {
            boolean admits;
            synchronized (gate) {
                admits = gate.admits(p.id());
            }
            if (admits) {
                admitted.add(p);
            } else {
                complete(p, new IllegalStateException("batch not written: a batch before it failed, and is written "
                        + "first when the source hands it again"));
            }
        }
        if (admitted.isEmpty()) {
            return;
        }
        Throwable failure = null;
        try {
            synchronized (endpoint) { // the merge SQL reads what the sink saw
                endpoint.sink(admitted.get(0).link()).writeAll(admitted.stream().map(Pending::batch).toList());
            }
        } catch (Throwable e) {
            failure = e;
            synchronized (gate) {
                gate.failed(admitted.get(0).id()); // the source hands the first again first, then the others
            }
        }
        for (Pending p : admitted) {
            complete(p, failure);
        }
    }

    private static void complete(Pending p, Throwable failure) {
        if (failure != null) {
            p.exchange().setException(failure);
        }
        p.callback().done(false);
    }

    private static List<ChangeEvent> batchOf(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof ChangeEvent single) {
            body = List.of(single);
        }
        if (!(body instanceof List<?> list) || list.stream().anyMatch(e -> !(e instanceof ChangeEvent))) {
            throw new IllegalArgumentException("the maxcompute sink takes a List<ChangeEvent> (from a binlog source), not "
                    + (body == null ? "null" : body.getClass().getName()));
        }
        @SuppressWarnings("unchecked")
        List<ChangeEvent> batch = (List<ChangeEvent>) list;
        return batch;
    }
}
