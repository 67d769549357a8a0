package io.sluice.link;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiExposureGuardTest {

    @Test
    void refusesAnOpenApiBeyondLoopback() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiExposureGuard.check("0.0.0.0", false));
        assertTrue(e.getMessage().contains("SLUICE_API_TOKEN"));
        assertDoesNotThrow(() -> ApiExposureGuard.check("0.0.0.0", true));
        assertDoesNotThrow(() -> ApiExposureGuard.check("127.0.0.1", false));
        assertDoesNotThrow(() -> ApiExposureGuard.check("localhost", false));
    }
}
