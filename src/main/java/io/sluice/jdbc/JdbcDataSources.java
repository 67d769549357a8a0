package io.sluice.jdbc;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The destinations links write to, by name: {@code default} is Quarkus's datasource ({@code quarkus.datasource.*}),
 * every {@code sluice.jdbc.<name>.*} block is a pooled data source created on first use, and any other name is
 * looked up as a {@link DataSource} bean. Declared once, shared by every link that names it.
 *
 * <p>Quarkus's own named datasources are fixed at build time; these are read at run time, so a packaged Sluice
 * takes new destinations from its application.properties without a rebuild.
 */
@ApplicationScoped
public class JdbcDataSources {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(JdbcDataSources.class);

    @Inject
    JdbcConfig config;

    @Inject
    CamelContext camel;

    private final Map<String, AgroalDataSource> pools = new ConcurrentHashMap<>();

    /** The data source named {@code name}; IllegalArgumentException naming the choices when there is none. */
    public DataSource get(String name) {
        JdbcConfig.JdbcSource declared = config.jdbc().get(name);
        if (declared != null) {
            return pools.computeIfAbsent(name, n -> open(n, declared));
        }
        DataSource bean = camel.getRegistry().lookupByNameAndType(name, DataSource.class);
        if (bean != null) {
            return bean;
        }
        throw new IllegalArgumentException("no JDBC data source named '" + name + "': use 'default' (quarkus.datasource.*)"
                + " or declare sluice.jdbc." + name + ".url/username/password in application.properties"
                + (config.jdbc().isEmpty() ? "" : " (declared: " + new TreeSet<>(config.jdbc().keySet()) + ")"));
    }

    private static AgroalDataSource open(String name, JdbcConfig.JdbcSource s) {
        AgroalDataSourceConfigurationSupplier cfg = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(s.maxPoolSize())
                        // a connection broken by an outage must not come back from the pool: evict it on a
                        // connection-class error and check each one (a ping) before a batch uses it
                        .exceptionSorter(JdbcDataSources::brokenConnection)
                        .validateOnBorrow(true)
                        .connectionValidator(ConnectionValidator.defaultValidator())
                        .acquisitionTimeout(s.acquisitionTimeout())
                        .connectionFactoryConfiguration(f -> {
                            f.jdbcUrl(s.url());
                            s.username().ifPresent(u -> f.principal(new NamePrincipal(u)));
                            s.password().ifPresent(p -> f.credential(new SimplePassword(p)));
                            return f;
                        }));
        try {
            return AgroalDataSource.from(cfg);
        } catch (SQLException e) {
            throw new IllegalArgumentException("data source sluice.jdbc." + name + " cannot be created: "
                    + SqlErrors.sanitize(e.getMessage()), e);
        }
    }

    /** SQLState class 08 (connection exception) or a driver's "connection is gone" exception. */
    static boolean brokenConnection(SQLException e) {
        return e instanceof SQLNonTransientConnectionException || e instanceof SQLRecoverableException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
    }

    /**
     * Closes the pools at shutdown, waiting at most {@value #CLOSE_WAIT_MS} ms: closing a connection whose statement an
     * abandoned batch still waits on (a database that does not answer) waits for that statement, and the driver has
     * no timeout for it. A pool still closing then is left to the exiting JVM; its open transactions were never
     * committed, so the database rolls them back.
     */
    @PreDestroy
    void close() {
        Thread closing = new Thread(() -> pools.values().forEach(AgroalDataSource::close), "sluice-jdbc-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            LOG.warnf("the JDBC data sources %s did not close within %d ms (a connection waits on a database that does "
                    + "not answer); left to the exiting process", pools.keySet(), CLOSE_WAIT_MS);
        }
    }

    private static final long CLOSE_WAIT_MS = 3_000;
}
