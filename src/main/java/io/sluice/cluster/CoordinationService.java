package io.sluice.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.component.zookeeper.ZooKeeperCuratorConfiguration;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The coordination service the elections run on: Camel's cluster service for Kubernetes leases or ZooKeeper, made
 * from {@code sluice.cluster.*}, and whether this instance can reach it (readiness: an instance cut off from it has
 * lost its links, and on Kubernetes must turn not-ready so that the others stop honouring its leases).
 */
abstract class CoordinationService {

    /** The pod's namespace inside Kubernetes (the service account's mount). */
    private static final Path POD_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    final CamelClusterService camel;

    /** The least time a stop is given, even where the session timeout leaves less. */
    private static final Duration MIN_HAND_OVER = Duration.ofMillis(500);

    private CoordinationService(CamelClusterService camel) {
        this.camel = camel;
    }

    /** Starts what the Camel service does not start itself. */
    void start() {
    }

    /** Closes what the Camel service does not close itself. */
    void close() {
    }

    /**
     * Whether this instance holds its session with the coordination service now (cheap: asked every half second). A
     * ZooKeeper client that lost its connection gives its links up at once, not only when Curator cancels leadership.
     */
    boolean connected() {
        return true;
    }

    /**
     * How long a link this instance lost may take to stop: {@code configured} (sluice.cluster.hand-over-timeout), or
     * less where the coordination service lets another instance take the link over sooner.
     */
    Duration handOverWithin(Duration configured) {
        return configured;
    }

    /** Null when this instance reaches the coordination service, else why not. */
    abstract String unreachable();

    /** Where the coordination service is, for messages. */
    abstract String where();

    static CoordinationService of(ClusterConfig config, String instance) {
        return switch (config.kind()) {
            case ZOOKEEPER -> zookeeper(config.zookeeper(), instance);
            case KUBERNETES -> {
                checkLeaseTimes(config.kubernetes().leaseDuration(), config.kubernetes().renewDeadline(),
                        config.handOverTimeout());
                yield kubernetes(config.kubernetes(), instance);
            }
            case NONE -> throw new IllegalArgumentException("no coordination service without a cluster");
        };
    }

