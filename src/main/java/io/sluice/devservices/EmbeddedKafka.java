package io.sluice.devservices;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.jboss.logging.Logger;

/**
 * A real Kafka 4.1 broker in KRaft mode (combined broker + controller) inside this JVM, on free loopback ports.
 * Used by the embedded default (README command 1) and by the test kit. It must pick its own ports and its own
 * temporary directory: forcing fixed listeners hangs, and reusing a directory fails with "Invalid cluster.id".
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafka start() {
        // Kafka's server code ends the process (Exit.halt / Exit.exit) on faults it deems fatal, e.g. a log
        // directory that fails while the JVM shuts down. This broker shares its JVM with Sluice (or with the tests):
        // such a fault is logged and must not end the app, or a test JVM with a non-zero code after its tests passed.
        Exit.setHaltProcedure((code, message) -> LOG.errorf("embedded Kafka broker asked to halt (%d): %s", code, message));
        Exit.setExitProcedure((code, message) -> LOG.errorf("embedded Kafka broker asked to exit (%d): %s", code, message));
        // Kafka's test kit deletes its log directories in JVM shutdown hooks of its own, which run while Sluice's links
        // are still stopping (the broker then fails its log directory under them): they run when this broker closes,
        // after the links (EmbeddedServers' shutdown waits for them)
        Exit.setShutdownHookAdder((name, hook) -> DEFERRED_HOOKS.add(hook));
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "3")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setDeleteOnClose(true)
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            // shutting down: nothing more to release
        }
        Runnable hook;
        while ((hook = DEFERRED_HOOKS.poll()) != null) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.debugf("a Kafka clean-up step failed: %s", e.getMessage());
            }
        }
    }

    /** Shutdown hooks Kafka's code asked for, run when the broker closes. */
    private static final java.util.concurrent.ConcurrentLinkedQueue<Runnable> DEFERRED_HOOKS =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers();
    }
}
