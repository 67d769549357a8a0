package io.sluice.binlog;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testkit.LinkApi;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import io.sluice.testkit.TlsCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS to the MySQL source ({@code sluice.mysql.<name>.ssl-mode}, {@code .ssl-ca}, {@code .ssl-trust-store}) and to the
 * JDBC state store, against the test kit's MariaDB serving a certificate of the test's own CA
 * ({@link TestServers#tls()}). The TLS data sources log in as {@code sluice_tls}, an account the server refuses any
 * connection without TLS: a link that streams on it read the binlog encrypted. A server without TLS is the same MariaDB
 * behind a proxy that hides its TLS ({@link TestServers#mariaDbWithoutTls()}).
 */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class BinlogTlsTest {

    private static final String TOPIC_SINK = "kafka-change:%s?brokers=%s&createTopics=true&format=canal-json";

    @BeforeAll
    static void tlsAccount() {
        TestServers.mariaDb().execute("CREATE USER IF NOT EXISTS 'sluice_tls'@'%' IDENTIFIED BY 'sluice-tls-pw' REQUIRE SSL; "
                + "GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'sluice_tls'@'%'");
    }

    private static void sql(String statements) {
        TestServers.mariaDb().execute(statements);
    }

    private static void addLink(String id, String source) {
        LinkApi.addLink(id, source, TOPIC_SINK.formatted(id, TestServers.kafka().bootstrapServers()));
    }

    private static JsonPath precheck(String link) {
        return api().get("/api/links/" + link + "/precheck").then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, String> item(JsonPath precheck, String item) {
        return precheck.getMap("find { it.item == '" + item + "' }");
    }

    /** Waits until the link's topic has an INSERT of row {@code id}. */
    private static void awaitInsert(String topic, String id) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> ChangeTopic.messages(topic)
                .stream().anyMatch(m -> "INSERT".equals(m.getType()) && m.getData() != null
                        && m.getData().stream().anyMatch(r -> id.equals(r.get("id")))));
    }

    /** Rows of link {@code link} in table {@code table} of the state database tls_state. */
    private static long stateRows(String table, String link) {
        try (java.sql.Connection c = TestServers.stateMariaDb().adminConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM tls_state." + table + " WHERE link_id = '" + link + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * verify-ca with the CA that signed the server's certificate: the precheck says encrypted and verified, and the link
     * copies the table and streams a later change (Debezium's binlog reader verifies with the CA converted into a trust
     * store in the link's state directory; the account allows no plain connection). Its positions are kept in a JDBC
     * state store reached over TLS too, by the driver's own URL parameters, as an account that requires it.
     */
    @Test
    void verifyCaWithTheRightCaStreamsAChangeEncrypted() {
        sql("CREATE DATABASE tls_src; CREATE TABLE tls_src.t (id INT PRIMARY KEY, v VARCHAR(20)); "
                + "INSERT INTO tls_src.t VALUES (1, 'before')");
        TestServers.stateMariaDb().execute("CREATE DATABASE tls_state; "
                + "CREATE USER IF NOT EXISTS 'state_tls'@'%' IDENTIFIED BY 'state-tls-pw' REQUIRE SSL; "
                + "GRANT ALL PRIVILEGES ON tls_state.* TO 'state_tls'@'%'");
        // RAW(): the URL's own parameters, as a user writes them into the route
        String stateUrl = "RAW(" + TestServers.stateMariaDb().jdbcUrl("tls_state") + "?sslMode=verify-ca&serverSslCert="
                + TestServers.tls().caPem() + ")";
        addLink("tls-verify", "mysql-binlog:tls-verify?dataSource=tls-verify-ca&serverId=7401&tables=tls_src.t"
                + "&offsetFlushIntervalMs=200&stateStore=jdbc&stateJdbcUrl=" + stateUrl
                + "&stateJdbcUser=state_tls&stateJdbcPassword=state-tls-pw");
        try {
            JsonPath check = precheck("tls-verify");
            assertEquals("pass", item(check, "source connection").get("status"), check.prettify());
            Map<String, String> encryption = item(check, "encryption");
            assertEquals("pass", encryption.get("status"));
            assertTrue(encryption.get("detail").startsWith("encrypted: TLSv1."), encryption.get("detail"));
            assertTrue(encryption.get("detail").contains("signed by the CA in " + TestServers.tls().caPem()),
                    encryption.get("detail"));
            assertEquals("pass", item(check, "state store").get("status"), check.prettify());

            awaitInsert("tls-verify", "1");
            sql("INSERT INTO tls_src.t VALUES (2, 'streamed')");
            awaitInsert("tls-verify", "2");
            api().get("/api/links/tls-verify").then().body("state", equalTo("running"));
            await().atMost(Duration.ofSeconds(10)).until(() -> stateRows("sluice_binlog_offsets", "tls-verify") == 1);
        } finally {
            api().delete("/api/links/tls-verify");
        }
    }

    /** A CA that did not sign the server's certificate: the precheck fails (not retried) naming the setting to fix. */
    @Test
    void verifyCaWithAWrongCaFailsThePrecheckNamingTheFix() {
        addLink("tls-wrong", "mysql-binlog:tls-wrong?dataSource=tls-wrong-ca&serverId=7402&tables=tls_src.none");
        try {
            Map<String, String> connection = item(precheck("tls-wrong"), "source connection");
            assertEquals("fail", connection.get("status"), "a certificate does not fix itself: " + connection);
            assertTrue(connection.get("detail").contains("ssl-mode=verify-ca"), connection.get("detail"));
            assertTrue(connection.get("fix").contains("set sluice.mysql.tls-wrong-ca.ssl-ca to the PEM file of the CA that "
                    + "signed the server's certificate"), connection.get("fix"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/links/tls-wrong").then()
                    .body("state", equalTo("failed")).body("lastError", containsString("ssl-ca")));
            String test = api().post("/api/data-sources/mysql/tls-wrong-ca/test").then().statusCode(200).extract().asString();
            assertTrue(test.contains("\"ok\":false") && test.contains("sluice.mysql.tls-wrong-ca.ssl-ca"), test);
            assertFalse(test.contains("sluice-tls-pw"), test);
        } finally {
            api().delete("/api/links/tls-wrong");
        }
    }

    /** required against a server that offers no TLS: the precheck fails naming both ways out. */
    @Test
    void requiredAgainstAServerWithoutTlsFailsClearly() {
        addLink("tls-none", "mysql-binlog:tls-none?dataSource=no-tls-required&serverId=7403&tables=tls_src.none");
        try {
            Map<String, String> connection = item(precheck("tls-none"), "source connection");
            assertEquals("fail", connection.get("status"), connection.toString());
            assertEquals("the server at 127.0.0.1:" + TestServers.mariaDbWithoutTls().port() + " offers no TLS and "
                    + "sluice.mysql.no-tls-required.ssl-mode is required", connection.get("detail"));
            assertTrue(connection.get("fix").startsWith("enable TLS on the server (ssl_cert and ssl_key"), connection.get("fix"));
            assertTrue(connection.get("fix").contains("sluice.mysql.no-tls-required.ssl-mode=preferred"), connection.get("fix"));
        } finally {
            api().delete("/api/links/tls-none");
        }
    }

    /**
     * required encrypts without verifying; verify-identity with a PKCS12 trust store and its password verifies the CA
     * and the host. The data source API shows the mode and the trust store, never its password.
     */
    @Test
    void requiredAndATrustStoreEncryptAndTheApiShowsTheModeWithoutThePassword() {
        addLink("tls-req", "mysql-binlog:tls-req?dataSource=tls-required&serverId=7404&tables=tls_src.none");
        addLink("tls-store", "mysql-binlog:tls-store?dataSource=tls-trust-store&serverId=7405&tables=tls_src.none");
        try {
            Map<String, String> required = item(precheck("tls-req"), "encryption");
            assertEquals("pass", required.get("status"));
            assertTrue(required.get("detail").contains("not verified (sluice.mysql.tls-required.ssl-mode=required)"),
                    required.get("detail"));
            Map<String, String> store = item(precheck("tls-store"), "encryption");
            assertEquals("pass", store.get("status"), store.toString());
            assertTrue(store.get("detail").contains("signed by a CA in " + TestServers.tls().caTrustStore()
                    + " and names 127.0.0.1:"), store.get("detail"));

            String list = api().get("/api/data-sources").then().statusCode(200).extract().asString();
            assertFalse(list.contains(TlsCertificates.TRUST_STORE_PASSWORD), list);
            List<Map<String, Object>> sources = JsonPath.from(list).getList("");
            Map<String, Object> details = detailsOf(sources, "tls-trust-store");
            assertEquals("verify-identity", details.get("sslMode"));
            assertEquals(TestServers.tls().caTrustStore().toString(), details.get("sslTrustStore"));
            assertEquals("preferred", detailsOf(sources, "test-mariadb").get("sslMode"), "the default");
            JsonPath test = api().post("/api/data-sources/mysql/tls-trust-store/test").then().statusCode(200)
                    .extract().jsonPath();
            assertTrue(test.getBoolean("ok"), test.getString("message"));
            assertTrue(test.getString("message").contains("encrypted: TLSv1."), test.getString("message"));
        } finally {
            api().delete("/api/links/tls-req");
            api().delete("/api/links/tls-store");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detailsOf(List<Map<String, Object>> sources, String name) {
        return (Map<String, Object>) sources.stream().filter(s -> s.get("name").equals(name)).findFirst().orElseThrow()
                .get("details");
    }

    /**
     * preferred (the default) against a server that offers no TLS: a warning with its fix, and the link still runs
     * (the driver asked again without TLS; Debezium's MariaDB connector, which has no preferred, is given disable).
     */
    @Test
    void preferredWithoutTlsWarnsAndTheLinkStreamsPlain() {
        sql("CREATE DATABASE tls_plain; CREATE TABLE tls_plain.t (id INT PRIMARY KEY, v VARCHAR(20)); "
                + "INSERT INTO tls_plain.t VALUES (1, 'before')");
        addLink("tls-plain", "mysql-binlog:tls-plain?dataSource=no-tls-preferred&serverId=7406&tables=tls_plain.t");
        try {
            Map<String, String> encryption = item(precheck("tls-plain"), "encryption");
            assertEquals("warn", encryption.get("status"), encryption.toString());
            assertTrue(encryption.get("detail").startsWith("not encrypted: sluice.mysql.no-tls-preferred.ssl-mode=preferred "
                    + "and the server at 127.0.0.1:" + TestServers.mariaDbWithoutTls().port() + " offers no TLS"),
                    encryption.get("detail"));
            assertTrue(encryption.get("fix").contains("or set sluice.mysql.no-tls-preferred.ssl-mode=disabled to silence"),
                    encryption.get("fix"));
            awaitInsert("tls-plain", "1");
            sql("INSERT INTO tls_plain.t VALUES (2, 'streamed')");
            awaitInsert("tls-plain", "2");
        } finally {
            api().delete("/api/links/tls-plain");
        }
    }
}
