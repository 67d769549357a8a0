package io.sluice.source;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.base.BackoffOptions;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options every batch source reading from a start time shares (Kafka JSON, SLS): the start offset, and the backoff
 * of a failed batch ({@link BackoffOptions}). Bound by reflection on the setters (hence registered for the native image).
 */
@UriParams
@RegisterForReflection
public abstract class TimedSourceOptions extends BackoffOptions {

    @UriParam(description = "Start offset: ISO date-time (e.g. 2024-04-09T13:10, in startTimeZone) or epoch milliseconds. "
            + "Used on the first start and whenever it changes (an explicit reset)")
    private String startTime;
    @UriParam(description = "Time zone of a startTime without offset", defaultValue = "UTC")
    private String startTimeZone = "UTC";

    /** The start offset as epoch ms, or null when none is set. */
    public Long startTimeMillis() {
        return StartTimes.parse(startTime, startTimeZone);
    }

    /** The start offset as written, or {@code none} when none is set: for the run log. */
    public String startTimeOr(String none) {
        return startTime == null ? none : startTime;
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
}
