package io.sluice.maxcompute;

import io.sluice.base.EndpointOptions;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.state.StateDocument;
import io.sluice.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code maxcompute:<name>?dataSource=<data source>}: the MaxCompute sink of the MySQL -> MaxCompute links (seeds 002,
 * 003). Data sources are declared as {@code sluice.maxcompute.<name>.*} in application.properties, or registered with
 * {@link #addDataSource} (tests, or a component created outside CDI).
 */
@ApplicationScoped
@Named("maxcompute")
public class MaxComputeComponent extends DefaultComponent {

    private static final Logger LOG = Logger.getLogger(MaxComputeComponent.class);

    @Inject
    LinkStatsRegistry stats;

    @Inject
    MaxComputeConfig config;

    @Inject
    StateStore state;

    /** The links' state directory when set here (a component created outside CDI); else {@code sluice.state.dir}. */
    private Path stateDirectory;

    private final Map<String, MaxComputeTarget> registered = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MaxComputeOptions options = new MaxComputeOptions();
        MaxComputeEndpoint endpoint = new MaxComputeEndpoint(uri, this, remaining, options);
        EndpointOptions.bind(endpoint, options, parameters);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** Registers a data source by name (besides those of application.properties). */
    public MaxComputeComponent addDataSource(String name, MaxComputeTarget target) {
        registered.put(name, target);
        return this;
    }

    /**
     * Checks only that the data source is declared, when a link is created: a missing AccessKey must fail that link
     * when it runs (with the fix), not stop the whole application from starting.
     */
    void requireDeclared(String name) {
        if (name == null || (!registered.containsKey(name) && (config == null || !config.maxcompute().containsKey(name)))) {
            dataSource(name); // throws the message naming the fix
        }
    }

    /** The data source named {@code name}; IllegalArgumentException with the fix when there is none. */
    MaxComputeTarget dataSource(String name) {
        MaxComputeTarget t = name == null ? null : registered.get(name);
        if (t == null && name != null && config != null) {
            MaxComputeConfig.MaxComputeSource s = config.maxcompute().get(name);
            if (s != null) {
                if (s.accessId().isEmpty() || s.accessKey().isEmpty()) {
                    throw new IllegalArgumentException("MaxCompute data source '" + name + "' has no AccessKey: set "
                            + "sluice.maxcompute." + name + ".access-id and .access-key (e.g. from the environment)");
                }
                try {
                    t = new MaxComputeTarget(s.project(), s.accessId().get(), s.accessKey().get(), s.endpoint(),
                            s.tunnelEndpoint().orElse(null));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("sluice.maxcompute." + name + ": " + e.getMessage());
                }
            }
        }
        if (t == null) {
            throw new IllegalArgumentException("dataSource must name a MaxCompute data source declared as "
                    + "sluice.maxcompute.<name>.endpoint / .project / .access-id / .access-key in application.properties"
                    + (name == null ? "" : "; there is none named '" + name + "'"));
        }
        return t;
    }

    /** Sets the directory of the links' state (a component created outside CDI). */
    public MaxComputeComponent stateDirectory(Path dir) {
        this.stateDirectory = dir;
        return this;
    }

    /** The state directory of link {@code link} (shared with its binlog source), or null when there is none. */
    Path stateDir(String link) {
        if (stateDirectory != null) {
            return stateDirectory.resolve(link);
        }
        return state == null ? null : state.linkDir(link);
    }

    /**
     * Where link {@code link}'s sink state is kept: in its state directory (a component given one, or the file store),
     * or the shared state database; null when there is neither.
     */
    StateDocument stateDocument(String link) {
        if (stateDirectory != null || state == null) {
            Path dir = stateDir(link);
            return dir == null ? null : StateDocument.file(dir.resolve(SinkState.NAME));
        }
        return state.document(link, SinkState.NAME);
    }

    /** Run-log event of an upload attempt that failed and is tried again: the link shows retrying with it. */
    static final String UPLOAD_RETRY = "upload-retry";

    /**
     * A line in the link's run log (and the application log). An {@link #UPLOAD_RETRY} makes the link show retrying
     * with the message until a batch gets through (the uploader's own attempts take half a minute by default).
     */
    void runLog(String link, String event, String message) {
        if (UPLOAD_RETRY.equals(event)) {
            if (stats != null && link != null) {
                stats.of(link).failed(0, message);
            }
            return;
        }
        LOG.infof("link %s: %s: %s", link, event, message);
        if (stats != null && link != null) {
            stats.of(link).runLog().add(event, message);
        }
    }
}
