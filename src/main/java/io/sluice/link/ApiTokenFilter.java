package io.sluice.link;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * Every management request must carry {@code Authorization: Bearer <sluice.api.token>}. Without a configured token
 * the API is open, which {@link ApiExposureGuard} allows only while the HTTP server listens on loopback.
 */
@ApplicationScoped // created on first request: the runtime config mapping does not exist yet at static init
public class ApiTokenFilter {

    @Inject
    LinksConfig config;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api")) {
            return Optional.empty();
        }
        Optional<String> token = config.api().token().filter(t -> !t.isBlank());
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        // constant-time comparison: the token must not be guessable from response times
        if (MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"")
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", header == null
                        ? "missing 'Authorization: Bearer <token>' header (the token is sluice.api.token / SLUICE_API_TOKEN)"
                        : "the bearer token is not valid"))
                .build());
    }
}
