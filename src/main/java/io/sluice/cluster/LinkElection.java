package io.sluice.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Unremovable;
import io.sluice.base.Errors;
import io.sluice.link.LinkKind;
import io.sluice.link.LinkPlacement;
import io.sluice.link.LinkView;
import io.sluice.link.Links;
import io.sluice.link.LinksConfig;
import io.sluice.state.StateStore;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.CamelContextCustomizer;
import org.apache.camel.spi.CamelEvent.CamelContextStartedEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One election per link ({@code sluice.cluster.kind=kubernetes|zookeeper}): every instance takes part in the
 * election of each link whose source cannot share its work; the winner runs the link (as its recorded pause or stop
 * says), the others keep its route stopped and show it {@code standby}. Losing an election (the coordination service
 * unreachable, the lease taken) stops the link within {@code sluice.cluster.hand-over-timeout}: the route is stopped,
 * not only the election left, so a link never runs on two instances at once.
 *
 * <p>Links whose source shares its work itself run on every instance: Kafka sources (the consumer group spreads the
 * partitions) and SLS sources with a {@code consumerGroup} (SLS spreads the shards).
 */
@Singleton
@Unremovable // Camel Quarkus looks customizers up
public class LinkElection implements LinkPlacement, CamelContextCustomizer {

    private static final Logger LOG = Logger.getLogger(LinkElection.class);
    /** Sources whose instances share the work among themselves; all other links are elected. */
    private static final List<String> SHARING_SOURCES = List.of("kafka", "kafka-json");

    @Inject
    ClusterConfig config;

    @Inject
    LinksConfig links;

    @Inject
    StateStore states;

    @Inject
    ObjectMapper json;

    @Inject
    Instance<Links> control;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int httpPort;

    /** How often every election is looked at again ({@link #look}). */
    static final Duration LOOK_PERIOD = Duration.ofMillis(500);

