package io.sluice.sls;

import io.sluice.record.JsonFlattener;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fields an SLS record carries are exactly what the sink would get by parsing the record's JSON. */
class SlsRecordsTest {

    @Test
    void prebuiltFieldsEqualTheParsedJson() {
        List<String[]> tags = List.<String[]>of(new String[]{"env", "prod"}, new String[]{"host", "h1"});
        List<String[]> contents = List.<String[]>of(
                new String[]{"status", "200"},
                new String[]{"body", "{\"nested\":{\"a\":1}}"},     // JSON text in a value stays text
                new String[]{"unicode", "résumé 😀 \"quoted\" \\ back"},
                new String[]{"__topic__", "content wins"},          // a later duplicate key wins, as in the parse
                new String[]{"empty", ""});
        Map<String, Object> fields = SlsRecords.fields(1710604800L, "access", "10.0.0.1", tags, contents);
        byte[] json = SlsRecords.json(fields);
        for (int layers = 1; layers <= JsonFlattener.MAX_LAYERS; layers++) {
            Map<String, Object> parsed = new JsonFlattener(layers).flatten(json);
            assertEquals(parsed, fields, "layers " + layers);
            assertEquals(List.copyOf(parsed.keySet()), List.copyOf(fields.keySet()), "same order, layers " + layers);
        }
        assertEquals(1710604800L, fields.get("__time__"));
        assertEquals("content wins", fields.get("__topic__"));
    }
}
