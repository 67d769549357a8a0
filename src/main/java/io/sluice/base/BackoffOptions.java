package io.sluice.base;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of the pause between retries of a failed batch ({@link BatchRetry}), shared by every source's options.
 * Bound by reflection on the setters (hence registered for the native image).
 */
@UriParams
@RegisterForReflection
public abstract class BackoffOptions {

    @UriParam(description = "First wait after a failed batch, ms (doubles up to maxRetryBackoffMs)", defaultValue = "1000")
    private long retryBackoffMs = 1000;
    @UriParam(description = "Longest wait between retries of a failed batch, ms", defaultValue = "30000")
    private long maxRetryBackoffMs = 30000;

    /** A new backoff starting at retryBackoffMs. */
    public Backoff backoff() {
        return new Backoff(retryBackoffMs, maxRetryBackoffMs);
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
