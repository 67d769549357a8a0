package io.sluice.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lease settings under which an instance cut off from the Kubernetes API could still be stopping a link when another
 * instance starts it are refused at start, with the three settings named.
 */
class LeaseTimesTest {

    @Test
    void theDefaultsAndTheTestSettingsKeepOneRunner() {
        assertDoesNotThrow(() -> CoordinationService.checkLeaseTimes(Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(3)));
        assertDoesNotThrow(() -> CoordinationService.checkLeaseTimes(Duration.ofSeconds(4), Duration.ofSeconds(2),
                Duration.ofMillis(1500)));
    }

    @Test
    void aHandOverThatOutlastsTheLeaseIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                CoordinationService.checkLeaseTimes(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(3)));
        assertTrue(e.getMessage().contains("sluice.cluster.kubernetes.renew-deadline (2000 ms)")
                && e.getMessage().contains("sluice.cluster.hand-over-timeout (3000 ms)")
                && e.getMessage().contains("sluice.cluster.kubernetes.lease-duration (3000 ms)"), e.getMessage());
    }
}
