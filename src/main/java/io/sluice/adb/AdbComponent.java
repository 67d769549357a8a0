package io.sluice.adb;

import io.sluice.jdbc.JdbcDataSources;
import io.sluice.link.LinkStatsRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** {@code adb:<database>.<table>}: the AnalyticDB for MySQL sink of the APS links (any MySQL-protocol database). */
@ApplicationScoped
@Named("adb")
public class AdbComponent extends DefaultComponent {

    @Inject
    LinkStatsRegistry stats;

    @Inject
    JdbcDataSources dataSources;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        AdbEndpoint endpoint = new AdbEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    JdbcDataSources dataSources() {
        return dataSources;
    }

    LinkStatsRegistry stats() {
        return stats;
    }
}
