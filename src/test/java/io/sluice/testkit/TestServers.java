package io.sluice.testkit;

import com.aliyun.openservices.log.Client;
import io.sluice.devservices.EmbeddedKafka;
import io.sluice.devservices.EmbeddedMariaDb;
import io.sluice.devservices.EmbeddedServers;
import io.sluice.devservices.maxcompute.LocalMaxCompute;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.devservices.sls.LocalSlsServer;
import io.sluice.sls.SlsClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The real servers every test uses: one MariaDB 11.4 with a row binlog, one KRaft Kafka broker, a local SLS server and
 * a local MaxCompute server, on free loopback ports, started once per test JVM and stopped when it exits. No Docker,
 * no fixed ports, nothing left running.
 */
public final class TestServers {

    private static EmbeddedMariaDb mariaDb;
    private static EmbeddedMariaDb stateMariaDb;
    private static EmbeddedKafka kafka;
    private static TcpProxy mariaDbProxy;
    private static TcpProxy mariaDbWithoutTls;
    private static TlsCertificates tls;
    private static LocalMaxCompute maxCompute;
    private static LocalSlsServer sls;

    /** The local MaxCompute server's project and AccessKey pair. */
    public static final String MAXCOMPUTE_PROJECT = "sluice_test";
    public static final String MAXCOMPUTE_ACCESS_ID = "test-access-id";
    public static final String MAXCOMPUTE_ACCESS_KEY = "test-access-secret";

    private TestServers() {
    }

    /**
     * The certificates both test MariaDBs serve (a CA of the test's own, so that verify-ca can be tested; MariaDB 11.4
     * would otherwise serve a certificate it makes itself), made once per test JVM.
     */
    public static synchronized TlsCertificates tls() {
        if (tls == null) {
            tls = TlsCertificates.create();
        }
        return tls;
    }

    public static synchronized EmbeddedMariaDb mariaDb() {
        if (mariaDb == null) {
            mariaDb = EmbeddedMariaDb.start(tls().serverArgs());
            mariaDb.execute(EmbeddedServers.demoSchema());
            Runtime.getRuntime().addShutdownHook(new Thread(mariaDb::close, "test-mariadb-stop"));
        }
        return mariaDb;
    }

    /**
     * The application properties of a MySQL data source {@code sluice.mysql.<name>.*} on the test kit's MariaDB, as the
     * packaged app's tests pass them, reading the binlog as server {@code serverId}.
     */
    public static Map<String, String> mysqlDataSource(String name, int serverId) {
        String p = "sluice.mysql." + name + ".";
        return Map.of(
                p + "host", "127.0.0.1",
                p + "port", String.valueOf(mariaDb().port()),
                p + "username", "sluice",
                p + "password", "sluice-demo-pw",
                p + "server-id", String.valueOf(serverId));
    }

    /**
     * The application properties of a JDBC data source {@code sluice.jdbc.<name>.*} on the test kit's MariaDB (database
     * demo) at {@code port}: the server's own, or a {@link TcpProxy}'s in front of it.
     */
    public static Map<String, String> jdbcDataSource(String name, int port) {
        String p = "sluice.jdbc." + name + ".";
        return Map.of(
                p + "url", "jdbc:mariadb://127.0.0.1:" + port + "/demo",
                p + "username", "sluice",
                p + "password", "sluice-demo-pw");
    }

    /**
     * The application properties of a MaxCompute data source {@code sluice.maxcompute.<name>.*} on the local MaxCompute
     * server at {@code port}: the server's own, or a {@link TcpProxy}'s in front of it.
     */
    public static Map<String, String> maxComputeDataSource(String name, int port) {
        String p = "sluice.maxcompute." + name + ".";
        String mc = "http://127.0.0.1:" + port;
        return Map.of(
                p + "endpoint", mc + "/api",
                p + "tunnel-endpoint", mc,
                p + "project", MAXCOMPUTE_PROJECT,
                p + "access-id", MAXCOMPUTE_ACCESS_ID,
                p + "access-key", MAXCOMPUTE_ACCESS_KEY);
    }

    /**
     * A second MariaDB, started when first asked for: a state database of binlog links (stateStore=jdbc) must not be
     * on the link's source server.
     */
    public static synchronized EmbeddedMariaDb stateMariaDb() {
        if (stateMariaDb == null) {
            stateMariaDb = EmbeddedMariaDb.start(tls().serverArgs());
            Runtime.getRuntime().addShutdownHook(new Thread(stateMariaDb::close, "test-state-mariadb-stop"));
        }
        return stateMariaDb;
    }

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "test-kafka-stop"));
        }
        return kafka;
    }

    /** A forwarder to the MariaDB a test can cut, to take the database down for the links that go through it. */
    public static synchronized TcpProxy mariaDbProxy() {
        if (mariaDbProxy == null) {
            try {
                mariaDbProxy = new TcpProxy(mariaDb().port());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot open the MariaDB proxy", e);
            }
        }
        return mariaDbProxy;
    }

    /** The test MariaDB as a server that offers no TLS ({@link TcpProxy#TcpProxy(int, boolean)}). */
    public static synchronized TcpProxy mariaDbWithoutTls() {
        if (mariaDbWithoutTls == null) {
            try {
                mariaDbWithoutTls = new TcpProxy(mariaDb().port(), true);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot open the MariaDB proxy", e);
            }
        }
        return mariaDbWithoutTls;
    }

    /** A loopback port nothing listens on (taken and released): a server that is down. */
    public static int closedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** A local MaxCompute server (REST + tunnel, real SDK protocol) with project {@value #MAXCOMPUTE_PROJECT}. */
    public static synchronized LocalMaxCompute maxCompute() {
        if (maxCompute == null) {
            maxCompute = LocalMaxCompute.start(MAXCOMPUTE_PROJECT, MAXCOMPUTE_ACCESS_ID, MAXCOMPUTE_ACCESS_KEY);
            Runtime.getRuntime().addShutdownHook(new Thread(maxCompute::close, "test-maxcompute-stop"));
        }
        return maxCompute;
    }

    /** The local SLS server, holding the demo project and logstore and accepting the demo AccessKey. */
    public static synchronized LocalSlsServer sls() {
        if (sls == null) {
            sls = DemoSls.start();
            Runtime.getRuntime().addShutdownHook(new Thread(sls::close, "test-sls-stop"));
        }
        return sls;
    }

    /** An SDK client on the local SLS server with the demo AccessKey, as a producer of test logs would use. */
    public static Client slsClient() {
        return SlsClients.create(DemoSls.ENDPOINT, DemoSls.ACCESS_KEY_ID, DemoSls.ACCESS_KEY_SECRET, null, "127.0.0.1",
                sls().port());
    }

    public static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** The first column of every row of a query run as the admin account. */
    public static java.util.List<Long> queryLongs(String sql) {
        try (Connection c = mariaDb().adminConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            java.util.List<Long> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A single number from a query run as the admin account. */
    public static long queryLong(String sql) {
        try (Connection c = mariaDb().adminConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
