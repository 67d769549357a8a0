package io.sluice.change;

import com.alibaba.fastjson2.JSON;
import com.alibaba.otter.canal.protocol.FlatMessage;
import com.aliyun.dts.subscribe.clients.formats.avro.Record;
import com.aliyun.dts.subscribe.clients.record.DefaultUserRecord;
import com.aliyun.dts.subscribe.clients.record.OperationType;
import com.aliyun.dts.subscribe.clients.record.RecordField;
import com.aliyun.dts.subscribe.clients.recordgenerator.AvroDeserializer;
import io.sluice.binlog.DebeziumCapture;
import io.sluice.binlog.DebeziumChangeEvents;
import io.sluice.testkit.TestServers;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table without a primary or unique key (the source's {@code tablesWithoutKey=sync}) through real Debezium events
 * (no {@code message.key.columns}): its records have no key, its change events no key columns, and both formats say
 * so (Canal JSON {@code pkNames} null, DTS Avro no primary field and no {@code pk_uk_info}), while an UPDATE and a
 * DELETE carry the whole row before the change, by which a consumer can still tell the row.
 */
class KeylessChangesTest {

    private static final String DB = "keyless_fmt";
    private static final CanalJsonEncoder CANAL = new CanalJsonEncoder(ZoneOffset.UTC, Clock.systemUTC());
    private static final DtsAvroEncoder DTS = new DtsAvroEncoder("11.4.5-MariaDB");

    @Test
    void aTableWithoutAKeyGivesChangesWithoutKeyAndWholeBeforeImages() throws Exception {
        TestServers.mariaDb().execute("DROP DATABASE IF EXISTS " + DB + "; CREATE DATABASE " + DB + "; CREATE TABLE " + DB
                + ".events (id INT, v VARCHAR(10)); INSERT INTO " + DB + ".events VALUES (1, 'a')");
        try (DebeziumCapture capture = DebeziumCapture.start(DB, 5491)) {
            SourceRecord snapshot = nextRow(capture);
            assertNull(snapshot.key(), "Debezium keys no record of a table without a key");
            assertNull(snapshot.keySchema());
            ChangeEvent full = DebeziumChangeEvents.toChangeEvent(snapshot).orElseThrow();
            assertTrue(full.position().snapshot());
            check(full, Map.of("id", "1", "v", "a"), null);

            TestServers.mariaDb().execute("INSERT INTO " + DB + ".events VALUES (2, 'b'); UPDATE " + DB + ".events SET "
                    + "v = 'b2' WHERE id = 2; DELETE FROM " + DB + ".events WHERE id = 1");
            check(DebeziumChangeEvents.toChangeEvent(nextRow(capture)).orElseThrow(), Map.of("id", "2", "v", "b"), null);
            check(DebeziumChangeEvents.toChangeEvent(nextRow(capture)).orElseThrow(), Map.of("id", "2", "v", "b2"),
                    Map.of("id", "2", "v", "b"));
            ChangeEvent delete = DebeziumChangeEvents.toChangeEvent(nextRow(capture)).orElseThrow();
            assertEquals(Operation.DELETE, delete.operation());
            check(delete, Map.of("id", "1", "v", "a"), null);
        }
    }

    private static SourceRecord nextRow(DebeziumCapture capture) throws InterruptedException {
        return capture.next(r -> DebeziumChangeEvents.toChangeEvent(r)
                .filter(e -> DB.equals(e.database()) && !e.isDdl()).isPresent(), Duration.ofSeconds(60));
    }

    /** {@code row}: the after image (a DELETE's before image); {@code before}: an UPDATE's before image. */
    private static void check(ChangeEvent event, Map<String, String> row, Map<String, String> before) throws Exception {
        String what = event.operation() + " " + row;
        assertEquals(List.of(), event.keyNames(), what);

        FlatMessage flat = JSON.parseObject(CANAL.encode(event, 1), FlatMessage.class);
        assertNull(flat.getPkNames(), what + ": canal writes no pkNames for a table without a key");
        assertEquals(row, flat.getData().get(0), what);
        if (before != null) {
            assertEquals(Map.of("v", before.get("v")), flat.getOld().get(0), what + ": canal's old holds the changed columns");
        }

        Record record = new AvroDeserializer().deserialize(DTS.encode(event, 1));
        List<String> tags = record.getTags().keySet().stream().map(String::valueOf).toList();
        assertTrue(tags.contains("server_id") && !tags.contains("pk_uk_info"), what + ": " + tags);
        DefaultUserRecord user = new DefaultUserRecord(null, 0, record, null);
        assertEquals(OperationType.valueOf(event.operation().name()), user.getOperationType());
        assertTrue(user.getSchema().getFields().stream().noneMatch(RecordField::isPrimary), what);
        Map<String, String> beforeImage = event.operation() == Operation.DELETE ? row : before;
        if (beforeImage != null) { // the whole row before the change, every column
            assertEquals(beforeImage.get("id"), user.getBeforeImage().getValue("id").toString(), what);
            assertEquals(beforeImage.get("v"), user.getBeforeImage().getValue("v").toString(), what);
        }
        if (event.operation() != Operation.DELETE) {
            assertEquals(row.get("v"), user.getAfterImage().getValue("v").toString(), what);
        }
    }
}
