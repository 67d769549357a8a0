package io.sluice.codec;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import net.jpountz.util.Native;
import org.jboss.logging.Logger;

/**
 * Makes lz4-java use its native (JNI) codec. It picks the native one only when already loaded or when lz4-java was
 * loaded by the system class loader; under Quarkus's class loaders it otherwise takes its pure-Java one, which cost
 * about a third of the MySQL -> Kafka link's thread (BENCHMARKS.md). Every lz4 user in the app goes through
 * {@code LZ4Factory.fastestInstance()}: the Kafka producer (kafka-change, compression lz4, the default) and consumer
 * (kafka-json reading lz4 batches), and the SLS SDK, which decompresses every PullLogs answer. Loaded once at start;
 * where it cannot load (no library for the platform, or already loaded by an earlier class loader in dev mode) the
 * Java codec stays, which is slower but the same bytes.
 */
@Singleton
public class NativeLz4 {

    private static final Logger LOG = Logger.getLogger(NativeLz4.class);

    void onStart(@Observes StartupEvent event) {
        load();
    }

    /** Loads the native codec if it is not loaded yet; never fails. */
    private static void load() {
        try {
            Native.load();
        } catch (Throwable e) {
            LOG.debugf("lz4 stays pure Java: %s", e);
        }
    }
}
