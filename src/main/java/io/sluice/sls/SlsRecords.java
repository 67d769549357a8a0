package io.sluice.sls;

import com.aliyun.openservices.log.common.FastLog;
import com.aliyun.openservices.log.common.FastLogContent;
import com.aliyun.openservices.log.common.FastLogGroup;
import com.aliyun.openservices.log.common.FastLogTag;
import com.aliyun.openservices.log.common.LogContent;
import com.aliyun.openservices.log.common.QueriedLog;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.base.SourceRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A log as a record: a JSON object of {@code __time__} (Unix seconds), {@code __topic__}, {@code __source__}, the log
 * group's tags as {@code __tag__:<key>}, then the log's contents (all values are strings, as SLS stores them).
 * The APS mapping, conversion and dirty-data policy then apply to it exactly as to a Kafka JSON message.
 */
final class SlsRecords {

    static final String TIME = "__time__";
    static final String TOPIC = "__topic__";
    static final String SOURCE = "__source__";
    static final String TAG_PREFIX = "__tag__:";

    private static final JsonFactory JSON = new JsonFactory();

    private SlsRecords() {
    }

    /** The records of one pulled log group, positioned as {@code <position>, log <n>} counting from {@code first}. */
    static List<SourceRecord> of(FastLogGroup group, String position, int first) {
        String topic = group.hasTopic() ? group.getTopic() : "";
        String source = group.hasSource() ? group.getSource() : "";
        List<String[]> tags = new ArrayList<>(group.getLogTagsCount());
        for (FastLogTag t : group.getTags()) {
            tags.add(new String[]{t.getKey(), t.getValue()});
        }
        List<SourceRecord> out = new ArrayList<>(group.getLogsCount());
        int n = first;
        for (FastLog log : group.getLogs()) {
            List<String[]> contents = new ArrayList<>(log.getContentsCount());
            for (FastLogContent c : log.getContents()) {
                contents.add(new String[]{c.getKey(), c.getValue()});
            }
            Map<String, Object> fields = fields(log.getTime(), topic, source, tags, contents);
            out.add(new SourceRecord(fields, SlsRecords::json, position + ", log " + n++, log.getTime() * 1000L));
        }
        return out;
    }

    /** The record of a log GetLogs returned (its tags and topic come back as contents). */
    static byte[] of(QueriedLog log) {
        String topic = "";
        List<String[]> tags = new ArrayList<>();
        List<String[]> contents = new ArrayList<>();
        for (LogContent c : log.GetLogItem().GetLogContents()) {
            if (TOPIC.equals(c.GetKey())) {
                topic = c.GetValue();
            } else if (c.GetKey().startsWith(TAG_PREFIX)) {
                tags.add(new String[]{c.GetKey().substring(TAG_PREFIX.length()), c.GetValue()});
            } else {
                contents.add(new String[]{c.GetKey(), c.GetValue()});
            }
        }
        return json(fields(log.GetLogItem().GetTime(), topic, log.GetSource(), tags, contents));
    }

    /**
     * A log's fields: {@code __time__} (a Long), {@code __topic__}, {@code __source__}, the tags as
     * {@code __tag__:<key>}, then the contents (text; a later duplicate key wins). The record's JSON is written from
     * them, and parsing it gives them back, so the sink can take them as they are.
     */
    static Map<String, Object> fields(long time, String topic, String source, List<String[]> tags,
                                      List<String[]> contents) {
        Map<String, Object> f = new LinkedHashMap<>(8 + tags.size() + contents.size() * 2);
        f.put(TIME, time);
        f.put(TOPIC, topic == null ? "" : topic);
        f.put(SOURCE, source == null ? "" : source);
        for (String[] t : tags) {
            f.put(TAG_PREFIX + t[0], t[1]);
        }
        for (String[] c : contents) {
            f.put(c[0], c[1]);
        }
        return f;
    }

    /** The record's JSON: the fields in order, {@code __time__} a number, the rest strings. */
    static byte[] json(Map<String, Object> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> f : fields.entrySet()) {
                if (f.getValue() instanceof Long number) {
                    g.writeNumberField(f.getKey(), number);
                } else {
                    g.writeStringField(f.getKey(), (String) f.getValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
