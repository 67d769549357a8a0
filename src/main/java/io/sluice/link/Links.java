package io.sluice.link;

import io.sluice.base.DirtyDataChannel;
import io.sluice.base.Errors;
import io.sluice.base.FullLoadProgress;
import io.sluice.base.LinkHaltException;
import io.sluice.base.LinkStats;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.base.MergeSqlSource;
import io.sluice.base.PrecheckItem;
import io.sluice.base.Precheckable;
import io.sluice.base.PreviewableSource;
import io.sluice.base.RowPreview;
import io.sluice.base.SourceRecord;
import io.sluice.state.JdbcStateStore;
import io.sluice.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RouteController;
import org.apache.camel.spi.SupervisingRouteController;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The link lifecycle over Camel's route controller: list, start, pause (suspend), resume, stop, delete and add.
 * A link is a route; its id is the route id.
 */
@ApplicationScoped
public class Links {

    private static final Logger LOG = Logger.getLogger(Links.class);

    @Inject
    CamelContext camel;

    @Inject
    LinkStatsRegistry stats;

    @Inject
    LinkDefinitions definitions;

    @Inject
    LinksConfig config;

    @Inject
    StartRetries startRetries;

    @Inject
    RouteFiles routeFiles;

    @Inject
    RunStates runStates;

    @Inject
    StateStore states;

    @Inject
    LinkPlacement placement;

    /** Every link as this instance sees it: a link elected elsewhere shows {@code standby}, naming its runner. */
    public List<LinkView> list() {
        return camel.getRoutes().stream()
                .filter(Links::isLink)
                .sorted(Comparator.comparing(Route::getRouteId))
                .map(this::view)
                .toList();
    }

    /**
     * Every link as the instance running it reports it (the view from any instance of a cluster): a link that runs
     * elsewhere is asked of its runner, once per runner; one whose runner does not answer shows {@code standby} here
     * with why.
     */
    public List<LinkView> listAcrossCluster() {
        List<LinkView> local = list();
        if (!placement.clustered()) {
            return local;
        }
        Map<LinkPlacement.Runner, Map<String, LinkView>> asked = new java.util.HashMap<>();
        List<LinkView> out = new ArrayList<>();
        for (LinkView v : local) {
            out.add(acrossCluster(v, asked));
        }
        return out;
    }

    /** One link as the instance running it reports it. */
    public LinkView getAcrossCluster(String id) {
        return acrossCluster(get(id), new java.util.HashMap<>());
    }

    private LinkView acrossCluster(LinkView local, Map<LinkPlacement.Runner, Map<String, LinkView>> asked) {
        if (local.state() != LinkState.STANDBY) {
            return local;
        }
        LinkPlacement.Runner runner = placement.runner(local.id());
        if (runner == null || runner.here()) {
            return local;
        }
        try {
            LinkView remote = asked.computeIfAbsent(runner, placement::views).get(local.id());
            return remote != null ? remote : local.withError("instance " + runner.instance() + " runs it but does not "
                    + "know it: check that every instance reads the same route files");
        } catch (LinkException e) {
            asked.put(runner, Map.of());
            return local.withError(e.getMessage());
        }
    }

    /**
     * Carries out a user's action (start, pause, resume, stop) where the link runs: on this instance, or forwarded to
     * the instance elected for it. {@code forwarded}: the request came from another instance, so it is done here.
     */
    public LinkView onRunner(String id, String action, boolean forwarded, java.util.function.Supplier<LinkView> here) {
        route(id);
        if (forwarded || !placement.standby(id)) {
            return here.get();
        }
        LinkPlacement.Runner runner = placement.runner(id);
        if (runner == null) {
            throw new LinkException(503, "link '" + id + "' has no elected instance yet (its election is under way, or "
                    + "no instance reaches the coordination service): try again in a few seconds");
        }
        if (runner.here()) {
            return here.get();
        }
        return placement.forward(runner, id, action);
    }

    public LinkView get(String id) {
        return view(route(id));
    }

    public LinkDetails details(String id) {
        Route route = route(id);
        Object definition = definitions.maskedDefinition(route);
        return new LinkDetails(getAcrossCluster(id), definition, definitions.maskedYaml(definition),
                stats.of(id).runLog().entries());
    }

