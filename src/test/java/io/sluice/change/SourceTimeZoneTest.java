package io.sluice.change;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** MySQL's time_zone values as Java zones. */
class SourceTimeZoneTest {

    @Test
    void systemIsTheSystemTimeZoneAndNamesJavaDoesNotKnowAreTheCurrentOffset() {
        assertEquals(ZoneOffset.ofHoursMinutes(5, 30), SourceTimeZone.resolve("+05:30", "UTC", 19_800));
        assertEquals(ZoneId.of("Asia/Shanghai"), SourceTimeZone.resolve("Asia/Shanghai", "UTC", 28_800));
        assertEquals(ZoneOffset.UTC, SourceTimeZone.resolve("SYSTEM", "UTC", 0));
        assertEquals(ZoneId.of("Europe/Berlin"), SourceTimeZone.resolve("system", "Europe/Berlin", 3_600));
        // CST is China's or the US Central's: the offset the server reports decides
        assertEquals(ZoneOffset.ofHours(8), SourceTimeZone.resolve("SYSTEM", "CST", 28_800));
        assertEquals(ZoneOffset.ofHours(-6), SourceTimeZone.resolve("SYSTEM", "CST", -21_600));
        assertEquals(ZoneOffset.ofHours(8), SourceTimeZone.resolve("+8:00", "UTC", 28_800), "MySQL's spelling, not Java's");
    }
}