    private volatile CoordinationService coordination;
    /** sluice.cluster.hand-over-timeout, shortened to what the coordination service leaves (see configure). */
    private volatile Duration handOverWithin;
    private volatile ClusterPeers peers;
    private volatile boolean camelStarted;
    /** Whether this instance lost its coordination service since it last looked (the watch thread's own). */
    private boolean cutOff;
    private volatile String instance;
    private volatile String url;
    /** Links taking part in an election, with whether their definition asks to start. */
    private final Map<String, Boolean> joined = new ConcurrentHashMap<>();
    private final Map<String, CamelClusterView> views = new ConcurrentHashMap<>();
    /** Links this instance won and runs (as recorded). */
    private final Map<String, Boolean> leading = new ConcurrentHashMap<>();
    /** Each link's taking over and handing over, one after the other. */
    private final Map<String, CompletableFuture<Void>> turns = new ConcurrentHashMap<>();
    private final ExecutorService turnThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sluice-election");
        t.setDaemon(true);
        return t;
    });
    /**
     * Every half second each link's election is looked at again: Camel's events are not enough (a ZooKeeper view whose
     * connection is gone cannot name a leader, and fires no event when its leadership is cancelled).
     */
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-election-watch");
        t.setDaemon(true);
        return t;
    });

    @Override
    public boolean clustered() {
        return config.kind() != ClusterConfig.Kind.NONE;
    }

    @Override
    public String instance() {
        return instance;
    }

    /**
     * Adds the cluster service to Camel before it starts. A cluster without the shared state store fails the start:
     * the instance taking a link over could not continue from where the other left it.
     */
    @Override
    public void configure(CamelContext camel) {
        if (!clustered()) {
            return;
        }
        if (states.jdbc() == null) {
            throw new IllegalStateException("sluice.cluster.kind=" + config.kind().name().toLowerCase()
                    + " needs sluice.state.store=jdbc (with sluice.state.jdbc.url): an instance taking a link over "
                    + "continues from the positions, checkpoints and pauses in the shared state database, and cannot "
                    + "read another instance's files");
        }
        instance = instanceId();
        url = config.advertisedUrl().filter(u -> !u.isBlank()).orElseGet(this::defaultUrl);
        peers = new ClusterPeers(states, links.api().token(), json);
        try {
            peers.register(instance, url);
        } catch (Exception e) {
            throw new IllegalStateException("instance " + instance + " cannot publish its API URL in the shared state "
                    + "database: " + Errors.describe(e) + "; check sluice.state.jdbc.url and that the database runs", e);
        }
        coordination = CoordinationService.of(config, instance);
        handOverWithin = coordination.handOverWithin(config.handOverTimeout());
        if (handOverWithin.compareTo(config.handOverTimeout()) < 0) {
            LOG.infof("sluice.cluster.hand-over-timeout=%s is longer than %s leaves an instance cut off from it to stop "
                    + "its links before another takes them over: links lost here are stopped within %s instead "
                    + "(lengthen the session timeout or shorten hand-over-timeout)", config.handOverTimeout(),
                    coordination.where(), handOverWithin);
        }
        try {
            coordination.start();
            camel.addService(coordination.camel, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("the cluster service (" + coordination.where() + ") cannot start: "
                    + Errors.describe(e), e);
        }
        LOG.infof("instance %s joins the cluster through %s; its API is %s", instance, coordination.where(), url);
    }

    @Override
    public boolean elected(RouteDefinition def) {
        if (!clustered() || def.getInput() == null) {
            return false;
        }
        String uri = def.getInput().getEndpointUri();
        String component = LinkKind.component(uri);
        if (SHARING_SOURCES.contains(component)) {
            return false;
        }
        return !(component.equals("sls") && uri.matches(".*[?&]consumerGroup=[^&]+.*"));
    }

    @Override
    public void join(String id, boolean autoStartup) {
        // the first word counts: a definition added again (routes not started at boot are) carries autoStartup=false
        joined.putIfAbsent(id, autoStartup);
        if (camelStarted) {
            turn(id, () -> enter(id));
        }
    }

    @Override
    public void leave(String id) {
        joined.remove(id);
        CamelClusterView view = views.remove(id);
        leading.remove(id);
        if (view != null) {
            try {
                coordination.camel.releaseView(view);
            } catch (Exception e) {
                LOG.warnf("link %s: leaving its election failed: %s", id, Errors.describe(e));
            }
        }
    }

    @Override
    public Runner runner(String id) {
        CamelClusterView view = views.get(id);
        if (view == null) {
            return null;
        }
        if (Boolean.TRUE.equals(leading.get(id))) {
            return new Runner(instance, url, true);
        }
        if (!coordination.connected()) {
            return null; // who runs it cannot be known from here
        }
        CamelClusterMember leader;
        try {
            leader = view.getLeader().orElse(null);
        } catch (RuntimeException e) {
            LOG.debugf("link %s: its leader cannot be read: %s", id, e.getMessage());
            return null;
        }
        if (leader == null || leader.getId() == null) {
            return null;
        }
        if (leader.isLocal() || leader.getId().equals(instance)) {
            return new Runner(instance, url, true); // won, and taking the link over right now
        }
        String peerUrl = peers.url(leader.getId());
        return peerUrl == null ? null : new Runner(leader.getId(), peerUrl, false);
    }

    @Override
    public boolean standby(String id) {
        return views.containsKey(id) && !Boolean.TRUE.equals(leading.get(id));
    }

    @Override
    public Map<String, LinkView> views(Runner runner) {
        return peers.views(runner);
    }

    @Override
    public LinkView forward(Runner runner, String id, String action) {
        return peers.forward(runner, id, action);
    }

    @Override
    public String coordinationProblem() {
        CoordinationService c = coordination;
        return c == null ? null : c.unreachable();
    }

    /** The links joined before Camel ran (the routes directory) take part once their routes exist. */
    void startElections(@Observes CamelContextStartedEvent started) {
        if (!clustered()) {
            return;
        }
        camelStarted = true;
        for (String id : List.copyOf(joined.keySet())) {
            turn(id, () -> enter(id));
        }
        watch.scheduleWithFixedDelay(this::look, LOOK_PERIOD.toMillis(), LOOK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sluice stops: Camel stops the links itself; no hand-over is started on the way. */
    void stopping(@Observes CamelContextStoppingEvent stopping) {
        camelStarted = false;
        watch.shutdownNow();
        turnThreads.shutdownNow();
    }

    /** After Camel (and its cluster service) stopped: the clients of our own. */
    void stopped(@Observes org.apache.camel.spi.CamelEvent.CamelContextStoppedEvent stopped) {
        CoordinationService c = coordination;
        if (c != null) {
            c.close();
        }
    }

    private void enter(String id) {
        if (!joined.containsKey(id) || views.containsKey(id)) {
            return;
        }
        try {
            CamelClusterView view = coordination.camel.getView(viewName(id));
            view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> turn(id, () -> follow(id)));
            views.put(id, view);
            LOG.debugf("link %s: takes part in its election (%s)", id, view.getNamespace());
            follow(id); // the leader may be known already
        } catch (Exception e) {
            LOG.errorf("link %s cannot take part in its election on %s: %s", id, coordination.where(),
                    Errors.describe(e));
        }
    }

    /**
     * Looks at every election again. Once the coordination service is back after this instance lost it, every
     * election is entered afresh: a ZooKeeper leader selector whose leadership was cancelled while disconnected does
     * not always queue up again by itself, and the link would never run here again.
     */
    private void look() {
        boolean connected = coordination.connected();
        if (!connected) {
            cutOff = true;
        } else if (cutOff) {
            cutOff = false;
            LOG.infof("instance %s reaches %s again: it takes part in the links' elections afresh", instance,
                    coordination.where());
            for (String id : List.copyOf(views.keySet())) {
                turn(id, () -> rejoin(id));
            }
        }
        views.keySet().forEach(id -> turn(id, () -> follow(id)));
    }

    private void rejoin(String id) {
        follow(id); // hands the link over first, should this instance still count itself the leader
        CamelClusterView view = views.remove(id);
        if (view != null) {
            try {
                coordination.camel.releaseView(view);
            } catch (Exception e) {
                LOG.debugf("link %s: leaving its old election: %s", id, e.getMessage());
            }
        }
        enter(id);
    }

    /** Takes the link over when this instance won its election, hands it over when it lost it. */
    private void follow(String id) {
        CamelClusterView view = views.get(id);
        if (view == null || !camelStarted) {
            return;
        }
        boolean leader = coordination.connected() && view.getLocalMember() != null && view.getLocalMember().isLeader();
        boolean was = Boolean.TRUE.equals(leading.get(id));
        if (leader && !was) {
            leading.put(id, true);
            LOG.infof("link %s: instance %s was elected to run it", id, instance);
            control.get().takeOver(id, joined.getOrDefault(id, true));
        } else if (!leader && was) {
            leading.put(id, false);
            LOG.infof("link %s: instance %s is no longer elected%s; stopping it", id, instance,
                    coordination.connected() ? "" : " (" + coordination.where() + " is not reachable)");
            control.get().handOver(id, handOverWithin);
        }
    }

    private void turn(String id, Runnable step) {
        if (turnThreads.isShutdown()) {
            return;
        }
        turns.compute(id, (k, previous) -> (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                .thenRunAsync(step, turnThreads)
                .exceptionally(e -> {
                    LOG.errorf("link %s: %s", id, Errors.describe(e));
                    return null;
                }));
    }

    /** Longest id kept whole in an election's name: the Lease {@code leaders-link-<id>} stays within 253 characters. */
    private static final int NAME_LENGTH = 200;

    /**
     * The election's name of a link: lower case letters, digits and dashes, ending in a letter or digit (a Kubernetes
     * Lease is named {@code leaders-<this>}), with a short hash of the id when it had to be changed, so that two ids
     * never share an election. Camel cuts trailing dashes off a Lease name itself: {@code abc-} would otherwise share
     * {@code abc}'s Lease, and run on another instance than the one {@code abc-}'s election says.
     */
    static String viewName(String id) {
        String safe = id.toLowerCase().replaceAll("[^a-z0-9-]", "-");
        if (!safe.equals(id) || safe.endsWith("-") || safe.length() > NAME_LENGTH) {
            safe = safe.substring(0, Math.min(safe.length(), NAME_LENGTH)) + "-" + Integer.toHexString(id.hashCode());
        }
        return "link-" + safe;
    }

    private String instanceId() {
        return config.instanceId().filter(s -> !s.isBlank()).orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            if (host != null && !host.isBlank()) {
                return host;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return "sluice";
            }
        });
    }

    private String defaultUrl() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return "http://" + a.getHostAddress() + ":" + httpPort;
                    }
                }
            }
        } catch (Exception e) {
            LOG.debugf("no network address found: %s", e.getMessage());
        }
        return "http://127.0.0.1:" + httpPort;
    }
}