    /**
     * This instance was elected to run link {@code id} (a cluster): it runs as recorded, paused or stopped by a user on
     * any instance, or started; {@code autoStartup} false leaves it stopped until a user starts it.
     */
    public void takeOver(String id, boolean autoStartup) {
        for (int i = 0; i < 100 && camel.getRoute(id) == null; i++) {
            try {
                Thread.sleep(100); // its definition was added; its route is being created
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        stats.of(id).runLog().add("elected", "this instance (" + placement.instance() + ") was elected to run the link");
        if (!autoStartup) {
            stats.of(id).paused(false);
            return;
        }
        // at once, not after the backoff's first delay: a takeover is a failover, every second counts (a state store
        // that does not answer is retried with the backoff, the link showing retrying)
        startRetries.start(id, asRecorded(id), e -> retryStart(id, e));
    }

    /**
     * This instance lost link {@code id}'s election (another instance runs it, or this one cannot reach the
     * coordination service): the link stops within {@code timeout}; what it had not committed is done again by its new
     * runner from the last committed position.
     */
    public void handOver(String id, java.time.Duration timeout) {
        startRetries.cancel(id);
        try {
            controller().stopRoute(id, Math.max(1, timeout.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("link %s: stopping it after losing its election failed: %s", id, Errors.describe(e));
        }
        stats.of(id).paused(false);
        stats.of(id).runLog().add("standby", "another instance is elected to run the link; stopped here");
    }

    /** In a cluster every instance must define the same links: they come from the route files, not the API. */
    void refuseInCluster(String what) {
        if (placement.clustered()) {
            throw LinkException.conflict("this instance is one of a cluster (sluice.cluster.kind): " + what + " through "
                    + "the API would change it on this instance only. Change the route files every instance reads "
                    + "(sluice.links.routes-dir, e.g. a ConfigMap) and restart the instances");
        }
    }

    public LinkState state(String id) {
        return state(route(id));
    }

    public LinkView start(String id) {
        LinkState s = state(id);
        if (s == LinkState.RUNNING) {
            throw LinkException.conflict("link '" + id + "' is already running");
        }
        if (s == LinkState.PAUSED) {
            throw LinkException.conflict("link '" + id + "' is paused: resume it (POST /api/links/" + id + "/resume)");
        }
        runStates.clear(id);
        startOrRetry(id);
        return get(id);
    }

    /**
     * Pause stops the link's consumer, which commits its position (Kafka offsets, SLS checkpoints, binlog
     * offsets) as a stop does; resume starts it from there. Camel's route suspension is not used because
     * consumers such as Kafka's keep delivering already fetched records while suspended.
     */
    public LinkView pause(String id) {
        if (state(id) != LinkState.RUNNING && !startRetries.retrying(id)) {
            throw LinkException.conflict("link '" + id + "' is " + state(id).label() + ": only a running link can be paused");
        }
        runStates.record(id, RunStates.RunState.PAUSED); // first: a pause the store cannot keep is refused
        startRetries.cancel(id);
        control(id, "pause", () -> controller().stopRoute(id));
        stats.of(id).paused(true);
        stats.of(id).runLog().add("paused", "link paused; its position is kept");
        return get(id);
    }

    public LinkView resume(String id) {
        if (state(id) != LinkState.PAUSED) {
            throw LinkException.conflict("link '" + id + "' is " + state(id).label() + ": only a paused link can be resumed");
        }
        runStates.clear(id);
        stats.of(id).paused(false);
        startOrRetry(id);
        stats.of(id).runLog().add("resumed", "link resumed from its position");
        return get(id);
    }

    public LinkView stop(String id) {
        LinkState s = state(id);
        if (s == LinkState.STOPPED) {
            throw LinkException.conflict("link '" + id + "' is already stopped");
        }
        runStates.record(id, RunStates.RunState.STOPPED);
        stats.of(id).paused(false);
        startRetries.cancel(id);
        return control(id, "stop", () -> controller().stopRoute(id));
    }

    public void delete(String id) {
        route(id);
        refuseInCluster("deleting a link");
        startRetries.cancel(id);
        try {
            controller().stopRoute(id);
            camel.removeRoute(id);
        } catch (Exception e) {
            throw new LinkException(500, "could not delete link '" + id + "': " + Errors.describe(e));
        }
        definitions.forget(id);
        stats.remove(id);
        try {
            states.forget(id); // a new link with this id starts afresh, and is not paused by this one's record
        } catch (Exception e) {
            LOG.warnf("link %s deleted, but its state (positions, checkpoints, pause) could not be removed from the "
                    + "state store: %s; a new link with this id would continue from it", id, Errors.describe(e));
        }
        if (routeFiles.enabled()) {
            try {
                routeFiles.remove(id);
            } catch (IOException e) {
                LOG.warnf("link %s deleted, but it could not be taken out of %s: %s", id, config.links().routesDir(),
                        e.getMessage());
            }
        }
        LOG.infof("link %s deleted", id);
    }

    /**
     * Adds the links of a YAML route file. Everything is checked first; if any link cannot be created, none is
     * added. Links whose server is unreachable are added and retried like any other.
     */
    public List<LinkView> add(String yaml) {
        refuseInCluster("adding a link");
        List<RouteDefinition> routes = definitions.parse(yaml);
        for (RouteDefinition r : routes) {
            if (camel.getRoute(r.getRouteId()) != null) {
                throw LinkException.conflict("a link with id '" + r.getRouteId()
                        + "' already exists: delete it first or choose another id");
            }
        }
        List<Boolean> autoStart = new ArrayList<>();
        for (RouteDefinition r : routes) {
            autoStart.add(r.getAutoStartup() == null || Boolean.parseBoolean(r.getAutoStartup()));
            r.setAutoStartup("false");
        }
        ModelCamelContext model = (ModelCamelContext) camel;
        try {
            model.addRouteDefinitions(routes);
        } catch (Exception e) {
            for (RouteDefinition r : routes) {
                removeQuietly(r.getRouteId());
            }
            throw LinkException.badRequest("link '" + routes.get(0).getRouteId() + "' cannot be created: "
                    + Errors.describe(e));
        }
        List<LinkView> added = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            String id = routes.get(i).getRouteId();
            definitions.remember(id, yaml);
            if (autoStart.get(i)) {
                try {
                    runStates.clear(id); // a start clears a pause or stop recorded under this id
                } catch (LinkException e) {
                    LOG.warn(e.getMessage());
                }
                stats.of(id).paused(false);
                startOrRetry(id);
            }
            added.add(get(id));
        }
        if (routeFiles.enabled()) {
            save(routes.get(0).getRouteId(), yaml);
        }
        return added;
    }

    /** The latest records of the link's source and the row each would become, moving no position. */
    public List<Map<String, Object>> preview(String id, int count) {
        Route route = route(id);
        if (!(route.getEndpoint() instanceof PreviewableSource source)) {
            throw LinkException.conflict("link '" + id + "' has a source that cannot be previewed");
        }
        RowPreview sink = sinkOf(id, RowPreview.class);
        List<Map<String, Object>> out = new ArrayList<>();
        List<SourceRecord> latest;
        try {
            latest = source.latest(count);
        } catch (PreviewableSource.Unavailable e) {
            throw new LinkException(502, e.getMessage());
        }
        for (SourceRecord r : latest) {
            out.add(sink != null ? sink.preview(r) : Map.of("position", r.position(),
                    "raw", new String(r.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /**
     * Starts a link from the API (add, start, resume). A start refused for a reason only a fix can cure (a failed
     * precheck, a wrong password) shows the link as failed; any other (a server that does not answer) is retried with
     * the route controller's backoff, the link showing retrying with the reason meanwhile, as links of the routes
     * directory do under Camel's route supervisor (which does not supervise routes started through the API).
     */
    void startOrRetry(String id) {
        startRetries.start(id, () -> controller().startRoute(id), e -> retryStart(id, e));
    }

    /**
     * Starts a link whose recorded pause or stop could not be read when its definition was added ({@link RunStates}):
     * once the state store answers, as recorded (paused, stopped, or started); retried meanwhile, showing retrying.
     */
    void startAsRecorded(String id) {
        startRetries.later(id, asRecorded(id), e -> retryStart(id, e));
    }

    /** Reads what a user recorded for the link (paused, stopped) and applies it, or starts the link when nothing is. */
    private StartRetries.Attempt asRecorded(String id) {
        return () -> {
            RunStates.RunState recorded = runStates.read(id);
            if (recorded != null) {
                stats.of(id).paused(recorded == RunStates.RunState.PAUSED);
                return;
            }
            controller().startRoute(id);
        };
    }

    /** A start failed: whether to try again (a server that does not answer), after showing why. */
    private boolean retryStart(String id, Exception e) {
        String message = "could not start: " + Errors.describe(e);
        if (Errors.find(e, LinkHaltException.class) != null) {
            stats.of(id).halted(message);
            return false;
        }
        stats.of(id).error(message);
        LOG.warnf("link %s %s; retrying", id, message);
        return true;
    }

    /** The precheck items of the link's source and sinks (each endpoint that can check itself). */
    public List<PrecheckItem> precheck(String id) {
        Route route = route(id);
        List<PrecheckItem> items = new ArrayList<>();
        // a definition on trial was never started: its source learns its sink's traits here (the key item names them)
        DestinationNameCases.resolve(camel, route);
        if (route.getEndpoint() instanceof Precheckable source) {
            items.addAll(source.precheck());
        }
        RouteDefinition def = ((ModelCamelContext) camel).getRouteDefinition(id);
        for (String uri : LinkDefinitions.sendUris(def)) {
            if (camel.getEndpoint(uri) instanceof Precheckable sink) {
                items.addAll(sink.precheck());
            }
        }
        // the application's shared state database, unless the source checked its own store (a binlog link does)
        JdbcStateStore shared = states.jdbc();
        if (shared != null && items.stream().noneMatch(i -> i.item().equals("state store"))) {
            items.add(shared.precheck(null, null, null));
        }
        if (items.isEmpty()) {
            throw LinkException.conflict("link '" + id + "' has no precheck: neither its source nor its sink can check itself");
        }
        return items;
    }

    /** The dirty records of the link's dead-letter channel, newest first. */
    public List<Map<String, Object>> dirty(String id, int limit) {
        route(id);
        DirtyDataChannel channel = sinkOf(id, DirtyDataChannel.class);
        if (channel == null) {
            throw LinkException.conflict("link '" + id + "' has no dead-letter channel");
        }
        return channel.dirtyRecords(id, limit);
    }

    /** The SQL rebuilding {@code table} at {@code epochSeconds} from what the link's sink wrote (MaxCompute links). */
    public String mergeSql(String id, String table, long epochSeconds, String resultTable) {
        route(id);
        MergeSqlSource sink = sinkOf(id, MergeSqlSource.class);
        if (sink == null) {
            throw LinkException.conflict("link '" + id + "' has no sink with a merge SQL (only maxcompute sinks have one)");
        }
        if (table == null || table.isBlank()) {
            throw LinkException.badRequest("merge-sql needs ?table=<source or MaxCompute table name>");
        }
        try {
            return sink.mergeSql(id, table, resultTable, epochSeconds);
        } catch (IllegalArgumentException e) {
            throw LinkException.conflict(e.getMessage());
        }
    }

    /** The link's sink endpoint if it has the given capability (endpoints are cached, so this is the live one). */
    private <T> T sinkOf(String id, Class<T> type) {
        return LinkDefinitions.sinkOf(camel, id, type);
    }

    /** Writes the link's definition to the routes directory; a failure shows as the link's last error. */
    void save(String id, String yaml) {
        try {
            Path file = routeFiles.write(id, yaml);
            LOG.infof("link %s written to %s", id, file);
        } catch (IOException e) {
            stats.of(id).error("changed, but not written to " + config.links().routesDir() + " (it is lost at the next "
                    + "restart; check that the directory is writable, sluice.links.routes-dir): " + e.getMessage());
        }
    }

    private void removeQuietly(String id) {
        try {
            if (camel.getRoute(id) != null) {
                controller().stopRoute(id);
                camel.removeRoute(id);
            }
            ((ModelCamelContext) camel).removeRouteDefinition(((ModelCamelContext) camel).getRouteDefinition(id));
        } catch (Exception ignored) {
            // best effort: the route was never started
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private LinkView control(String id, String what, Action action) {
        try {
            action.run();
        } catch (Exception e) {
            throw new LinkException(500, "could not " + what + " link '" + id + "': " + Errors.describe(e));
        }
        return get(id);
    }

    /** Routes that kamelets and route templates create inside a link are parts of it, not links. */
    public static boolean isLink(Route route) {
        return !route.isCreatedByKamelet() && !route.isCreatedByRouteTemplate() && !TrialRoutes.isTrial(route);
    }

    /** A link, or a definition on trial, which the dry run asks for its precheck and preview as it asks a link. */
    private Route route(String id) {
        Route route = camel.getRoute(id);
        if (route == null || !(isLink(route) || TrialRoutes.isTrial(route))) {
            throw LinkException.notFound(id);
        }
        return route;
    }

    private RouteController controller() {
        return camel.getRouteController();
    }

    private LinkState state(Route route) {
        String id = route.getRouteId();
        LinkStats s = stats.of(id);
        if (placement.standby(id) && !ServiceStatus.Started.equals(controller().getRouteStatus(id))) {
            return LinkState.STANDBY;
        }
        if (controller() instanceof SupervisingRouteController supervisor) {
            boolean restarting = supervisor.getRestartingRoutes().stream().anyMatch(r -> r.getRouteId().equals(id));
            boolean exhausted = supervisor.getExhaustedRoutes().stream().anyMatch(r -> r.getRouteId().equals(id));
            if (exhausted) {
                return LinkState.FAILED;
            }
            if (restarting) {
                // the supervisor retries a start that failed; an error only a fix can cure is shown as failed
                Throwable why = supervisor.getRestartException(id);
                return Errors.find(why, LinkHaltException.class) != null ? LinkState.FAILED : LinkState.RETRYING;
            }
        }
        if (s.haltReason() != null) {
            return LinkState.FAILED;
        }
        if (startRetries.retrying(id)) {
            return LinkState.RETRYING;
        }
        ServiceStatus status = controller().getRouteStatus(id);
        if (status == null) {
            return LinkState.STOPPED;
        }
        switch (status) {
            case Started, Starting:
                // a batch that failed and is retried, or one whose write has been waiting in the database for seconds
                return s.failing() || s.stalledWrite() != null ? LinkState.RETRYING : LinkState.RUNNING;
            case Suspended, Suspending:
                return LinkState.PAUSED;
            default:
                return s.paused() ? LinkState.PAUSED : LinkState.STOPPED;
        }
    }

    private LinkView view(Route route) {
        String id = route.getRouteId();
        LinkStats s = stats.of(id);
        RouteDefinition def = ((ModelCamelContext) camel).getRouteDefinition(id);
        LinkState state = state(route);
        String lastError = s.lastError();
        String stalled = state == LinkState.RETRYING && !s.failing() ? s.stalledWrite() : null;
        if (stalled != null) {
            lastError = stalled;
        }
        if (controller() instanceof SupervisingRouteController supervisor && supervisor.getRestartException(id) != null
                && (state == LinkState.FAILED || state == LinkState.RETRYING)) {
            lastError = Errors.describe(supervisor.getRestartException(id));
        }
        long uptime = state == LinkState.RUNNING || state == LinkState.PAUSED ? route.getUptimeMillis() / 1000 : 0;
        String source = LinkDefinitions.source(def);
        String sink = LinkDefinitions.sink(def);
        FullLoadProgress fullLoad = s.fullLoad();
        LinkPlacement.Runner runner = placement.clustered() ? placement.runner(id) : null;
        return new LinkView(id, route.getDescription(), source, sink, state,
                s.recordsIn(), s.recordsOut(), s.recordsFailed(), s.recordsDirty(), s.lagMillis() / 1000.0,
                lastError, s.lastErrorTime(), uptime, LinkKind.of(source, sink), s.rowsPerSecond(),
                fullLoad == null ? null : fullLoad.view(), runner == null ? null : runner.instance());
    }
}
