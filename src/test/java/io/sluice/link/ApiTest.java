package io.sluice.link;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sluice.testkit.SluiceTestResource;

/** Requests to the management API with the test token. */
final class ApiTest {

    private ApiTest() {
    }

    static RequestSpecification api() {
        return RestAssured.given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }

    static RequestSpecification yaml(String body) {
        return api().contentType("application/yaml").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
