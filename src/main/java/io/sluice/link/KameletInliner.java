package io.sluice.link;

import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.spi.CamelContextCustomizer;
import org.apache.camel.util.URISupport;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links are written with Sluice's kamelets ({@code from: kamelet:kafka-json-source}, {@code to: kamelet:adb-sink}):
 * documented building blocks with parameter schemas (title, description, default, required) in {@code kamelets/}.
 *
 * <p>Each of Sluice's kamelets wraps one endpoint: a source kamelet is {@code from: <endpoint>} followed by
 * {@code to: kamelet:sink}, a sink kamelet is {@code from: kamelet:source} followed by {@code to: <endpoint>}. Such an
 * <em>endpoint kamelet</em> is inlined when a link is added (from {@code routes/} or the API): its endpoint, with the
 * link's parameters and the kamelet's defaults filled in, takes the place of the {@code kamelet:} URI. The link stays
 * one route whose consumer is the source itself, which is what owns the position (offsets, checkpoints, binlog
 * offsets, committed only after the sink has committed), and pause, stop, counters, preview, precheck and dead
 * letters need no knowledge of kamelet routes. It also saves two hand-overs per batch. Other kamelets (with steps of
 * their own, e.g. {@code jdbc-statement-sink}) run through Camel's kamelet component as usual.
 *
 * <p>A missing required parameter or one the kamelet does not declare fails the link when it is added, naming the
 * kamelet, the parameter and the ones it has.
 */
@Singleton
public class KameletInliner implements CamelContextCustomizer {

