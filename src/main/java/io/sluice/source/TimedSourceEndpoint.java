package io.sluice.source;

import org.apache.camel.Component;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Options every batch source reading from a start time shares (Kafka JSON, SLS): the start offset and the backoff
 * of a failed batch.
 */
public abstract class TimedSourceEndpoint extends DefaultEndpoint {

    @UriParam(description = "Start offset: ISO date-time (e.g. 2024-04-09T13:10, in startTimeZone) or epoch milliseconds. "
            + "Used on the first start and whenever it changes (an explicit reset)")
    private String startTime;
    @UriParam(description = "Time zone of a startTime without offset", defaultValue = "UTC")
    private String startTimeZone = "UTC";
    @UriParam(description = "First wait after a failed batch, ms (doubles up to maxRetryBackoffMs)", defaultValue = "1000")
    private long retryBackoffMs = 1000;
    @UriParam(description = "Longest wait between retries of a failed batch, ms", defaultValue = "30000")
    private long maxRetryBackoffMs = 30000;

    protected TimedSourceEndpoint(String uri, Component component) {
        super(uri, component);
    }

    /** The start offset as epoch ms, or null when none is set. */
    public Long startTimeMillis() {
        return StartTimes.parse(startTime, startTimeZone);
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getStartTimeZone() {
        return startTimeZone;
    }

    public void setStartTimeZone(String startTimeZone) {
        this.startTimeZone = startTimeZone;
    }

    public long getRetryBackoffMs() {
        return retryBackoffMs;
    }

    public void setRetryBackoffMs(long retryBackoffMs) {
        this.retryBackoffMs = retryBackoffMs;
    }

    public long getMaxRetryBackoffMs() {
        return maxRetryBackoffMs;
    }

    public void setMaxRetryBackoffMs(long maxRetryBackoffMs) {
        this.maxRetryBackoffMs = maxRetryBackoffMs;
    }
}
