package io.sluice.testkit;

import com.aliyun.openservices.log.Client;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.embedded.EmbeddedMariaDb;
import io.sluice.embedded.EmbeddedServers;
import io.sluice.embedded.sls.DemoSls;
import io.sluice.embedded.sls.LocalSlsServer;
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
 * The real servers every test uses: one MariaDB 11.4 with a row binlog, one KRaft Kafka broker and a local SLS server,
 * on free loopback ports, started once per test JVM and stopped when it exits. No Docker, no fixed ports, nothing left running.
 */
public final class TestServers {

    private static EmbeddedMariaDb mariaDb;
    private static EmbeddedKafka kafka;
    private static LocalSlsServer sls;

    private TestServers() {
    }

    public static synchronized EmbeddedMariaDb mariaDb() {
        if (mariaDb == null) {
            mariaDb = EmbeddedMariaDb.start();
            mariaDb.execute(EmbeddedServers.demoSchema());
            Runtime.getRuntime().addShutdownHook(new Thread(mariaDb::close, "test-mariadb-stop"));
        }
        return mariaDb;
    }

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "test-kafka-stop"));
        }
        return kafka;
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
