package io.sluice.maxcompute;

import io.sluice.testkit.TestServers;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options and data sources of the maxcompute sink, without servers. */
class MaxComputeComponentTest {

    /** A component whose sluice.maxcompute.warehouse.* is declared (access key "s3cret-key"). */
    private static MaxComputeComponent component() {
        Map<String, Object> source = Map.of("endpoint", "http://127.0.0.1:1/api", "tunnelEndpoint", Optional.empty(),
                "project", "p1", "accessId", Optional.of("id1"), "accessKey", Optional.of("s3cret-key"));
        MaxComputeConfig.MaxComputeSource s = (MaxComputeConfig.MaxComputeSource) Proxy.newProxyInstance(
                MaxComputeComponentTest.class.getClassLoader(), new Class<?>[] {MaxComputeConfig.MaxComputeSource.class},
                (proxy, method, args) -> source.get(method.getName()));
        MaxComputeComponent c = new MaxComputeComponent();
        c.config = (MaxComputeConfig) Proxy.newProxyInstance(MaxComputeComponentTest.class.getClassLoader(),
                new Class<?>[] {MaxComputeConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("maxcompute")) {
                        return Map.of("warehouse", s);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return c;
    }

    @Test
    void optionsDefaultsAndDataSourceFromConfiguration() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("maxcompute", component());
            camel.start();
            MaxComputeEndpoint e = camel.getEndpoint("maxcompute:orders?dataSource=warehouse", MaxComputeEndpoint.class);
            assertEquals(NamingRule.NEW, e.namingRuleValue());
            assertEquals(List.of(PartitionLevel.YEAR, PartitionLevel.MONTH, PartitionLevel.DAY, PartitionLevel.HOUR),
                    e.levels());
            assertEquals(WriterOptions.defaults(), e.writerOptions());
            MaxComputeTarget t = e.component().dataSource("warehouse");
            assertEquals("p1", t.project());
            assertEquals("s3cret-key", t.accessKey());
            assertFalse(t.toString().contains("s3cret-key"));

            MaxComputeEndpoint custom = camel.getEndpoint("maxcompute:o2?dataSource=warehouse&namingRule=previous"
                    + "&partitionLevels=day,year", MaxComputeEndpoint.class);
            assertEquals(NamingRule.PREVIOUS, custom.namingRuleValue());
            assertEquals(List.of(PartitionLevel.DAY, PartitionLevel.YEAR), custom.levels());

            var missing = assertThrows(ResolveEndpointFailedException.class,
                    () -> camel.getEndpoint("maxcompute:o3?dataSource=nowhere"));
            assertTrue(missing.getCause().getMessage().contains("sluice.maxcompute.<name>.endpoint"), missing.getMessage());
            assertTrue(missing.getCause().getMessage().contains("'nowhere'"), missing.getMessage());
            var badLevel = assertThrows(ResolveEndpointFailedException.class,
                    () -> camel.getEndpoint("maxcompute:o4?dataSource=warehouse&partitionLevels=week"));
            assertTrue(badLevel.getCause().getMessage().contains("'week'"), badLevel.getMessage());
            var movedOption = assertThrows(ResolveEndpointFailedException.class,
                    () -> camel.getEndpoint("maxcompute:o5?dataSource=warehouse&objectNameCase=source"));
            assertTrue(movedOption.getCause().getMessage().contains("option of the mysql-binlog source"),
                    movedOption.getMessage());
        }
        assertEquals(TestServers.MAXCOMPUTE_PROJECT, McTables.target().project());
    }

    @Test
    void eachLinkWritingThroughAnEndpointHasItsOwnSinkUntilTheEndpointStops() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("maxcompute", component());
            camel.start();
            MaxComputeEndpoint e = camel.getEndpoint("maxcompute:shared?dataSource=warehouse", MaxComputeEndpoint.class);
            MaxComputeChangeSink a = e.sink("a");
            assertSame(a, e.sink("a"));
            assertNotSame(a, e.sink("b"), "links sharing the endpoint keep their own tables, full loads and marks");
            var none = assertThrows(IllegalArgumentException.class, () -> e.mergeSql("b", "orders", null, 1L));
            assertTrue(none.getMessage().contains("has not been written by this link"), none.getMessage());
            e.stop();
            assertNotSame(a, e.sink("a"), "a stopped route's sink is dropped");
        }
    }
}
