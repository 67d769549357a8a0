package io.sluice.testkit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Kubernetes API for Sluice instances that elect through Leases (fabric8's mock API server in CRUD mode: pods and
 * leases are stored as created and updated), with a <b>kubelet stand-in</b>: every {@code period} it deletes the pod of
 * an instance whose process died, and asks each live instance's readiness ({@code /q/health/ready}) and sets its pod's
 * {@code Ready} condition from the answer. That is what makes the other instances stop honouring an instance's Leases on
 * real Kubernetes (camel-kubernetes counts only Running and Ready pods as members and does not look at a Lease's renew
 * time), so a test that goes through it exercises the path a real cluster takes.
 *
 * <p>How close its timing is to a kubelet's: a kubelet notices a dead container through its PLEG relist, every second,
 * and then reports the pod not Ready (the container restarts in the same pod); {@link #KUBELET_RELIST} as the period
 * gives the stand-in that second, and the pod goes away instead, which camel-kubernetes treats alike (no member either
 * way). Readiness is asked at the same period, while a real readiness probe runs at its own (the shipped manifest: every
 * 5 s, not Ready after 3 failures): that times an instance that hangs or loses the API, not a dead one. The period is
 * the pause between two looks, and a look asks every live instance's readiness (up to a second each), so on a loaded
 * machine the stand-in notices a death later than a kubelet would (KubernetesFailoverIT saw 2 s with 500 ms). The
 * no-argument constructor looks every 500 ms, for tests that check the path rather than time it.
 */
public final class KubernetesApi implements AutoCloseable {

    /** Where the instances' pods and the links' Leases live. */
    public static final String NAMESPACE = "test";
    /** The labels of the instances' pods ({@code sluice.cluster.kubernetes.pod-selector}'s default). */
    public static final Map<String, String> LABELS = Map.of("app", "sluice");
    /** How often a kubelet's PLEG relists the containers, i.e. within what it notices that one died. */
    public static final Duration KUBELET_RELIST = Duration.ofSeconds(1);

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Map<String, SluiceProcess> kubelet = new ConcurrentHashMap<>();
    /** Pods whose process the kubelet stand-in saw running (a process not started yet has no container to lose). */
    private final java.util.Set<String> started = ConcurrentHashMap.newKeySet();
    private volatile boolean probing = true;
    private final Thread prober;
    private final Duration period;

    /** The mock logs every request at INFO: hundreds a second with two instances polling their Leases. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    /** With the kubelet stand-in looking every 500 ms. */
    public KubernetesApi() throws IOException {
        this(Duration.ofMillis(500));
    }

    /** With the kubelet stand-in looking every {@code period} ({@link #KUBELET_RELIST} to time a failover). */
    public KubernetesApi(Duration period) throws IOException {
        this.period = period;
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        prober = new Thread(this::probe, "kubelet-stand-in");
        prober.setDaemon(true);
        prober.start();
    }

    /** The API server's port (plain HTTP: the instances need no certificate to trust). */
    public int port() {
        return server.getPort();
    }

    /**
     * The settings of an instance that elects through this API at {@code masterUrl} (this server's, or a
     * {@link TcpProxy}'s in front of it): short Leases, so that a test sees failovers within seconds (renew deadline +
     * hand-over timeout shorter than the lease, as Sluice requires).
     */
    public static Map<String, String> settings(String masterUrl) {
        return settings(masterUrl, "4S", "2S", "300MS", "1500MS");
    }

    /**
     * The settings of an instance that elects through this API at {@code masterUrl} with these Lease times
     * ({@code sluice.cluster.kubernetes.lease-duration}, {@code renew-deadline}, {@code retry-period} and
     * {@code sluice.cluster.hand-over-timeout}, as the app reads them: {@code 15S}, {@code 300MS}).
     */
    public static Map<String, String> settings(String masterUrl, String leaseDuration, String renewDeadline,
                                               String retryPeriod, String handOverTimeout) {
        return Map.of(
                "sluice.cluster.kind", "kubernetes",
                "sluice.cluster.kubernetes.master-url", masterUrl,
                "sluice.cluster.kubernetes.namespace", NAMESPACE,
                "sluice.cluster.kubernetes.lease-duration", leaseDuration,
                "sluice.cluster.kubernetes.renew-deadline", renewDeadline,
                "sluice.cluster.kubernetes.retry-period", retryPeriod,
                "sluice.cluster.hand-over-timeout", handOverTimeout);
    }

    /**
     * Runs {@code process} in pod {@code pod}: the pod is created Running and not yet Ready (as Kubernetes starts a
     * container), and the kubelet stand-in looks after it from now on.
     */
    public void runs(String pod, SluiceProcess process) {
        createPod(pod);
        kubelet.put(pod, process);
    }

    /** Pod {@code name} with the instances' labels, Running, not Ready. */
    public void createPod(String name) {
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(LABELS).endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .endStatus().build()).create();
    }

    /** Pod {@code name}, or null when there is none. */
    public Pod pod(String name) {
        return client.pods().inNamespace(NAMESPACE).withName(name).get();
    }

    /** Whether pod {@code name} exists and its Ready condition is True. */
    public boolean ready(String name) {
        Pod pod = pod(name);
        return pod != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Sets pod {@code name}'s Ready condition. */
    public void setReady(String name, boolean ready) {
        Pod pod = pod(name);
        List<PodCondition> conditions = pod.getStatus().getConditions();
        conditions.removeIf(c -> "Ready".equals(c.getType()));
        conditions.add(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build());
        client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
    }

    public void deletePod(String name) {
        client.pods().inNamespace(NAMESPACE).withName(name).delete();
    }

    /** The Lease of link {@code link} (camel-kubernetes names it {@code leaders-<election>}), or null. */
    public Lease lease(String leaseName) {
        return client.leases().inNamespace(NAMESPACE).withName(leaseName).get();
    }

    /** The names of all Leases in the namespace. */
    public List<String> leaseNames() {
        return client.leases().inNamespace(NAMESPACE).list().getItems().stream()
                .map(l -> l.getMetadata().getName()).sorted().toList();
    }

    /** Who holds Lease {@code leaseName}, or null. */
    public String holder(String leaseName) {
        Lease lease = lease(leaseName);
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    /**
     * The kubelet's part, every {@code period}: the pod of a process that died is deleted (started again, it comes back in a
     * new pod of the same name, not Ready); a live process's pod is Ready exactly while its readiness answers 200.
     */
    private void probe() {
        while (probing) {
            kubelet.forEach((name, process) -> {
                try {
                    Pod pod = pod(name);
                    if (!process.alive()) {
                        if (started.remove(name) && pod != null) {
                            deletePod(name);
                        }
                        return;
                    }
                    started.add(name);
                    if (pod == null) {
                        createPod(name);
                    }
                    boolean ready = answersReady(process);
                    if (ready != ready(name)) {
                        setReady(name, ready);
                    }
                } catch (RuntimeException e) {
                    // the mock is closing: nothing to look after any more
                }
            });
            try {
                Thread.sleep(period.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A readiness probe: {@code /q/health/ready} answers 200 within a second. */
    private static boolean answersReady(SluiceProcess process) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(process.baseUrl() + "/q/health/ready").toURL()
                    .openConnection();
            c.setConnectTimeout(1_000);
            c.setReadTimeout(1_000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        probing = false;
        prober.interrupt();
        prober.join(5_000);
        client.close();
        server.destroy();
    }
}
