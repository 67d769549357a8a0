package io.sluice.binlog;

import io.debezium.config.Configuration;
import io.debezium.connector.mariadb.MariaDbConnectorConfig;
import io.debezium.connector.mysql.MySqlConnectorConfig;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data source's flavor picks Debezium's connector: MySQL's for flavor=mysql (in the build), MariaDB's by default;
 * its TLS settings become that connector's.
 */
class BinlogFlavorTest {

    @Test
    void theMysqlFlavorBuildsAValidMySqlConnectorConfiguration() {
        Properties p = endpoint("mysql", "disabled", null).engineProperties("orders-link");
        assertEquals("io.debezium.connector.mysql.MySqlConnector", p.getProperty("connector.class"));
        assertEquals("disabled", p.getProperty("database.ssl.mode"), "the MySQL connector's spelling");
        assertEquals("db.example", p.getProperty("database.hostname"));
        assertEquals("precise", p.getProperty("decimal.handling.mode"), "the same value-fidelity settings");
        List<String> problems = new ArrayList<>();
        assertTrue(Configuration.from(p).validateAndRecord(MySqlConnectorConfig.ALL_FIELDS, problems::add),
                "MySqlConnectorConfig accepts it: " + problems);
        MySqlConnectorConfig config = new MySqlConnectorConfig(Configuration.from(p));
        assertEquals("initial", config.getSnapshotMode().getValue());
        assertEquals("orders", config.getLogicalName());
    }

    @Test
    void theDefaultFlavorIsMariaDb() {
        Properties p = endpoint("mariadb", "disabled", null).engineProperties("orders-link");
        assertEquals("io.debezium.connector.mariadb.MariaDbConnector", p.getProperty("connector.class"));
        assertEquals("disable", p.getProperty("database.ssl.mode"));
    }

    /**
     * ssl-mode in each connector's spelling (MariaDB's has no preferred and names the modes after its driver), and the
     * ssl-ca PEM as the PKCS12 trust store Debezium's binlog reader takes, holding that CA.
     */
    @Test
    void theSslModeInEachConnectorsSpellingAndTheCaAsATrustStore() throws Exception {
        Map<String, String> mysql = Map.of("required", "required", "verify-ca", "verify_ca",
                "verify-identity", "verify_identity", "preferred", "preferred");
        Map<String, String> mariadb = Map.of("required", "trust", "verify-ca", "verify-ca", "verify-identity", "verify-full");
        for (Map.Entry<String, String> e : mysql.entrySet()) {
            Properties p = endpoint("mysql", e.getKey(), null).engineProperties("orders-link");
            assertEquals(e.getValue(), p.getProperty("database.ssl.mode"), e.getKey());
            List<String> problems = new ArrayList<>();
            assertTrue(Configuration.from(p).validateAndRecord(MySqlConnectorConfig.ALL_FIELDS, problems::add), e + ": " + problems);
        }
        for (Map.Entry<String, String> e : mariadb.entrySet()) {
            Properties p = endpoint("mariadb", e.getKey(), null).engineProperties("orders-link");
            assertEquals(e.getValue(), p.getProperty("database.ssl.mode"), e.getKey());
            List<String> problems = new ArrayList<>();
            assertTrue(Configuration.from(p).validateAndRecord(MariaDbConnectorConfig.ALL_FIELDS, problems::add), e + ": " + problems);
        }

        Path ca = TestServers.tls().caPem();
        Properties p = endpoint("mariadb", "verify-ca", ca.toString()).engineProperties("orders-link");
        Path store = Path.of(p.getProperty("database.ssl.truststore"));
        assertEquals(Path.of("target/flavor-test-state/orders-link", SourceTls.CA_STORE_FILE), store);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, p.getProperty("database.ssl.truststore.password").toCharArray());
        }
        X509Certificate expected;
        try (InputStream in = Files.newInputStream(ca)) {
            expected = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertEquals(expected, ks.getCertificate(ks.aliases().nextElement()));
    }

    /** A setting that cannot work refuses the link, naming the data source's setting and the fix. */
    @Test
    void aWrongTlsSettingIsRefusedNamingIt() {
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> endpoint("mariadb", "verify_full", null).source());
        assertTrue(mode.getMessage().contains("sluice.mysql.src.ssl-mode 'verify_full' is not one of [disabled, preferred, "
                + "required, verify-ca, verify-identity]"), mode.getMessage());
        IllegalArgumentException unused = assertThrows(IllegalArgumentException.class,
                () -> endpoint("mariadb", "required", TestServers.tls().caPem().toString()).source());
        assertTrue(unused.getMessage().contains("sluice.mysql.src.ssl-ca is used only by ssl-mode=verify-ca or "
                + "verify-identity"), unused.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> endpoint("mariadb", "verify-ca", "/no/such/ca.pem").source());
        assertTrue(missing.getMessage().contains("sluice.mysql.src.ssl-ca /no/such/ca.pem is not a readable PEM certificate"),
                missing.getMessage());
    }

    /**
     * A mysql-binlog endpoint on data source {@code src} of the given flavor and TLS settings ({@code ca} or null),
     * configured without Quarkus.
     */
    private static BinlogEndpoint endpoint(String flavor, String sslMode, String ca) {
        Map<String, Object> source = Map.of("host", "db.example", "port", 3306, "username", "dts",
                "password", Optional.of("pw"), "serverId", 5401L, "flavor", flavor, "sslMode", sslMode,
                "sslCa", Optional.ofNullable(ca), "sslTrustStore", Optional.empty(), "sslTrustStorePassword", Optional.empty());
        MySqlConfig.MysqlSource mysql = stub(MySqlConfig.MysqlSource.class, source);
        BinlogComponent component = new BinlogComponent();
        component.config = stub(MySqlConfig.class, Map.of("mysql", Map.of("src", mysql)));
        component.state = new io.sluice.state.StateStore(java.nio.file.Path.of("target/flavor-test-state"));
        BinlogOptions options = new BinlogOptions();
        options.setDataSource("src");
        return new BinlogEndpoint("mysql-binlog:orders", component, "orders", options);
    }

    /** A configuration interface answering each method by name from {@code values}. */
    private static <T> T stub(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return values.get(method.getName());
        }));
    }
}
