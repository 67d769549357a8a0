package io.sluice.link;

import org.apache.camel.model.RouteDefinition;

import java.util.Map;

/**
 * Where links run when several Sluice instances share the same routes ({@code sluice.cluster.kind}): a link whose
 * source cannot share its work (a binlog reader, an SLS reader without a consumer group) runs only on the instance
 * elected for it; the others keep its route stopped and show it {@code standby}. Implemented by the cluster package;
 * without a cluster every link runs where it is defined.
 */
public interface LinkPlacement {

    /**
     * Header of a request one instance forwards to another ({@code local}): the instance asked answers with its own
     * view and carries out the action itself, never forwarding again.
     */
    String SCOPE_HEADER = "X-Sluice-Scope";

    /** The instance elected to run a link: its member id, the URL of its management API, and whether it is this one. */
    record Runner(String instance, String url, boolean here) {
    }

    /** Whether instances form a cluster ({@code sluice.cluster.kind} is not {@code none}). */
    boolean clustered();

    /** This instance's member id in the cluster, or null without a cluster. */
    String instance();

    /** Whether the link of {@code def} runs only on its elected instance (then it is not started where it is added). */
    boolean elected(RouteDefinition def);

    /**
     * Takes part in the election of link {@code id}: winning it calls {@link Links#takeOver}, losing it
     * {@link Links#handOver}. {@code autoStartup}: whether its definition asks to start (false: the elected instance
     * leaves it stopped until a user starts it).
     */
    void join(String id, boolean autoStartup);

    /** Leaves the election of a deleted link. */
    void leave(String id);

    /** The instance elected to run link {@code id}, or null when the link is not elected or no instance won yet. */
    Runner runner(String id);

    /** Whether link {@code id} is elected and another instance (or none yet) runs it. */
    default boolean standby(String id) {
        return false;
    }

    /** Null when this instance reaches its coordination service (or runs alone), else why not (readiness). */
    String coordinationProblem();

    /** The views of the links {@code runner} runs, as it reports them (for the view from any instance). */
    Map<String, LinkView> views(Runner runner);

    /** Sends {@code action} (start, pause, resume, stop) of link {@code id} to the instance that runs it. */
    LinkView forward(Runner runner, String id, String action);
}