    private static CoordinationService zookeeper(ClusterConfig.ZooKeeper zk, String instance) {
        String nodes = zk.nodes().filter(n -> !n.isBlank()).orElseThrow(() -> new IllegalStateException(
                "sluice.cluster.kind=zookeeper needs sluice.cluster.zookeeper.nodes, the ensemble's connect string "
                        + "(host:2181,host2:2181)"));
        // a Curator client of our own, so that readiness can ask it whether it is connected (the service hides its own)
        CuratorFramework curator = CuratorFrameworkFactory.builder().connectString(nodes)
                .sessionTimeoutMs((int) zk.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) zk.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(1_000, 3)).build();
        ZooKeeperClusterService service = new ZooKeeperClusterService(new ZooKeeperCuratorConfiguration());
        service.setId(instance);
        service.setNodes(nodes);
        service.setBasePath(zk.basePath());
        service.setSessionTimeout(zk.sessionTimeout().toMillis());
        service.setConnectTimeout(zk.connectionTimeout().toMillis());
        service.setCuratorFramework(curator);
        return new CoordinationService(service) {
            @Override
            void start() {
                curator.start();
            }

            @Override
            void close() {
                curator.close();
            }

            @Override
            boolean connected() {
                return curator.getZookeeperClient().isConnected();
            }

            @Override
            String unreachable() {
                if (!connected()) {
                    return "ZooKeeper (" + nodes + ") is not reachable: this instance runs no elected link until it is";
                }
                return null;
            }

            @Override
            String where() {
                return "ZooKeeper " + nodes;
            }

            /**
             * A ZooKeeper client notices a server that stopped answering after 2/3 of the session timeout (its read
             * timeout), the election watch up to one look later; the server expires the session, and another instance
             * wins the link, at the full session timeout. The stop has to fit in what is left.
             */
            @Override
            Duration handOverWithin(Duration configured) {
                Duration left = zk.sessionTimeout().dividedBy(3).minus(LinkElection.LOOK_PERIOD);
                Duration within = left.compareTo(MIN_HAND_OVER) < 0 ? MIN_HAND_OVER : left;
                return configured.compareTo(within) > 0 ? within : configured;
            }
        };
    }

    private static CoordinationService kubernetes(ClusterConfig.Kubernetes k8s, String pod) {
        String namespace = k8s.namespace().orElseGet(CoordinationService::podNamespace);
        Map<String, String> labels = labels(k8s.podSelector());
        KubernetesConfiguration conf = new KubernetesConfiguration();
        k8s.masterUrl().ifPresent(conf::setMasterUrl);
        KubernetesClusterService service = new KubernetesClusterService(conf);
        service.setKubernetesResourcesNamespace(namespace);
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setPodName(pod);
        service.setClusterLabels(labels);
        service.setLeaseDurationMillis(k8s.leaseDuration().toMillis());
        service.setRenewDeadlineMillis(k8s.renewDeadline().toMillis());
        service.setRetryPeriodMillis(k8s.retryPeriod().toMillis());
        // the readiness probe asks the API through a client of its own, answering within the probe's time
        Config base = k8s.masterUrl().map(url -> new ConfigBuilder().withMasterUrl(url).build())
                .orElseGet(() -> Config.autoConfigure(null));
        Config clientConfig = new ConfigBuilder(base).withConnectionTimeout(2_000).withRequestTimeout(2_000)
                .withRequestRetryBackoffLimit(0).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
        return new CoordinationService(service) {
            @Override
            void close() {
                client.close();
            }

            @Override
            String unreachable() {
                try {
                    client.pods().inNamespace(namespace).withName(pod).get();
                    return null;
                } catch (RuntimeException e) {
                    return "the Kubernetes API (" + client.getMasterUrl() + ") is not reachable: " + e.getMessage()
                            + "; this instance runs no elected link until it is";
                }
            }

            @Override
            String where() {
                return "Kubernetes leases in namespace " + namespace;
            }
        };
    }

    /**
     * An instance cut off from the Kubernetes API gives its links up once it could not renew their Leases for the
     * renew deadline, and then takes up to the hand-over timeout to stop them; another instance runs a link only after
     * it took the Lease and held it for the lease duration (camel-kubernetes waits that long before it acts as the
     * leader). So a link never runs on two instances at once only while renew deadline + hand-over timeout is shorter
     * than the lease duration.
     */
    static void checkLeaseTimes(Duration lease, Duration renewDeadline, Duration handOver) {
        if (renewDeadline.plus(handOver).compareTo(lease) >= 0) {
            throw new IllegalStateException("sluice.cluster.kubernetes.renew-deadline (" + renewDeadline.toMillis()
                    + " ms) plus sluice.cluster.hand-over-timeout (" + handOver.toMillis() + " ms) must be shorter than "
                    + "sluice.cluster.kubernetes.lease-duration (" + lease.toMillis() + " ms): an instance cut off from "
                    + "the Kubernetes API stops its links only after the renew deadline and the hand-over, while another "
                    + "instance starts them once it has held their Leases for the lease duration. Lengthen the lease "
                    + "duration or shorten the other two");
        }
    }

    static Map<String, String> labels(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : selector.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalStateException("sluice.cluster.kubernetes.pod-selector must be labels k=v,k2=v2 "
                        + "(those of the instances' pods), not '" + selector + "'");
            }
            labels.put(kv[0].trim(), kv[1].trim());
        }
        return labels;
    }

    private static String podNamespace() {
        try {
            return Files.readString(POD_NAMESPACE).trim();
        } catch (Exception e) {
            return "default";
        }
    }
}
