package io.sluice.maxcompute;

import io.sluice.change.ChangeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

import java.util.List;

/**
 * Writes the batch of change events an exchange carries ({@code List<ChangeEvent>}) and returns only after MaxCompute
 * committed it; a failure fails the exchange, so the source keeps its binlog position and retries (or halts on a
 * {@link io.sluice.base.LinkHaltException}).
 */
class MaxComputeProducer extends DefaultProducer {

    private final MaxComputeEndpoint endpoint;

    MaxComputeProducer(MaxComputeEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
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
        String link = exchange.getFromRouteId() != null ? exchange.getFromRouteId() : endpoint.getName();
        synchronized (endpoint) {
            endpoint.sink(link).write(batch);
        }
    }
}
