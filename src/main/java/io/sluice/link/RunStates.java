package io.sluice.link;

import io.quarkus.arc.Unremovable;
import io.sluice.base.ConnectionFailures;
import io.sluice.base.Errors;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.state.StateDocument;
import io.sluice.state.StateStore;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.CamelContextCustomizer;
import org.apache.camel.spi.CamelEvent.CamelContextStartedEvent;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Locale;

/**
 * The user's pause or stop of a link, kept in the application's state store (document {@value #NAME}: the file
 * {@code <state dir>/<link id>/run-state} or the row {@code <link id>/run-state} of the shared state database), so a
 * link paused or stopped through the API stays so after a restart of Sluice, or on the instance that takes it over:
 * when a link's definition is added (at start-up from the routes directory, or again after an edit), a link recorded
 * paused comes up {@code paused} and one recorded stopped comes up {@code stopped}. Start and resume clear the record;
 * a link that stops itself (failed) records nothing.
 */
@Singleton
@Unremovable // Camel Quarkus looks customizers up; Links injects it too
public class RunStates implements CamelContextCustomizer {

    private static final Logger LOG = Logger.getLogger(RunStates.class);

    /** The document's name in a link's state. */
    static final String NAME = "run-state";

    /** What the user chose for a link that is not to run. */
    public enum RunState {
        PAUSED, STOPPED;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Inject
    StateStore states;

    @Inject
    LinkStatsRegistry stats;

    @Inject
    LinkPlacement placement;

    /** Lazily: Links injects this bean, and starting a link whose run state could not be read goes through Links. */
    @Inject
    Instance<Links> links;

    @Override
    public void configure(CamelContext camel) {
        RouteDefinitionsAdded.onEach(camel, this::applyRecorded);
    }

    /**
     * Camel's route supervisor creates at start-up only the routes it starts: a link of the routes directory that is
     * not to start (recorded paused or stopped, or {@code autoStartup: false}) would have no route, and the API would
     * not know it. Its definition is added again now that Camel runs, which creates its route without starting it.
     */
    void createRoutesNotStarted(@Observes CamelContextStartedEvent started) {
        ModelCamelContext model = (ModelCamelContext) started.getContext();
        for (RouteDefinition def : List.copyOf(model.getRouteDefinitions())) {
            String id = def.getRouteId();
            // only those the supervisor leaves alone: it may still be starting the others
            if (id == null || !"false".equalsIgnoreCase(def.getAutoStartup()) || model.getRoute(id) != null
                    || TrialRoutes.isTrial(def)
                    || (def.getTemplateParameters() != null && !def.getTemplateParameters().isEmpty())) {
                continue;
            }
            try {
                model.removeRouteDefinition(def);
                model.addRouteDefinition(def);
            } catch (Exception e) {
                stats.of(id).error("could not be created: " + Errors.describe(e));
                LOG.errorf("link %s could not be created: %s", id, Errors.describe(e));
            }
        }
    }

    /**
     * A link's definition is added: a recorded pause or stop keeps it from starting. When the state store does not
     * answer, the link does not start blindly (it could run where the user paused it): its start waits for the
     * store, showing retrying with the reason.
     */
    void applyRecorded(RouteDefinition def) {
        String id = def.getRouteId();
        if (id == null || TrialRoutes.isTrial(def)
                || (def.getTemplateParameters() != null && !def.getTemplateParameters().isEmpty())) {
            return;
        }
        if (placement.elected(def)) {
            // in a cluster it starts where it is elected, as recorded then (Links.takeOver)
            placement.join(id, def.getAutoStartup() == null || Boolean.parseBoolean(def.getAutoStartup()));
            def.setAutoStartup("false");
            return;
        }
        RunState recorded;
        try {
            recorded = read(id);
        } catch (Exception e) {
            if (def.getAutoStartup() == null || Boolean.parseBoolean(def.getAutoStartup())) {
                def.setAutoStartup("false");
                stats.of(id).error("could not start: " + e.getMessage());
                LOG.warnf("link %s: %s; its start waits for the state store", id, e.getMessage());
                links.get().startAsRecorded(id);
            }
            return;
        }
        if (recorded == null) {
            return;
        }
        def.setAutoStartup("false");
        stats.of(id).paused(recorded == RunState.PAUSED);
        LOG.infof("link %s was %s by a user: it stays %s until it is %s", id, recorded.text(), recorded.text(),
                recorded == RunState.PAUSED ? "resumed" : "started");
    }

    /** What the user chose for link {@code id}, or null when it runs as its definition says. */
    RunState read(String id) throws Exception {
        StateDocument doc = states.document(id, NAME);
        String text;
        try {
            text = doc.load();
        } catch (Exception e) {
            throw new IllegalStateException("whether the link was paused or stopped cannot be read from the state store ("
                    + doc.where() + "): " + Errors.describe(e) + (ConnectionFailures.isConnectionFailure(e)
                    ? "; check that the state database runs and accepts connections from this host" : ""), e);
        }
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return RunState.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the run state of link '" + id + "' in " + doc.where() + " is '" + text.trim()
                    + "', not paused or stopped: fix or delete it", e);
        }
    }

    /** Records the user's pause or stop; LinkException 503 naming the store when it cannot be written. */
    void record(String id, RunState state) {
        StateDocument doc = states.document(id, NAME);
        try {
            doc.save(state.text());
        } catch (Exception e) {
            throw new LinkException(503, "link '" + id + "' is not " + state.text() + ": the state store (" + doc.where()
                    + ") cannot record it, so the link would run again after a restart: " + Errors.describe(e)
                    + "; check that the state database answers and try again");
        }
    }

    /** Clears the record before a start or resume; LinkException 503 naming the store when it cannot. */
    void clear(String id) {
        StateDocument doc = states.document(id, NAME);
        try {
            doc.delete();
        } catch (Exception e) {
            throw new LinkException(503, "link '" + id + "' is not started: the state store (" + doc.where() + ") "
                    + "cannot clear its recorded pause or stop, so it would come up paused or stopped after a restart: "
                    + Errors.describe(e) + "; check that the state database answers and try again");
        }
    }
}
