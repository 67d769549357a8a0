package io.sluice.change;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The source server's time zone, in which MySQL shows TIMESTAMP values (the binlog carries them as instants). The
 * source reads it when the link starts and hands it with each batch as the exchange property {@link #PROPERTY} (a
 * {@link ZoneId}), as data: a sink that writes TIMESTAMPs as text (Canal JSON) writes them as the source shows them
 * without asking the source itself.
 */
public final class SourceTimeZone {

    /** Exchange property holding the source server's {@link ZoneId}; absent when the source could not read it. */
    public static final String PROPERTY = "sluice.sourceTimeZone";

    private SourceTimeZone() {
    }

    /**
     * MySQL's {@code time_zone} as a zone: {@code SYSTEM} is the server's {@code system_time_zone}; a named zone
     * ({@code Asia/Shanghai}, {@code UTC}) or an offset ({@code +08:00}) as it is. A name Java does not know as a zone,
     * such as the abbreviations {@code system_time_zone} usually holds ({@code CST}, which is China's or the US
     * Central's), is the server's offset from UTC when it was asked ({@code offsetSeconds}): right until the server's
     * zone changes to or from summer time.
     */
    public static ZoneId resolve(String timeZone, String systemTimeZone, int offsetSeconds) {
        String name = timeZone == null || timeZone.equalsIgnoreCase("SYSTEM") ? systemTimeZone : timeZone;
        if (name != null) {
            try {
                return ZoneId.of(name.strip()).normalized();
            } catch (DateTimeException unknownToJava) {
                // an abbreviation or a spelling Java does not read (+8:00): the offset the server has now
            }
        }
        return ZoneOffset.ofTotalSeconds(offsetSeconds);
    }
}
