package io.sluice.maxcompute;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sluice.change.ChangeColumn;
import io.sluice.change.ChangeEvent;
import io.sluice.change.MySqlType;
import io.sluice.change.Operation;
import io.sluice.change.SourcePosition;
import io.sluice.testkit.SluiceTestResource;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;

/** GET /api/links/{id}/merge-sql of a link whose sink is maxcompute. */
@QuarkusTest
class MaxComputeMergeSqlApiTest {

    @Inject
    CamelContext camel;

    @Test
    void mergeSqlOfATableTheLinkWrote() {
        camel.getComponent("maxcompute", MaxComputeComponent.class).addDataSource("mc-api", McTables.target());
        api().contentType("application/yaml").body("""
                - route:
                    id: mc-api
                    from:
                      uri: "direct:mc-api-in"
                      steps:
                        - to: "maxcompute:api?dataSource=mc-api&partitionLevels=day"
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/links").then().statusCode(201);
        List<ChangeColumn> columns = List.of(new ChangeColumn("id", MySqlType.of("int", 11, null, null), true, false),
                new ChangeColumn("name", MySqlType.of("varchar", 20, null, null), false, true));
        ChangeEvent insert = new ChangeEvent("shop", "mcapi_orders", Operation.INSERT, columns, null,
                Map.of("id", 1L, "name", "a"), null,
                new SourcePosition("mysql-bin.000001", 400, 0, null, 1, null, 1_712_667_000_000L, false));
        camel.createProducerTemplate().sendBody("direct:mc-api-in", List.of(insert));

        api().get("/api/links/mc-api/merge-sql?table=mcapi_orders&time=2024-04-09T13:00:00Z").then().statusCode(200)
                .body(containsString("insert overwrite table `mcapi_orders_merged`"))
                .body(containsString("from `mcapi_orders_log` incr"))
                .body(containsString("< 1712667600"))
                .body(containsString("partition by t.`id`"));
        api().get("/api/links/mc-api/merge-sql?table=nosuch&time=1").then().statusCode(409);
        api().get("/api/links/mc-api/merge-sql?table=mcapi_orders&time=yesterday").then().statusCode(400);
        api().delete("/api/links/mc-api").then().statusCode(204);
    }

    private static RequestSpecification api() {
        return RestAssured.given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }
}
