package io.sluice.change;

import com.aliyun.dts.subscribe.clients.record.DefaultUserRecord;
import com.aliyun.dts.subscribe.clients.recordgenerator.AvroDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Negative TIME values in DTS Avro read back with the DTS subscribe SDK the way its users read them
 * ({@code AvroDeserializer}, then {@code DefaultUserRecord}'s after image, whose value's text is the SDK's
 * {@code DateTime.toJdbcString}): the sign of a time between -01:00:00 and 00:00:00, whose hour is 0, must survive.
 */
class DtsAvroTimeTest {

    private static final List<ChangeColumn> COLUMNS = List.of(
            new ChangeColumn("id", MySqlType.of("INT", 11, null, List.of()), true, false),
            new ChangeColumn("tm", MySqlType.of("TIME", 6, null, List.of()), false, true));

    @Test
    void theSignOfEveryNegativeTimeSurvives() throws Exception {
        // MySQL's text -> what the SDK 2.0.0 shows: the fraction without its trailing zeros, but at least one digit
        // (the time has microseconds, so the SDK sets its fraction part; the column's precision is not used)
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("-00:30:00.500000", "-00:30:00.5");
        cases.put("-00:00:59.000000", "-00:00:59.0");
        cases.put("-00:00:00.000001", "-00:00:00.000001");
        cases.put("-00:59:59.999999", "-00:59:59.999999");
        cases.put("-01:00:00.000000", "-01:00:00.0");
        cases.put("-838:59:58.500000", "-838:59:58.5");
        cases.put("00:30:00.500000", "00:30:00.5");
        cases.put("00:00:00.000000", "00:00:00.0");
        cases.put("838:59:59.000000", "838:59:59.0");
        DtsAvroEncoder encoder = new DtsAvroEncoder("11.4.5-MariaDB");
        Map<String, String> read = new LinkedHashMap<>();
        int id = 0;
        for (String time : cases.keySet()) {
            Object[] values = {(long) ++id, parse(time)};
            ChangeEvent insert = new ChangeEvent("db", "t", Operation.INSERT, COLUMNS, null, new RowImage(COLUMNS, values),
                    null, new SourcePosition("mariadb-bin.000002", 400, 0, null, 1, null, 1_700_000_000_000L, false));
            DefaultUserRecord record = new DefaultUserRecord(null, 0,
                    new AvroDeserializer().deserialize(encoder.encode(insert, id)), null);
            read.put(time, record.getAfterImage().getValue("tm").toString());
        }
        assertEquals(cases, read);
    }

    /** {@code [-]H:mm:ss.ffffff} as the Duration Debezium gives for a TIME. */
    private static Duration parse(String time) {
        boolean negative = time.startsWith("-");
        String[] hms = time.substring(negative ? 1 : 0).split("[:.]");
        Duration d = Duration.ofHours(Long.parseLong(hms[0])).plusMinutes(Long.parseLong(hms[1]))
                .plusSeconds(Long.parseLong(hms[2])).plusNanos(Long.parseLong(hms[3]) * 1000);
        return negative ? d.negated() : d;
    }
}
