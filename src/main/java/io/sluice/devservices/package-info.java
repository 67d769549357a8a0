/**
 * The servers of the embedded default ({@code ./mvnw quarkus:dev}, {@code sluice.embedded.enabled=true}: a MariaDB,
 * a Kafka broker, and local SLS and MaxCompute servers speaking the services' HTTP protocols, plus the demo feeds of
 * the example links) and of the tests. The packaged app leaves the MariaDB and Kafka servers out.
 *
 * <p>Never used by a link in production: links reach these servers only through the data sources they publish, as
 * they would reach real ones.
 */
package io.sluice.devservices;
