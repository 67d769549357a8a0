package io.sluice.link;

import io.sluice.base.DirtyDataChannel;
import io.sluice.base.PrecheckItem;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** The management API: JSON over HTTP, bearer-token protected (see {@link ApiTokenFilter}). */
@Path("/api/links")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "links", description = "Links: one Camel route each, from a source to a sink")
public class LinksResource {

    /**
     * The media type /q/openapi names for a YAML route file; the API takes the file whatever the request says it is
     * (curl sends text/plain or form data unless told).
     */
    private static final String YAML = "application/yaml";

    @Inject
    Links links;

    @Inject
    LinkEdits edits;

    @Inject
    DefinitionCheck check;

    @Operation(summary = "Every link with its state, counters, lag and last error",
            description = "In a cluster, each link as the instance running it reports it, with runner naming that "
                    + "instance; with the header X-Sluice-Scope: local, as this instance sees it (standby for links "
                    + "another instance runs).")
    @GET
    public List<LinkView> list(@HeaderParam(LinkPlacement.SCOPE_HEADER) String scope) {
        return scope == null ? links.listAcrossCluster() : links.list();
    }

    @Operation(summary = "One link: its summary, its definition (secrets masked) and its run log")
    @GET
    @Path("{id}")
    public LinkDetails get(@PathParam("id") String id) {
        return links.details(id);
    }

    @Operation(summary = "Add the links of a YAML route file; each starts unless autoStartup is false")
    @APIResponse(responseCode = "201", description = "The links added")
    @APIResponse(responseCode = "400", description = "The file cannot be parsed or a link cannot be created")
    @APIResponse(responseCode = "409", description = "A link of that id exists")
    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    public Response add(@RequestBody(content = @Content(mediaType = YAML, schema = @Schema(type = SchemaType.STRING)))
                        String yaml) {
        return Response.status(Response.Status.CREATED).entity(links.add(yaml)).build();
    }

    @Operation(summary = "Start a stopped or failed link from its position")
    @POST
    @Path("{id}/start")
    public LinkView start(@PathParam("id") String id, @HeaderParam(LinkPlacement.SCOPE_HEADER) String scope) {
        return links.onRunner(id, "start", scope != null, () -> links.start(id));
    }

    @Operation(summary = "Pause a link: its consumer stops and commits its position")
    @POST
    @Path("{id}/pause")
    public LinkView pause(@PathParam("id") String id, @HeaderParam(LinkPlacement.SCOPE_HEADER) String scope) {
        return links.onRunner(id, "pause", scope != null, () -> links.pause(id));
    }

    @Operation(summary = "Resume a paused link from its position")
    @POST
    @Path("{id}/resume")
    public LinkView resume(@PathParam("id") String id, @HeaderParam(LinkPlacement.SCOPE_HEADER) String scope) {
        return links.onRunner(id, "resume", scope != null, () -> links.resume(id));
    }

    @Operation(summary = "Stop a link (its position is kept)")
    @POST
    @Path("{id}/stop")
    public LinkView stop(@PathParam("id") String id, @HeaderParam(LinkPlacement.SCOPE_HEADER) String scope) {
        return links.onRunner(id, "stop", scope != null, () -> links.stop(id));
    }

    @Operation(summary = "The latest 10 records of the link's source and the row each would become, moving no position")
    @GET
    @Path("{id}/preview")
    public List<Map<String, Object>> preview(@PathParam("id") String id) {
        return links.preview(id, 10);
    }

    @Operation(summary = "The precheck items of the link's source and sink: pass or fail, with the fix")
    @GET
    @Path("{id}/precheck")
    public List<PrecheckItem> precheck(@PathParam("id") String id) {
        return links.precheck(id);
    }

    @Operation(summary = "The dirty records of the link's dead-letter channel, newest first")
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
    @Operation(summary = "MaxCompute links: the SQL that rebuilds a table as it was at a time from its _base and _log tables")
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

    @Operation(summary = "Stop and delete a link (and take it out of the routes directory)")
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        links.delete(id);
        return Response.noContent().build();
    }

    // --- Editing links in place and checking a definition (issue 17, helper A) ---------------------------------------

    @PUT
    @Path("{id}")
    @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    @Operation(summary = "Replace a link's definition, keeping its position and its run state",
            description = "The body is a YAML route file of one route whose id is {id}. A running link goes on from its "
                    + "position (Kafka group offsets, SLS checkpoints, binlog offsets), a paused one stays paused, a "
                    + "stopped one stopped; a changed startTime starts the link again from that time.")
    @APIResponse(responseCode = "200", description = "The link, with its new definition")
    @APIResponse(responseCode = "400", description = "The definition cannot be parsed or created; the link is unchanged")
    @APIResponse(responseCode = "404", description = "No link of that id")
    @APIResponse(responseCode = "409", description = "The new definition cannot continue from the link's position "
            + "(e.g. a table added to a binlog link); the error says why and what to do; the link is unchanged")
    public LinkView replace(@PathParam("id") String id,
                            @RequestBody(content = @Content(mediaType = YAML, schema = @Schema(type = SchemaType.STRING)))
                            String yaml) {
        return edits.replace(id, yaml);
    }

    @POST
    @Path("check")
    @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    @Operation(summary = "Check a definition without saving or starting it: its precheck items and its source's preview",
            description = "Creates the definition's endpoints under a temporary id (an existing id may be checked: the "
                    + "edit form), asks each endpoint that can check itself for its precheck items and a previewable "
                    + "source for its latest 10 records, and removes everything again.")
    @APIResponse(responseCode = "200", description = "What the check found; problems lists what stands in the way")
    @APIResponse(responseCode = "400", description = "The definition cannot be parsed or created")
    public CheckedDefinition check(@RequestBody(content = @Content(mediaType = YAML,
            schema = @Schema(type = SchemaType.STRING))) String yaml) {
        return check.check(yaml);
    }

    // --- dirty data replay (issue 17) -----------------------------------------------------------------------------

    @Inject
    DirtyReplays dirtyReplays;

    /**
     * Converts the link's stored dirty records again with its current definition, writes those that now convert and
     * removes them from the dead-letter channel; 409 for a channel that cannot remove entries (a Kafka topic).
     */
    @Operation(summary = "Replay the link's dirty records with its current definition; those that now convert are written "
            + "and removed from the dead-letter channel")
    @POST
    @Path("{id}/dirty/replay")
    public DirtyDataChannel.Replay replayDirty(@PathParam("id") String id) {
        return dirtyReplays.replay(id);
    }

    // --- observing a link: its history of rows/s and lag (the console's charts) ---

    @Inject
    LinkHistory history;

    /** Rows/s and lag of the link sampled every sluice.links.history-interval (10 s), the last hour, oldest first. */
    @Operation(summary = "Rows/s and lag of the link over the last hour, sampled every 10 s")
    @GET
    @Path("{id}/history")
    public LinkHistory.History history(@PathParam("id") String id) {
        links.get(id); // 404 for a link that does not exist
        return history.of(id);
    }
}
