package io.sluice.datasource;

import io.sluice.base.DataSourceKind;
import io.sluice.link.LinkException;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.StreamSupport;

/**
 * The declared data sources (the console's data sources page and the helpers of its link forms), behind the same
 * bearer token as the links ({@code /api/*}). Each kind is answered by the component that uses it
 * ({@link DataSourceKind}); nothing answered carries a secret.
 */
@Path("/api/data-sources")
@Produces(MediaType.APPLICATION_JSON)
public class DataSourcesResource {

    @Inject
    @Any
    Instance<DataSourceKind> kinds;

    /** Every declared data source of every kind, by kind and name. */
    @GET
    public List<DataSourceKind.Described> list() {
        List<DataSourceKind.Described> out = new ArrayList<>();
        kinds().forEach(k -> out.addAll(k.list()));
        out.sort(Comparator.comparing(DataSourceKind.Described::kind).thenComparing(DataSourceKind.Described::name));
        return out;
    }

    /** Connects to the data source as a link would: ok, a message (naming the fix when it failed) and the time taken. */
    @POST
    @Path("{kind}/{name}/test")
    public DataSourceKind.TestResult test(@PathParam("kind") String kind, @PathParam("name") String name) {
        DataSourceKind k = kind(kind);
        return answer(() -> k.test(name));
    }

    /** The databases and tables of a MySQL source, with whether each table has a primary key and its estimated rows. */
    @GET
    @Path("mysql/{name}/objects")
    public List<DataSourceKind.Objects.Database> objects(@PathParam("name") String name) {
        if (!(kind("mysql") instanceof DataSourceKind.Objects objects)) {
            throw new LinkException(404, "MySQL data sources cannot list their objects in this build");
        }
        return answer(() -> objects.objects(name));
    }

    /** The columns of a destination table ({@code ?table=db.t}) of a JDBC data source, in order. */
    @GET
    @Path("jdbc/{name}/columns")
    public List<DataSourceKind.Columns.Column> columns(@PathParam("name") String name, @QueryParam("table") String table) {
        if (table == null || table.isBlank()) {
            throw LinkException.badRequest("columns needs ?table=<database>.<table>");
        }
        if (!(kind("jdbc") instanceof DataSourceKind.Columns columns)) {
            throw new LinkException(404, "JDBC data sources cannot list columns in this build");
        }
        return answer(() -> columns.columns(name, table));
    }

    private List<DataSourceKind> kinds() {
        return StreamSupport.stream(kinds.spliterator(), false)
                .sorted(Comparator.comparing(DataSourceKind::kind)).toList();
    }

    private DataSourceKind kind(String kind) {
        return kinds().stream().filter(k -> k.kind().equals(kind)).findFirst().orElseThrow(() -> new LinkException(404,
                "no data source kind '" + kind + "': one of " + kinds().stream().map(DataSourceKind::kind).toList()));
    }

    /** The answer of a describer, its refusals in the API's error shape: unknown name 404, unreadable server 502. */
    private static <T> T answer(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | NoSuchElementException e) {
            throw new LinkException(404, e.getMessage());
        } catch (IllegalStateException e) {
            throw new LinkException(502, e.getMessage());
        }
    }
}
