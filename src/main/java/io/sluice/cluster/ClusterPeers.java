package io.sluice.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.base.Errors;
import io.sluice.link.LinkException;
import io.sluice.link.LinkPlacement;
import io.sluice.link.LinkPlacement.Runner;
import io.sluice.link.LinkView;
import io.sluice.state.StateDocument;
import io.sluice.state.StateStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The other instances of the cluster, reached through their management API: each instance writes the URL of its API
 * into the shared state store (document {@code _cluster/instance-<member id>}) when it starts, and views and actions
 * of a link are asked of the instance that runs it. A forwarded request carries {@link LinkPlacement#SCOPE_HEADER}, so the
 * instance asked answers for itself and never forwards again.
 */
final class ClusterPeers {

    /** The pseudo link under whose name the cluster's own documents live in the state store. */
    static final String DOCUMENTS = "_cluster";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long URL_CACHE_MS = 10_000;

    private final StateStore states;
    private final Optional<String> token;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, CachedUrl> urls = new ConcurrentHashMap<>();

    private record CachedUrl(String url, long at) {
    }

    ClusterPeers(StateStore states, Optional<String> token, ObjectMapper json) {
        this.states = states;
        this.token = token;
        this.json = json.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** Publishes where this instance's API is; the start of a clustered instance fails when the store cannot keep it. */
    void register(String instance, String url) throws Exception {
        document(instance).save(url);
        urls.put(instance, new CachedUrl(url, System.currentTimeMillis()));
    }

    /** The API URL instance {@code instance} published, or null when it published none (it never started). */
    String url(String instance) {
        CachedUrl cached = urls.get(instance);
        if (cached != null && System.currentTimeMillis() - cached.at() < URL_CACHE_MS) {
            return cached.url();
        }
        try {
            String url = document(instance).load();
            if (url == null || url.isBlank()) {
                return null;
            }
            urls.put(instance, new CachedUrl(url.trim(), System.currentTimeMillis()));
            return url.trim();
        } catch (Exception e) {
            return cached == null ? null : cached.url(); // the state store is away: the last known URL is still good
        }
    }

    /** The links {@code runner} reports, by id. */
    Map<String, LinkView> views(Runner runner) {
        HttpResponse<String> answer = send(runner, HttpRequest.newBuilder(uri(runner, "/api/links")).GET(), "list links");
        try {
            List<LinkView> list = json.readValue(answer.body(), new TypeReference<List<LinkView>>() {
            });
            Map<String, LinkView> byId = new LinkedHashMap<>();
            list.forEach(v -> byId.put(v.id(), v));
            return byId;
        } catch (Exception e) {
            throw new LinkException(502, "instance " + runner.instance() + " (" + runner.url() + ") answered the list of "
                    + "links with something that is not one: " + Errors.describe(e));
        }
    }

    /** Sends {@code action} of link {@code id} to its runner; its answer, or its error with its status. */
    LinkView forward(Runner runner, String id, String action) {
        HttpResponse<String> answer = send(runner, HttpRequest.newBuilder(uri(runner, "/api/links/" + id + "/" + action))
                .POST(HttpRequest.BodyPublishers.noBody()), action + " link '" + id + "'");
        try {
            return json.readValue(answer.body(), LinkView.class);
        } catch (Exception e) {
            throw new LinkException(502, "instance " + runner.instance() + " carried out " + action + " of link '" + id
                    + "' but its answer could not be read: " + Errors.describe(e));
        }
    }

    private HttpResponse<String> send(Runner runner, HttpRequest.Builder request, String what) {
        request.timeout(TIMEOUT).header(LinkPlacement.SCOPE_HEADER, "local").header("Accept", "application/json");
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkException(503, "interrupted while asking instance " + runner.instance() + " to " + what);
        } catch (Exception e) {
            throw new LinkException(502, "instance " + runner.instance() + " runs it but does not answer at "
                    + runner.url() + " (" + Errors.describe(e) + "): could not " + what + "; check that the instances "
                    + "reach each other's sluice.cluster.advertised-url");
        }
        if (answer.statusCode() / 100 != 2) {
            throw new LinkException(answer.statusCode(), "instance " + runner.instance() + ": " + error(answer.body()));
        }
        return answer;
    }

    private String error(String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (Exception ignored) {
            // not JSON: shown as it is
        }
        return body;
    }

    private static URI uri(Runner runner, String path) {
        return URI.create(runner.url().replaceAll("/+$", "") + path);
    }

    private StateDocument document(String instance) {
        return states.document(DOCUMENTS, "instance-" + instance);
    }
}