    private static final String KAMELET = "kamelet:";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\?)?([A-Za-z0-9_.-]+)}}");
    /** Kamelet parameters Camel itself understands on any kamelet URI; passed on to nothing here. */
    private static final Set<String> CAMEL_KAMELET_OPTIONS = Set.of("routeId", "templateId", "location");

    private final Map<String, EndpointKamelet> cache = new ConcurrentHashMap<>();

    @Override
    public void configure(CamelContext camel) {
        RouteDefinitionsAdded.onEach(camel, this::inline);
    }

    /**
     * Replaces the endpoint kamelets of a link's definition by their endpoints; other URIs are left alone.
     *
     * @throws IllegalArgumentException naming the link, the kamelet and the parameter when one is missing or unknown
     */
    public void inline(RouteDefinition def) {
        if (def.getTemplateParameters() != null && !def.getTemplateParameters().isEmpty()) {
            return; // a route made from a template (a kamelet's own route)
        }
        String link = def.getRouteId();
        FromDefinition from = def.getInput();
        if (from != null && from.getUri() != null && from.getUri().startsWith(KAMELET)) {
            String inlined = inline(link, from.getUri(), true);
            if (inlined != null) {
                from.setUri(inlined);
            }
        }
        inlineSends(link, def.getOutputs());
    }

    private void inlineSends(String link, List<ProcessorDefinition<?>> outputs) {
        for (ProcessorDefinition<?> p : outputs) {
            if (p instanceof SendDefinition<?> send && send.getUri() != null && send.getUri().startsWith(KAMELET)) {
                String inlined = inline(link, send.getUri(), false);
                if (inlined != null) {
                    send.setUri(inlined);
                }
            }
            inlineSends(link, p.getOutputs());
        }
    }

    /** The endpoint URI a kamelet URI stands for, or null when it names no endpoint kamelet of that kind. */
    private String inline(String link, String uri, boolean asSource) {
        int q = uri.indexOf('?');
        String name = (q < 0 ? uri.substring(KAMELET.length()) : uri.substring(KAMELET.length(), q)).replaceFirst("^//", "");
        if (name.contains("/") || name.equals("source") || name.equals("sink")) {
            return null; // an explicit route id, or a kamelet's own kamelet:source / kamelet:sink
        }
        EndpointKamelet kamelet = cache.computeIfAbsent(name, EndpointKamelet::load);
        if (kamelet.uri == null || kamelet.source != asSource) {
            return null;
        }
        Map<String, Object> given;
        try {
            given = q < 0 ? new LinkedHashMap<>() : URISupport.parseQuery(uri.substring(q + 1), true);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("link '" + link + "': the parameters of kamelet '" + name
                    + "' are not valid: " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>(kamelet.defaults);
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (CAMEL_KAMELET_OPTIONS.contains(e.getKey())) {
                continue;
            }
            if (!kamelet.parameters.contains(e.getKey())) {
                throw new IllegalArgumentException("link '" + link + "': kamelet '" + name + "' has no parameter '"
                        + e.getKey() + "'. Its parameters: " + String.join(", ", kamelet.parameters)
                        + " (kamelets/" + name + ".kamelet.yaml)");
            }
            values.put(e.getKey(), unraw(String.valueOf(e.getValue())));
        }
        for (String required : kamelet.required) {
            if (values.get(required) == null || values.get(required).isBlank()) {
                throw new IllegalArgumentException("link '" + link + "': kamelet '" + name + "' needs parameter '"
                        + required + "'" + kamelet.describe(required));
            }
        }
        StringBuilder out = new StringBuilder(substitute(kamelet.uri, values, true));
        char sep = out.indexOf("?") < 0 ? '?' : '&';
        for (Map.Entry<String, String> p : kamelet.uriParameters.entrySet()) {
            String value = substitute(p.getValue(), values, false);
            if (value == null) {
                continue; // an optional parameter ({{?name}}) the link did not set
            }
            out.append(sep).append(p.getKey()).append('=').append(raw(value));
            sep = '&';
        }
        return out.toString();
    }

    /**
     * Fills the kamelet's {@code {{name}}} and {@code {{?name}}} placeholders. Returns null when the text is a single
     * optional placeholder whose parameter is not set; other placeholders (application properties such as
     * {@code {{kafka.bootstrap.servers}}}) are left for Camel.
     */
    private static String substitute(String text, Map<String, String> values, boolean inPath) {
        Matcher m = PLACEHOLDER.matcher(text);
        if (!inPath && m.matches() && m.group(1) != null && values.get(m.group(2)) == null) {
            return null;
        }
        m.reset();
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(2));
            m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group(1) != null ? "" : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Values with characters that mean something in a URI query are passed as Camel's RAW(...). */
    private static String raw(String value) {
        return value.matches("[A-Za-z0-9._\\-:/{}]*") ? value : "RAW(" + value + ")";
    }

    private static String unraw(String value) {
        return value.startsWith("RAW(") && value.endsWith(")") ? value.substring(4, value.length() - 1) : value;
    }

    /** What inlining needs of a kamelet file: its endpoint and its parameter schema. */
    private static final class EndpointKamelet {
        /** The wrapped endpoint's URI (with placeholders), or null when the kamelet is not an endpoint kamelet. */
        String uri;
        boolean source;
        final Map<String, String> uriParameters = new LinkedHashMap<>();
        final Map<String, String> defaults = new LinkedHashMap<>();
        final Set<String> parameters = new TreeSet<>();
        final List<String> required = new ArrayList<>();
        final Map<String, String> titles = new LinkedHashMap<>();

        String describe(String parameter) {
            String title = titles.get(parameter);
            return title == null ? "" : " (" + title + ")";
        }

        @SuppressWarnings("unchecked")
        static EndpointKamelet load(String name) {
            EndpointKamelet k = new EndpointKamelet();
            String yaml = read(name);
            if (yaml == null) {
                return k; // not one of ours: Camel's kamelet component reports it
            }
            Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
            Map<String, Object> spec = map(doc.get("spec"));
            Map<String, Object> definition = map(spec.get("definition"));
            if (definition.get("required") instanceof List<?> req) {
                req.forEach(r -> k.required.add(String.valueOf(r)));
            }
            map(definition.get("properties")).forEach((param, schema) -> {
                k.parameters.add(param);
                Map<String, Object> s = map(schema);
                if (s.get("default") != null) {
                    k.defaults.put(param, String.valueOf(s.get("default")));
                }
                if (s.get("title") != null) {
                    k.titles.put(param, String.valueOf(s.get("title")));
                }
            });
            Map<String, Object> from = map(map(spec.get("template")).get("from"));
            String fromUri = (String) from.get("uri");
            List<Object> steps = from.get("steps") instanceof List<?> l ? (List<Object>) l : List.of();
            if (fromUri == null || steps.size() != 1 || !(steps.get(0) instanceof Map<?, ?> step) || step.size() != 1
                    || step.get("to") == null) {
                return k; // steps of its own: not an endpoint kamelet
            }
            Object to = step.get("to");
            String toUri = to instanceof String s ? s : (String) map(to).get("uri");
            if ("kamelet:source".equals(fromUri) && toUri != null && !toUri.startsWith(KAMELET)) {
                k.source = false;
                k.uri = toUri;
                map(map(to).get("parameters")).forEach((p, v) -> k.uriParameters.put(p, String.valueOf(v)));
            } else if ("kamelet:sink".equals(toUri) && !fromUri.startsWith(KAMELET)) {
                k.source = true;
                k.uri = fromUri;
                map(from.get("parameters")).forEach((p, v) -> k.uriParameters.put(p, String.valueOf(v)));
            }
            return k;
        }

        private static String read(String name) {
            Path file = Path.of("kamelets", name + ".kamelet.yaml");
            try {
                if (Files.isRegularFile(file)) {
                    return Files.readString(file, StandardCharsets.UTF_8);
                }
                try (InputStream in = KameletInliner.class.getResourceAsStream("/kamelets/" + name + ".kamelet.yaml")) {
                    return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new IllegalStateException("kamelet '" + name + "' cannot be read: " + e.getMessage(), e);
            }
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> map(Object o) {
            return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
    }
}
