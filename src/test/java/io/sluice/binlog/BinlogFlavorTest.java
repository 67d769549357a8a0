package io.sluice.binlog;

import io.debezium.config.Configuration;
import io.debezium.connector.mysql.MySqlConnectorConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data source's flavor picks Debezium's connector: MySQL's for flavor=mysql (in the build), MariaDB's by default. */
class BinlogFlavorTest {

    @Test
    void theMysqlFlavorBuildsAValidMySqlConnectorConfiguration() {
        Properties p = endpoint("mysql").engineProperties("orders-link");
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
        Properties p = endpoint("mariadb").engineProperties("orders-link");
        assertEquals("io.debezium.connector.mariadb.MariaDbConnector", p.getProperty("connector.class"));
        assertEquals("disable", p.getProperty("database.ssl.mode"));
    }

    /** A mysql-binlog endpoint on data source {@code src} of the given flavor, configured without Quarkus. */
    private static BinlogEndpoint endpoint(String flavor) {
        Map<String, Object> source = Map.of("host", "db.example", "port", 3306, "username", "dts",
                "password", Optional.of("pw"), "serverId", 5401L, "flavor", flavor);
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
