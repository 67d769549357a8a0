package io.sluice.kafka;

import io.sluice.base.DataSourceKind.TestResult;
import io.sluice.base.Errors;
import io.sluice.base.SecretMasker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which Kafka cluster an endpoint talks to: a declared data source ({@code dataSource=<name>}, from
 * {@code sluice.kafka.<name>.*}) or plain {@code brokers}. One rule and one set of messages for every Kafka endpoint.
 */
public final class KafkaClusters {

    private KafkaClusters() {
    }

    /** The declared cluster {@code name}; IllegalArgumentException naming the fix when it is not declared. */
    public static KafkaConfig.KafkaCluster named(Map<String, KafkaConfig.KafkaCluster> declared, String where, String name) {
        KafkaConfig.KafkaCluster c = declared.get(name);
        if (c == null) {
            throw new IllegalArgumentException(where + ": no Kafka data source named '" + name
                    + "': declare sluice.kafka." + name + ".bootstrap-servers in application.properties");
        }
        return c;
    }

    /**
     * bootstrap.servers and the data source's client (security) properties.
     *
     * @param where e.g. "kafka-json:orders", for messages
     * @throws IllegalArgumentException naming the fix when neither is given or the data source is not declared
     */
    public static Properties clientProperties(Map<String, KafkaConfig.KafkaCluster> declared, String where,
                                              String dataSource, String brokers) {
        if (dataSource != null) {
            return named(declared, where, dataSource).clientProperties();
        }
        if (brokers == null || brokers.isBlank()) {
            throw new IllegalArgumentException(where + " needs a dataSource (a sluice.kafka.<name> cluster) "
                    + "or brokers (e.g. brokers={{kafka.bootstrap.servers}})");
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        return p;
    }

    /** How long a connection test waits for the cluster. */
    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The connection test of a cluster, as a data source's test and an idle link's check run it: the cluster's id and
     * brokers within 10 s, or why not, with the fix ({@code where} names the setting to check).
     */
    public static TestResult test(Properties client, String where) {
        Duration timeout = TEST_TIMEOUT;
        Properties p = new Properties();
        p.putAll(client);
        String servers = String.valueOf(p.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-data-source-test");
        // a second between connection attempts: against a cluster that is down the client logs a warning for each
        // (by default ~30 within a test), and an idle link's check tests every 10 s
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 1_000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000); // with it, or the client warns it ignores the max
        long start = System.currentTimeMillis();
        try (Admin admin = Admin.create(p)) {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions()
                    .timeoutMs((int) timeout.toMillis()));
            int brokers = cluster.nodes().get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS).size();
            String id = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new TestResult(true, "Kafka cluster " + id + " at " + servers + " answers with " + brokers
                    + " broker(s)", System.currentTimeMillis() - start);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String fix = cause instanceof AuthenticationException || cause instanceof AuthorizationException
                    ? "the cluster refused the client: check the security properties (sasl.*, ssl.*) of " + where.replace(
                    ".bootstrap-servers", ".properties")
                    : "check " + where + ", that the brokers run, and that this host can reach them (and the addresses "
                    + "they advertise)";
            return new TestResult(false, "no answer from the Kafka cluster at " + servers + " within "
                    + timeout.toSeconds() + " s (" + SecretMasker.maskText(Errors.describe(cause)) + "): " + fix,
                    System.currentTimeMillis() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TestResult(false, "the test of the Kafka cluster at " + servers + " was interrupted",
                    System.currentTimeMillis() - start);
        }
    }
}
