package io.sluice.source;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** The start offset of a time-based source (Kafka, SLS): an ISO date-time or epoch milliseconds. */
public final class StartTimes {

    private StartTimes() {
    }

    /** The start offset as epoch ms, or null when none is set; a date-time without offset is read in {@code zone}. */
    public static Long parse(String startTime, String zone) {
        if (startTime == null || startTime.isBlank()) {
            return null;
        }
        String s = startTime.trim();
        if (s.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(s);
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDateTime.parse(s.replace(' ', 'T')).atZone(ZoneId.of(zone)).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("startTime '" + startTime + "' is not a date-time: write e.g. "
                        + "2024-04-09T13:10:00, 2024-04-09T05:10:00Z or epoch milliseconds");
            }
        }
    }
}
