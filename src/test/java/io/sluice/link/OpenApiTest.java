package io.sluice.link;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

/** /q/openapi describes the management API from LinksResource's annotations; it holds no data, so it needs no token. */
@QuarkusTest
class OpenApiTest {

    @Test
    void theOpenApiDocumentListsTheEditAndTheCheck() {
        RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/links/{id}"))
                .body("paths.'/api/links/{id}'.put.summary", containsString("Replace a link's definition"))
                .body("paths.'/api/links/{id}'.put.requestBody.content", hasKey("application/yaml"))
                .body("paths.'/api/links/{id}'.put.responses", hasKey("409"))
                .body("paths.'/api/links/check'.post.summary", containsString("Check a definition"))
                .body("paths.'/api/links/check'.post.responses.'200'.content.'application/json'.schema", notNullValue())
                .body("paths.'/api/links'.get.summary", notNullValue());
    }
}
