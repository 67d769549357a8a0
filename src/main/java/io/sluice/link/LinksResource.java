package io.sluice.link;

import io.sluice.base.DirtyDataChannel;
import io.sluice.base.PrecheckItem;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/** The management API: JSON over HTTP, bearer-token protected (see {@link ApiTokenFilter}). */
@Path("/api/links")
@Produces(MediaType.APPLICATION_JSON)
public class LinksResource {

    @Inject
    Links links;

    @GET
    public List<LinkView> list() {
        return links.list();
    }

    @GET
    @Path("{id}")
    public LinkDetails get(@PathParam("id") String id) {
        return links.details(id);
    }

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    public Response add(String yaml) {
        return Response.status(Response.Status.CREATED).entity(links.add(yaml)).build();
    }

    @POST
    @Path("{id}/start")
    public LinkView start(@PathParam("id") String id) {
        return links.start(id);
    }

    @POST
    @Path("{id}/pause")
    public LinkView pause(@PathParam("id") String id) {
        return links.pause(id);
    }

    @POST
    @Path("{id}/resume")
    public LinkView resume(@PathParam("id") String id) {
        return links.resume(id);
    }

    @POST
    @Path("{id}/stop")
    public LinkView stop(@PathParam("id") String id) {
        return links.stop(id);
    }

    @GET
    @Path("{id}/preview")
    public List<Map<String, Object>> preview(@PathParam("id") String id) {
        return links.preview(id, 10);
    }

    @GET
    @Path("{id}/precheck")
    public List<PrecheckItem> precheck(@PathParam("id") String id) {
        return links.precheck(id);
    }

    @GET
    @Path("{id}/dirty")
    public List<Map<String, Object>> dirty(@PathParam("id") String id,
                                                     @QueryParam("limit") @DefaultValue("100") int limit) {
        return links.dirty(id, Math.min(Math.max(limit, 1), 1000));
    }

    /**
     * MaxCompute links: the SQL that rebuilds {@code table} as it was at {@code time} (epoch seconds or an ISO-8601
     * instant) from its _base and _log tables, into {@code result} (default {@code <table>_merged}).
     */
    @GET
    @Path("{id}/merge-sql")
    @Produces(MediaType.TEXT_PLAIN)
    public String mergeSql(@PathParam("id") String id, @QueryParam("table") String table,
                           @QueryParam("time") String time, @QueryParam("result") String result) {
        long t;
        try {
            t = time == null ? java.time.Instant.now().getEpochSecond()
                    : time.matches("\\d+") ? Long.parseLong(time) : java.time.Instant.parse(time).getEpochSecond();
        } catch (RuntimeException e) {
            throw LinkException.badRequest("time must be epoch seconds or an ISO-8601 instant (2024-04-09T13:00:00Z), not '"
                    + time + "'");
        }
        return links.mergeSql(id, table, t, result);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        links.delete(id);
        return Response.noContent().build();
    }

    // --- dirty data replay (issue 17) -----------------------------------------------------------------------------

    @Inject
    DirtyReplays dirtyReplays;

    /**
     * Converts the link's stored dirty records again with its current definition, writes those that now convert and
     * removes them from the dead-letter channel; 409 for a channel that cannot remove entries (a Kafka topic).
     */
    @POST
    @Path("{id}/dirty/replay")
    public DirtyDataChannel.Replay replayDirty(@PathParam("id") String id) {
        return dirtyReplays.replay(id);
    }

    // --- observing a link: its history of rows/s and lag (the console's charts) ---

    @Inject
    LinkHistory history;

    /** Rows/s and lag of the link sampled every sluice.links.history-interval (10 s), the last hour, oldest first. */
    @GET
    @Path("{id}/history")
    public LinkHistory.History history(@PathParam("id") String id) {
        links.get(id); // 404 for a link that does not exist
        return history.of(id);
    }
}
