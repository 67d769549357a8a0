package io.sluice.change;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The byte reference for {@link CanalJsonEncoder}: how it wrote Canal JSON before it streamed (Jackson over a
 * FlatMessage record of maps, keys alphabetical). The streaming encoder must write the same bytes.
 */
final class CanalJsonTreeEncoder {

    /** Strings escaped as the streaming encoder escapes them (as fastjson2 does); the structure is this class's own. */
    private static final ObjectMapper JSON = new ObjectMapper(CanalJsonEncoder.JSON.copy());

    private final ZoneId timestampZone;
    private final Clock clock;

    CanalJsonTreeEncoder(ZoneId timestampZone, Clock clock) {
        this.timestampZone = timestampZone;
        this.clock = clock;
    }

    byte[] encode(ChangeEvent event, long batchId) throws Exception {
        return JSON.writeValueAsBytes(message(event, batchId));
    }

    @JsonPropertyOrder(alphabetic = true)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record FlatMessage(List<Map<String, String>> data, String database, long es, String gtid, long id,
                       @JsonProperty("isDdl") boolean isDdl, Map<String, String> mysqlType,
                       List<Map<String, String>> old, List<String> pkNames, String sql, Map<String, Integer> sqlType,
                       String table, long ts, String type) {
    }

    FlatMessage message(ChangeEvent e, long batchId) {
        SourcePosition p = e.position();
        long es = p.eventTimeMs() / 1000 * 1000;
        String gtid = p.gtid() == null ? "" : p.gtid();
        long ts = clock.millis();
        if (e.isDdl()) {
            return new FlatMessage(null, e.database(), es, gtid, batchId, true, null, null, null, e.ddl(), null,
                    e.table(), ts, CanalJsonEncoder.ddlType(e.ddl()));
        }
        Map<String, Object> row = e.operation() == Operation.DELETE ? e.before() : e.after();
        Map<String, String> data = new LinkedHashMap<>();
        Map<String, String> mysqlType = new LinkedHashMap<>();
        Map<String, Integer> sqlType = new LinkedHashMap<>();
        for (ChangeColumn c : e.columns()) {
            Object v = row.get(c.name());
            data.put(c.name(), CanalValueText.of(v, c.type(), timestampZone));
            mysqlType.put(c.name(), c.mysqlType());
            sqlType.put(c.name(), CanalJsonEncoder.sqlType(c.type(), v));
        }
        List<Map<String, String>> old = null;
        if (e.operation() == Operation.UPDATE) {
            Map<String, String> changed = new LinkedHashMap<>();
            for (ChangeColumn c : e.columns()) {
                Object before = e.before().get(c.name());
                if (!Objects.deepEquals(before, e.after().get(c.name()))) {
                    changed.put(c.name(), CanalValueText.of(before, c.type(), timestampZone));
                }
            }
            old = List.of(changed);
        }
        List<String> keys = e.keyNames();
        return new FlatMessage(List.of(data), e.database(), es, gtid, batchId, false, mysqlType, old,
                keys.isEmpty() ? null : keys, "", sqlType, e.table(), ts, e.operation().name());
    }
}
