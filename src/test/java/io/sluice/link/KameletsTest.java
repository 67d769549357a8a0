package io.sluice.link;

import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kamelets users build links from: inlined into one route, checked on add, documented like their endpoints. */
@QuarkusTest
class KameletsTest {

    @Inject
    CamelContext camel;

    @Inject
    KameletInliner inliner;

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).contentType("application/yaml");
    }

    @Test
    void aMissingRequiredParameterIsRefusedNamingTheKameletAndTheParameter() {
        api().body("""
                - route:
                    id: no-table
                    from:
                      uri: "kamelet:kafka-json-source"
                      parameters: { topic: t1, brokers: "{{kafka.bootstrap.servers}}" }
                      steps:
                        - to: "kamelet:adb-sink"
                """.getBytes()).post("/api/links").then().statusCode(400)
                .body("error", containsString("link 'no-table': kamelet 'adb-sink' needs parameter 'table' (Destination table)"));
        api().get("/api/links/no-table").then().statusCode(404);
    }

    @Test
    void anUnknownParameterIsRefusedListingTheKameletsParameters() {
        api().body("""
                - route:
                    id: typo
                    from:
                      uri: "kamelet:kafka-json-source"
                      parameters: { topic: t1, brokers: "{{kafka.bootstrap.servers}}" }
                      steps:
                        - to:
                            uri: "kamelet:adb-sink"
                            parameters: { table: demo.events, dirtyDataMod: "null" }
                """.getBytes()).post("/api/links").then().statusCode(400)
                .body("error", containsString("kamelet 'adb-sink' has no parameter 'dirtyDataMod'"))
                .body("error", containsString("dirtyDataMode"));
    }

    @Test
    void parametersWithUriCharactersArriveUnchanged() {
        RouteDefinition def = new RouteDefinition();
        def.setId("chars");
        def.from("kamelet:adb-sink-probe-unused"); // not a kamelet of ours: left alone
        def.to("kamelet:adb-sink?table=demo.events&mapping=RAW(a=b.c,d=__tag__:env&x)&writerConnections=3");
        inliner.inline(def);
        String uri = ((org.apache.camel.model.SendDefinition<?>) def.getOutputs().get(0)).getUri();
        assertTrue(uri.startsWith("adb:demo.events?"), uri);
        assertTrue(uri.contains("mapping=RAW(a=b.c,d=__tag__:env&x)"), uri);
        assertTrue(uri.contains("writerConnections=3"), uri);
        assertFalse(uri.contains("deadLetterTable"), "an optional parameter not set is left out: " + uri);
        Endpoint endpoint = camel.getEndpoint(uri);
        assertEquals("a=b.c,d=__tag__:env&x", property(endpoint, "mapping"));
        assertEquals("UTC", property(endpoint, "timeZone"), "the kamelet's default");
    }

    /**
     * Every endpoint kamelet documents each parameter (title, description) and each of its defaults is the default
     * of the endpoint option it sets, so the kamelet's documentation cannot drift from the component's.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyKameletParameterIsDocumentedWithTheEndpointsDefault() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("kamelets"))) {
            files = s.filter(p -> p.toString().endsWith(".kamelet.yaml")).sorted().toList();
        }
        List<String> checked = new ArrayList<>();
        for (Path file : files) {
            Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
                    .loadFromString(Files.readString(file));
            Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
            Map<String, Object> definition = (Map<String, Object>) spec.get("definition");
            Map<String, Map<String, Object>> props = (Map<String, Map<String, Object>>) definition.get("properties");
            props.forEach((name, schema) -> {
                assertNotNull(schema.get("title"), file + ": parameter " + name + " has no title");
                assertNotNull(schema.get("description"), file + ": parameter " + name + " has no description");
            });
            Map<String, Object> from = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("from");
            Map<String, Object> step = (Map<String, Object>) ((List<Object>) from.get("steps")).get(0);
            boolean source = !"kamelet:source".equals(from.get("uri"));
            Object to = step.get("to");
            if (source ? !"kamelet:sink".equals(to) : to == null) {
                continue; // a kamelet with steps of its own
            }
            Map<String, Object> target = source ? from : to instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("uri", to);
            Map<String, Object> options = (Map<String, Object>) target.getOrDefault("parameters", Map.of());
            String uri = String.valueOf(target.get("uri"));
            if (uri.startsWith("kamelet:") || !(uri.startsWith("adb:") || uri.startsWith("kafka-json:") || uri.startsWith("sls:")
                    || uri.startsWith("mysql-binlog:") || uri.startsWith("kafka-change:") || uri.startsWith("maxcompute:"))) {
                continue; // a kamelet with steps of its own, or one wrapping a Camel component
            }
            Class<?> endpointClass = endpointClassOf(uri.substring(0, uri.indexOf(':')));
            Map<String, String> endpointDefaults = endpointDefaults(endpointClass);
            options.forEach((option, value) -> {
                String param = String.valueOf(value).replaceAll("[{}?]", "");
                assertTrue(props.containsKey(param), file + ": template uses undeclared parameter " + param);
                assertTrue(endpointDefaults.containsKey(option), file + ": " + option + " is not an option of " + uri);
                Object kameletDefault = props.get(param).get("default");
                if (kameletDefault != null) {
                    assertEquals(endpointDefaults.get(option), String.valueOf(kameletDefault),
                            file + ": default of " + param + " differs from " + option + "'s");
                }
            });
            checked.add(file.getFileName() + " (" + endpointClass.getSimpleName() + ")");
        }
        assertTrue(checked.size() >= 6, "checked: " + checked);
    }

    /**
     * Option name -> @UriParam defaultValue ("" when none) of the endpoint class the component creates, including the
     * options of its @UriParams options class.
     */
    private static Map<String, String> endpointDefaults(Class<?> endpointClass) {
        Map<String, String> out = new HashMap<>();
        for (Class<?> c = endpointClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                UriParam p = f.getAnnotation(UriParam.class);
                if (p != null && f.getType().isAnnotationPresent(UriParams.class)) {
                    out.putAll(endpointDefaults(f.getType()));
                } else if (p != null) {
                    out.put(f.getName(), p.defaultValue());
                }
            }
        }
        return out;
    }

    private static Class<?> endpointClassOf(String scheme) {
        return switch (scheme) {
            case "adb" -> io.sluice.adb.AdbEndpoint.class;
            case "kafka-json" -> io.sluice.kafka.KafkaJsonEndpoint.class;
            case "sls" -> io.sluice.sls.SlsEndpoint.class;
            case "mysql-binlog" -> io.sluice.binlog.BinlogEndpoint.class;
            case "kafka-change" -> io.sluice.kafka.ChangeKafkaEndpoint.class;
            case "maxcompute" -> io.sluice.maxcompute.MaxComputeEndpoint.class;
            default -> throw new IllegalArgumentException(scheme);
        };
    }

    private static Object property(Endpoint endpoint, String name) {
        try {
            Field f = io.sluice.adb.AdbOptions.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(((io.sluice.adb.AdbEndpoint) endpoint).getOptions());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
