package io.sluice.binlog;

import io.sluice.base.EndpointOptions;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;

import java.util.Map;

/**
 * {@code mysql-binlog:<name>?dataSource=<mysql data source>}: the MySQL/MariaDB source of the DTS links, on Debezium's
 * embedded engine. One exchange per Debezium batch (body: {@code List<ChangeEvent>}); a position is marked processed
 * only after the route (the sink) accepted everything before it.
 */
@ApplicationScoped
@Named("mysql-binlog")
public class BinlogComponent extends DefaultComponent {

    @Inject
    LinkStatsRegistry stats;

    @Inject
    MySqlConfig config;

    @Inject
    StateStore state;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BinlogOptions options = new BinlogOptions();
        options.getAdditionalProperties().putAll(PropertiesHelper.extractProperties(parameters, "additionalProperties."));
        BinlogEndpoint endpoint = new BinlogEndpoint(uri, this, remaining, options);
        EndpointOptions.bind(endpoint, options, parameters);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** Where the links' durable state lives ({@code sluice.state.*}). */
    StateStore state() {
        return state;
    }

    MySqlConfig config() {
        return config;
    }

    LinkStatsRegistry stats() {
        return stats;
    }
}
