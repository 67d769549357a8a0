package io.sluice.maxcompute;

/** A MaxCompute request that failed for good (after retries), with what was being done and the service's reason. */
public class MaxComputeException extends RuntimeException {

    public MaxComputeException(String message, Throwable cause) {
        super(message, cause);
    }
}
