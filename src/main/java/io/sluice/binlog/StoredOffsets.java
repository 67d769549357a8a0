package io.sluice.binlog;

import io.debezium.embedded.EmbeddedWorkerConfig;
import io.debezium.embedded.KafkaConnectUtil;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.storage.OffsetStorageReaderImpl;
import org.apache.kafka.connect.storage.OffsetStorageWriter;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The link's stored Debezium offset, read and written while its engine is not running, through the same offset
 * store, namespace (the engine's name) and JSON converters Debezium's {@code AsyncEmbeddedEngine} uses
 * ({@code createAndStartOffsetStore}, {@code initializeConnector}): the file store or the link's rows of the JDBC store.
 */
final class StoredOffsets implements AutoCloseable {

    private final OffsetBackingStore store;
    private final OffsetStorageReaderImpl reader;
    private final OffsetStorageWriter writer;

    private StoredOffsets(Properties engine) throws Exception {
        String storeClass = engine.getProperty("offset.storage");
        store = storeClass.equals(FileOffsetBackingStore.class.getName()) ? KafkaConnectUtil.fileOffsetBackingStore()
                : (OffsetBackingStore) Class.forName(storeClass).getDeclaredConstructor().newInstance();
        Map<String, String> config = new HashMap<>();
        engine.stringPropertyNames().forEach(k -> config.put(k, engine.getProperty(k)));
        store.configure(new EmbeddedWorkerConfig(config));
        store.start();
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
        String engineName = engine.getProperty("name");
        reader = new OffsetStorageReaderImpl(store, engineName, keys, values);
        writer = new OffsetStorageWriter(store, engineName, keys, values);
    }

    /** Opens the offset store of an engine with these settings (the engine must not be running). */
    static StoredOffsets open(Properties engine) throws Exception {
        return new StoredOffsets(engine);
    }

    /** The stored offset of the source partition, or null when there is none. */
    Map<String, Object> read(Map<String, Object> partition) {
        Map<String, Object> offset = reader.offset(partition);
        return offset == null ? null : new HashMap<>(offset);
    }

    /** Replaces the stored offset of the source partition, waiting until the store has written it. */
    void write(Map<String, Object> partition, Map<String, Object> offset) throws Exception {
        writer.offset(partition, offset);
        if (!writer.beginFlush(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no offset to write");
        }
        try {
            writer.doFlush((error, result) -> {
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            writer.cancelFlush();
            throw e;
        }
    }

    @Override
    public void close() {
        store.stop();
    }
}
