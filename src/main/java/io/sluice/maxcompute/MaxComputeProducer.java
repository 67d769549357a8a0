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
 * are written one at a time in the order sent; after a failure, the batches behind it are refused until the source
 * hands the failed one again ({@link FailedBatchGate}).
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
        BatchId id = exchange.getProperty(BatchId.PROPERTY, BatchId.class);
        try {
            endpoint.writes().execute(() -> {
                try {
                    write(link, id, batch);
                } catch (Throwable e) {
                    exchange.setException(e);
                }
                callback.done(false);
            });
        } catch (RejectedExecutionException e) {
            exchange.setException(new IllegalStateException("the maxcompute sink " + endpoint.getName()
                    + " is shut down; the batch is written again when the link starts", e));
            callback.done(true);
            return true;
        }
        return false;
    }

    private void write(String link, BatchId id, List<ChangeEvent> batch) {
        synchronized (gate) {
            if (!gate.admits(id)) {
                throw new IllegalStateException("batch not written: a batch before it failed, and is written first "
                        + "when the source hands it again");
            }
        }
        try {
            synchronized (endpoint) { // the merge SQL reads what the sink saw
                endpoint.sink(link).write(batch);
            }
        } catch (RuntimeException e) {
            synchronized (gate) {
                gate.failed(id);
            }
            throw e;
        }
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
