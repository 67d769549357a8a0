package io.sluice.base;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class SourceRecordTest {

    @Test
    void aRecordOfFieldsWritesItsValueOnceWhenFirstAskedFor() {
        AtomicInteger renders = new AtomicInteger();
        Map<String, Object> fields = Map.of("a", "1");
        SourceRecord r = new SourceRecord(fields, f -> {
            renders.incrementAndGet();
            return ("{\"a\":\"" + f.get("a") + "\"}").getBytes(StandardCharsets.UTF_8);
        }, "shard 0, log 3", 42L);
        assertEquals(0, renders.get(), "nothing written before the value is asked for");
        assertSame(fields, r.fields());
        byte[] first = r.value();
        assertArrayEquals("{\"a\":\"1\"}".getBytes(StandardCharsets.UTF_8), first);
        assertSame(first, r.value());
        assertEquals(1, renders.get());
        assertEquals("shard 0, log 3", r.position());
        assertEquals(42L, r.sourceTime());
    }

    @Test
    void aRawRecordHasNoFields() {
        SourceRecord r = new SourceRecord(new byte[]{'{', '}'}, "partition 0, offset 1", 7L);
        assertNull(r.fields());
        assertArrayEquals(new byte[]{'{', '}'}, r.value());
    }
}
