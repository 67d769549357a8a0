package io.sluice.link;

import io.sluice.base.Errors;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.base.ResumableSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Editing a link in place ({@code PUT /api/links/{id}}, the consoles' "Edit" and "Modify the objects"): the link's
 * definition replaced, its position and its run state kept.
 *
 * <p>Why a replacement keeps the position: the link keeps its id, and every position is stored under it (the Kafka
 * group {@code sluice-<id>}, the SLS checkpoint and the binlog offsets of the link's state), and the old route is
 * stopped, which commits what its sink has written, before the new one starts. Whether the new source can use that
 * position only the source knows ({@link ResumableSource}); a change it cannot follow is refused with 409 before
 * anything changes. A new {@code startTime} is the user's explicit reset, which the timed sources recognise by the
 * start offset they store with the position.
 *
 * <p>Nothing of the old link changes until the new definition has been parsed and created once on trial
 * ({@link TrialRoutes}): a definition that cannot be created answers 400 and the old link runs on.
 */
@ApplicationScoped
public class LinkEdits {

    private static final Logger LOG = Logger.getLogger(LinkEdits.class);

    @Inject
    CamelContext camel;

    @Inject
    Links links;

    @Inject
    LinkDefinitions definitions;

    @Inject
    TrialRoutes trials;

    @Inject
    LinkStatsRegistry stats;

    @Inject
    StartRetries startRetries;

    @Inject
    RouteFiles routeFiles;

    /**
     * Replaces link {@code id}'s definition with {@code yaml} (one route of that id). A running (or retrying, or
     * failed: the edit is usually the fix) link is started again from its position, a paused one stays paused, a
     * stopped one stopped.
     *
     * <p>One edit at a time: two edits of a link interleaving their stop, removal and creation would leave neither.
     *
     * @throws LinkException 404 no such link; 400 the definition is not one creatable route of this id; 409 the new
     *                       definition cannot continue from the link's position
     */
    public synchronized LinkView replace(String id, String givenYaml) {
        links.refuseInCluster("editing a link");
        LinkState before = links.state(id);
        String yaml = definitions.withKeptSecrets(givenYaml);
        try (TrialRoutes.Trial trial = trials.open(yaml)) {
            List<String> ids = trial.ids();
            if (ids.size() != 1 || !ids.get(0).equals(id)) {
                throw LinkException.badRequest("PUT /api/links/" + id + " takes the new definition of link '" + id
                        + "': one route whose id is '" + id + "', not " + ids + ". Add other links with POST /api/links");
            }
            String lost = positionLost(id, trial.route(0).getEndpoint());
            if (lost != null) {
                throw LinkException.conflict("link '" + id + "' was not changed: " + lost + ".");
            }
        }
        // parsed again: the trial's definitions carry its temporary ids
        RouteDefinition replacement = definitions.parse(yaml).get(0);
        replacement.setAutoStartup("false");
        boolean run = before == LinkState.RUNNING || before == LinkState.RETRYING || before == LinkState.FAILED;
        swap(id, replacement, run);
        definitions.remember(id, yaml);
        stats.of(id).runLog().add("edited", "definition replaced through the API; the link continues from its "
                + "position (a new startTime starts it from that time)");
        if (run) {
            links.startOrRetry(id);
        }
        if (routeFiles.enabled()) {
            links.save(id, yaml);
        }
        LOG.infof("link %s edited (it was %s)", id, before.label());
        return links.get(id);
    }

    /**
     * Why a definition whose source is {@code replacement} cannot continue from link {@code id}'s position, or null
     * (also when the link does not exist, or its source keeps no position the control plane knows of).
     */
    String positionLost(String id, Endpoint replacement) {
        Route route = camel.getRoute(id);
        if (route == null || replacement == null || !(route.getEndpoint() instanceof ResumableSource source)) {
            return null;
        }
        return source.positionLostBy(replacement);
    }

    /**
     * Stops the old route (its consumer commits the position of what the sink has written), removes it and adds the
     * replacement, not started. Should the replacement still fail to be created, the old definition is put back, and
     * started again when it ran ({@code run}).
     */
    private void swap(String id, RouteDefinition replacement, boolean run) {
        ModelCamelContext model = (ModelCamelContext) camel;
        RouteDefinition old = model.getRouteDefinition(id);
        startRetries.cancel(id);
        try {
            camel.getRouteController().stopRoute(id);
            camel.removeRoute(id);
            if (model.getRouteDefinition(id) != null) {
                model.removeRouteDefinition(model.getRouteDefinition(id));
            }
        } catch (Exception e) {
            throw new LinkException(500, "could not stop link '" + id + "' to replace its definition: "
                    + Errors.describe(e) + ". Its definition is unchanged; try again");
        }
        try {
            model.addRouteDefinitions(List.of(replacement));
        } catch (Exception e) {
            String why = Errors.describe(e);
            try {
                old.setAutoStartup("false");
                model.addRouteDefinitions(List.of(old));
                if (run) {
                    links.startOrRetry(id);
                }
            } catch (Exception again) {
                throw new LinkException(500, "link '" + id + "' cannot be created from its new definition (" + why
                        + ") nor from its old one (" + Errors.describe(again) + "): add it again with POST /api/links");
            }
            throw LinkException.badRequest("link '" + id + "' cannot be created from the new definition: " + why
                    + ". The old definition is back in place");
        }
    }
}
