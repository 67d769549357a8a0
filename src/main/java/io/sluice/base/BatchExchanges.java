package io.sluice.base;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultConsumer;
import org.jboss.logging.Logger;

/**
 * What the batch sources (one exchange per batch, position committed only after it succeeded) share: running a batch
 * through the link's route, and the link stopping itself.
 */
public final class BatchExchanges {

    /**
     * Exchange property: how many records the exchange carries (default 1). The control plane counts a link's
     * records from it; a component that reports to {@link LinkStats} itself sets it to 0 so nothing is counted twice.
     */
    public static final String RECORDS = "SluiceRecords";
    /** Exchange property or header: source time (epoch ms) of the newest record the exchange carries (the link's lag). */
    public static final String SOURCE_TIME = "SluiceSourceTime";

    private static final Logger LOG = Logger.getLogger(BatchExchanges.class);

    private BatchExchanges() {
    }

    /**
     * Runs {@code batch} through the consumer's route as one exchange, with {@link #RECORDS} and
     * {@link #SOURCE_TIME} set for the link's counters and lag. Returns the failure, or null on success.
     */
    public static Exception process(DefaultConsumer consumer, Object batch, int records, long newestSourceTime) {
        return process(consumer, batch, records, newestSourceTime, java.util.Map.of());
    }

    /** {@link #process(DefaultConsumer, Object, int, long)} with exchange properties the source adds for its sinks. */
    public static Exception process(DefaultConsumer consumer, Object batch, int records, long newestSourceTime,
                                    java.util.Map<String, Object> properties) {
        Exchange exchange = exchange(consumer, batch, records, newestSourceTime, properties);
        try {
            consumer.getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        consumer.releaseExchange(exchange, false);
        return failure;
    }

    /**
     * As {@link #process(DefaultConsumer, Object, int, long, java.util.Map)}, without waiting for a sink that completes
     * exchanges asynchronously (one that returns before its destination acknowledged the batch): the future completes
     * with the failure, or null on success, when the exchange completes.
     */
    public static java.util.concurrent.CompletableFuture<Exception> processAsync(DefaultConsumer consumer, Object batch,
                                                                                 int records, long newestSourceTime,
                                                                                 java.util.Map<String, Object> properties) {
        Exchange exchange = exchange(consumer, batch, records, newestSourceTime, properties);
        java.util.concurrent.CompletableFuture<Exception> done = new java.util.concurrent.CompletableFuture<>();
        try {
            consumer.getAsyncProcessor().process(exchange, doneSync -> {
                Exception failure = exchange.getException();
                consumer.releaseExchange(exchange, false);
                done.complete(failure);
            });
        } catch (RuntimeException e) {
            done.complete(e);
        }
        return done;
    }

    private static Exchange exchange(DefaultConsumer consumer, Object batch, int records, long newestSourceTime,
                                     java.util.Map<String, Object> properties) {
        Exchange exchange = consumer.createExchange(false);
        exchange.getMessage().setBody(batch);
        properties.forEach(exchange::setProperty);
        exchange.setProperty(RECORDS, records);
        exchange.setProperty(SOURCE_TIME, newestSourceTime);
        return exchange;
    }

    /** Stops the consumer's link from another thread: stopping the route waits for the thread that asks for it. */
    public static void stopLinkAsync(DefaultConsumer consumer) {
        String link = consumer.getRouteId();
        Thread stopper = new Thread(() -> {
            try {
                consumer.getEndpoint().getCamelContext().getRouteController().stopRoute(link);
            } catch (Exception e) {
                LOG.warnf("link %s could not be stopped: %s", link, e.getMessage());
            }
        }, "sluice-stop-" + link);
        stopper.start();
    }
}
