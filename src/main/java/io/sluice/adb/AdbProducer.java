package io.sluice.adb;

import io.sluice.base.LinkStats;
import io.sluice.base.SourceRecord;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

import java.util.List;

/** Writes the batch of source records an exchange carries; a failure leaves the batch to be retried or halts. */
class AdbProducer extends DefaultProducer {

    private final AdbEndpoint endpoint;

    AdbProducer(AdbEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    /** The precheck: a missing table, a mapping to an unknown column or a refused password fail the start. */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        try {
            // read again: the endpoint and its writer outlive a stop, and the table may have been fixed meanwhile
            // (a column widened after dirty data stopped the link)
            endpoint.writer().prepareAgain();
        } catch (io.sluice.jdbc.SinkWriteException e) {
            // the database is unreachable now: the first batch retries with backoff, nothing is lost
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        List<SourceRecord> batch;
        if (body instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof SourceRecord)) {
            batch = (List<SourceRecord>) list;
        } else {
            byte[] value = exchange.getMessage().getBody(byte[].class);
            batch = List.of(new SourceRecord(value, "exchange " + exchange.getExchangeId(), System.currentTimeMillis()));
        }
        String link = exchange.getFromRouteId();
        AdbWriter writer = endpoint.writer();
        LinkStats stats = endpoint.component().stats().of(link);
        stats.watchWrites(endpoint.getTable(), writer.runningWriteMillis); // a write waiting for seconds shows
        int dirty = writer.write(link, batch);
        if (dirty > 0) {
            stats.recordsDirty(dirty);
        }
    }
}
