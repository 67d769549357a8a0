package io.sluice.link;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Management errors as {"error": "..."} with the status that says what kind of problem it is. */
public class LinkExceptionMapper {

    @ServerExceptionMapper
    public Response map(LinkException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", e.getMessage())).build();
    }
}
