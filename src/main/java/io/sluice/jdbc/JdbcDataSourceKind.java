package io.sluice.jdbc;

import io.sluice.base.DataSourceKind;
import io.sluice.base.SecretMasker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JDBC destinations for the management API: {@code default} (quarkus.datasource.*) and every
 * {@code sluice.jdbc.<name>}. The test logs in and runs {@code SELECT 1} ({@link ConnectionProbe}, as the adb sink's
 * precheck); the columns of a table come from {@link TableSchemaReader}, as the sink reads them.
 */
@ApplicationScoped
public class JdbcDataSourceKind implements DataSourceKind, DataSourceKind.Columns {

    private static final String DEFAULT = "default";

    @Inject
    JdbcConfig config;

    @Inject
    JdbcDataSources dataSources;

    @Override
    public String kind() {
        return "jdbc";
    }

    @Override
    public List<Described> list() {
        List<Described> out = new ArrayList<>();
        Config c = ConfigProvider.getConfig();
        if (!config.jdbc().containsKey(DEFAULT)) {
            c.getOptionalValue("quarkus.datasource.jdbc.url", String.class).ifPresent(url -> out.add(new Described(
                    DEFAULT, kind(), SecretMasker.maskText(url), c.getOptionalValue("quarkus.datasource.username",
                    String.class).orElse(null), Map.of("property", "quarkus.datasource.*"))));
        }
        new TreeMap<>(config.jdbc()).forEach((name, s) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("maxPoolSize", s.maxPoolSize());
            details.put("acquisitionTimeout", s.acquisitionTimeout().toString());
            out.add(new Described(name, kind(), SecretMasker.maskText(s.url()), s.username().orElse(null), details));
        });
        return out;
    }

    @Override
    public TestResult test(String name) {
        DataSource ds = dataSources.get(name); // IllegalArgumentException naming the declared ones
        long start = System.currentTimeMillis();
        var failure = ConnectionProbe.check(ds);
        long millis = System.currentTimeMillis() - start;
        String settings = DEFAULT.equals(name) && !config.jdbc().containsKey(DEFAULT)
                ? "quarkus.datasource.jdbc.url, .username, .password" : "sluice.jdbc." + name + ".url, .username, .password";
        return failure.map(f -> new TestResult(false, f.message() + " (data source '" + name + "': " + settings + ")",
                        millis))
                .orElseGet(() -> new TestResult(true, "logged in and ran SELECT 1", millis));
    }

    @Override
    public List<Column> columns(String name, String table) {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("columns needs ?table=<database>.<table>");
        }
        try (Connection conn = dataSources.get(name).getConnection()) {
            int dot = table.indexOf('.');
            String database = dot < 0 ? conn.getCatalog() : table.substring(0, dot);
            TableSchema schema = TableSchemaReader.read(conn, database, dot < 0 ? table : table.substring(dot + 1));
            return schema.columns().stream().map(col -> new Column(col.name(), col.displayType())).toList();
        } catch (TableNotFoundException e) {
            throw new java.util.NoSuchElementException("table " + table + " does not exist in data source '" + name
                    + "' (or its account cannot see it)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the columns of " + table + " in data source '" + name + "': "
                    + SqlErrors.describe(e));
        }
    }
}
