package io.sluice.link;

import io.sluice.base.Errors;
import io.sluice.base.SecretMasker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Link definitions: the YAML text behind each link (from routes/ or from the API), parsing and checking a new
 * definition before anything is changed, and the source/sink summaries.
 */
@ApplicationScoped
public class LinkDefinitions {

    @Inject
    CamelContext camel;

    @Inject
    KameletInliner inliner;

    /** YAML of links added through the API (file-loaded links are read back from their resource). */
    private final Map<String, String> addedYaml = new ConcurrentHashMap<>();

    /**
     * Parses a YAML route file into route definitions and checks every endpoint, without adding anything.
     *
     * @throws LinkException 400 naming the line and the problem
     */
    public List<RouteDefinition> parse(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw LinkException.badRequest("the request body is empty: send a YAML route file (Content-Type: application/yaml)");
        }
        checkYamlShape(yaml);
        List<RouteDefinition> routes = new ArrayList<>();
        try {
            Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(camel)
                    .findRoutesBuilders(ResourceHelper.fromString("link.yaml", yaml));
            for (RoutesBuilder b : builders) {
                if (b instanceof RouteBuilder rb) {
                    routes.addAll(rb.configureRoutes(camel).getRoutes());
                }
            }
        } catch (Exception e) {
            throw LinkException.badRequest("invalid link definition" + at(yaml, e) + ": " + Errors.describe(e));
        }
        if (routes.isEmpty()) {
            throw LinkException.badRequest("the file defines no route: a link is a '- route:' entry with an id and a 'from'");
        }
        for (RouteDefinition r : routes) {
            if (r.getRouteId() == null || r.getRouteId().isBlank() || !r.hasCustomIdAssigned()) {
                throw LinkException.badRequest("line " + lineOf(yaml, "route:")
                        + ": the route has no id: give it 'id: <link-id>' (the id is the link's name in the API)");
            }
            try {
                inliner.inline(r);
            } catch (IllegalArgumentException e) {
                throw LinkException.badRequest(e.getMessage());
            }
            checkEndpoints(yaml, r);
        }
        return routes;
    }

    /** Creates each endpoint so unknown components and unknown options are reported now, not when started. */
    private void checkEndpoints(String yaml, RouteDefinition route) {
        for (String uri : endpointUris(route)) {
            try {
                camel.getEndpoint(uri);
            } catch (Exception e) {
                String unknown = unknownOption(Errors.describe(e));
                int line = unknown == null ? 0 : Math.max(lineOf(yaml, unknown + ":"), lineOf(yaml, unknown + "="));
                throw LinkException.badRequest("link '" + route.getRouteId() + "', line "
                        + (line > 0 ? line : lineOfUri(yaml, uri))
                        + (unknown == null ? "" : ": unknown option '" + unknown + "'") + ": endpoint '" + SecretMasker.maskText(uri) + "' is not valid: " + Errors.describe(e)
                        + ". Check the component name and its options in the Camel component documentation.");
            }
        }
    }

    /** YAML syntax errors come with a line and column from the parser. */
    private static void checkYamlShape(String yaml) {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        } catch (MarkedYamlEngineException e) {
            throw LinkException.badRequest("malformed YAML at line " + (e.getProblemMark().map(m -> m.getLine() + 1).orElse(0))
                    + ": " + e.getProblem() + ". A route file is a YAML list of '- route:' entries.");
        } catch (YamlEngineException e) {
            throw LinkException.badRequest("malformed YAML: " + e.getMessage());
        }
        if (!(doc instanceof List<?>)) {
            throw LinkException.badRequest("line 1: a route file must be a YAML list of '- route:' entries");
        }
    }

    public void remember(String id, String yaml) {
        addedYaml.put(id, yaml);
    }

    public void forget(String id) {
        addedYaml.remove(id);
    }

    /** The link's own entry of its route file, with secrets masked; null when the text is not available. */
    public Object maskedDefinition(Route route) {
        Object entry = definition(route);
        return entry == null ? null : SecretMasker.maskStructure(entry);
    }

    /**
     * {@code yaml} with every secret that is still masked ({@code ******}, as GET /api/links/{id} shows it) replaced by
     * the existing link's value at the same place, so a definition read from the API and sent back (the console's
     * edit form, a check before an edit) keeps the link's passwords instead of saving the mask as one. Entries of
     * links that do not exist, and texts without a mask, are returned unchanged.
     */
    public String withKeptSecrets(String yaml) {
        if (yaml == null || !yaml.contains(SecretMasker.MASK)) {
            return yaml;
        }
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        } catch (RuntimeException e) {
            return yaml; // the parser reports it with its line
        }
        if (!(doc instanceof List<?> entries)) {
            return yaml;
        }
        List<Object> kept = new java.util.ArrayList<>();
        for (Object entry : entries) {
            Route existing = entry instanceof Map<?, ?> m && m.get("route") instanceof Map<?, ?> r
                    ? camel.getRoute(String.valueOf(r.get("id"))) : null;
            Object original = existing == null ? null : definition(existing);
            kept.add(original == null ? entry : SecretMasker.restoreMasked(entry, original));
        }
        return YAML.dumpToString(kept);
    }

    /** The link's own entry of its route file as written (secrets included); null when the text is not available. */
    private Object definition(Route route) {
        String yaml = addedYaml.get(route.getRouteId());
        if (yaml == null && route.getSourceResource() != null) {
            try (InputStream in = route.getSourceResource().getInputStream()) {
                yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
        }
        if (yaml == null) {
            return null;
        }
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        if (doc instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> m && m.get("route") instanceof Map<?, ?> r
                        && route.getRouteId().equals(String.valueOf(r.get("id")))) {
                    return entry;
                }
            }
        }
        return null;
    }

    /**
     * The masked definition ({@link #maskedDefinition}) as YAML text: a route file holding this one link, null when
     * the definition is not available.
     */
    public String maskedYaml(Object maskedDefinition) {
        if (maskedDefinition == null) {
            return null;
        }
        return YAML.dumpToString(List.of(maskedDefinition));
    }

    /**
     * Block style, as a person writes a route file (snakeyaml-engine, which Camel's YAML DSL reads it with; Jackson's
     * YAML module is only on the test classpath).
     */
    private static final Dump YAML = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2).setIndicatorIndent(2).setIndentWithIndicator(true).build());

    /** Where the link reads from: its consumer endpoint without options. */
    public static String source(RouteDefinition def) {
        FromDefinition from = def == null ? null : def.getInput();
        return from == null ? null : withoutOptions(from.getEndpointUri());
    }

    /** Where the link writes to: the last endpoint it sends to, without options. */
    public static String sink(RouteDefinition def) {
        List<String> sends = sendUris(def);
        return sends.isEmpty() ? null : withoutOptions(sends.get(sends.size() - 1));
    }

    /**
     * The first endpoint link {@code id} sends to that has the capability {@code type}, or null (endpoints are cached
     * by the context, so this is the live one).
     */
    public static <T> T sinkOf(CamelContext camel, String id, Class<T> type) {
        RouteDefinition def = ((org.apache.camel.model.ModelCamelContext) camel).getRouteDefinition(id);
        for (String uri : sendUris(def)) {
            org.apache.camel.Endpoint e = camel.getEndpoint(uri);
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }

    /** The endpoints the link sends to, in route order. */
    static List<String> sendUris(RouteDefinition def) {
        Set<String> uris = new LinkedHashSet<>();
        if (def != null) {
            collectSends(def.getOutputs(), uris);
        }
        return new ArrayList<>(uris);
    }

    /** The link's consumer endpoint followed by the endpoints it sends to. */
    static Set<String> endpointUris(RouteDefinition def) {
        Set<String> uris = new LinkedHashSet<>();
        if (def.getInput() != null && def.getInput().getEndpointUri() != null) {
            uris.add(def.getInput().getEndpointUri());
        }
        uris.addAll(sendUris(def));
        return uris;
    }

    private static void collectSends(List<ProcessorDefinition<?>> outputs, Set<String> uris) {
        for (ProcessorDefinition<?> p : outputs) {
            if (p instanceof SendDefinition<?> send && send.getEndpointUri() != null) {
                uris.add(send.getEndpointUri());
            }
            collectSends(p.getOutputs(), uris);
        }
    }

    static String withoutOptions(String uri) {
        if (uri == null) {
            return null;
        }
        int q = uri.indexOf('?');
        return SecretMasker.maskText(q < 0 ? uri : uri.substring(0, q));
    }

    /** The first name in Camel's "Unknown parameters=[{name=value}]" message, if any. */
    private static String unknownOption(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Unknown parameters=\\[\\{([^=}]+)").matcher(message);
        return m.find() ? m.group(1) : null;
    }

    private static String at(String yaml, Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYamlEngineException m && m.getProblemMark().isPresent()) {
                return " at line " + (m.getProblemMark().get().getLine() + 1);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return "";
    }

    /** 1-based line of the first occurrence of text, or 0. */
    static int lineOf(String yaml, String text) {
        int idx = yaml.indexOf(text);
        return idx < 0 ? 0 : (int) yaml.substring(0, idx).chars().filter(ch -> ch == '\n').count() + 1;
    }

    /** The line of an endpoint: its full text if written inline, else its scheme and path. */
    private static int lineOfUri(String yaml, String uri) {
        int line = lineOf(yaml, uri);
        if (line == 0) {
            line = lineOf(yaml, withoutOptions(uri));
        }
        if (line == 0 && uri.contains("?")) {
            String firstOption = uri.substring(uri.indexOf('?') + 1).split("[=&]")[0];
            line = lineOf(yaml, firstOption);
        }
        return line;
    }

}
