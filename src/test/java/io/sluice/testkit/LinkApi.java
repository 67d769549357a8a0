package io.sluice.testkit;

import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** The management API as the in-process tests call it: with the test token, and adding one-step links. */
public final class LinkApi {

    private LinkApi() {
    }

    /** A request carrying the test kit's API token. */
    public static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }

    /** Adds link {@code id} from {@code source} to {@code sink} (endpoint URIs) through the API; expects 201. */
    public static void addLink(String id, String source, String sink) {
        String yaml = """
                - route:
                    id: %s
                    from:
                      uri: "%s"
                      steps:
                        - to: "%s"
                """.formatted(id, source, sink);
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
    }
}
