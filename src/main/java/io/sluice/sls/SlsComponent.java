package io.sluice.sls;

import io.sluice.base.LinkStatsRegistry;
import io.sluice.base.StartRules;
import io.sluice.state.CheckpointStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * {@code sls:<logstore>}: reads a Simple Log Service logstore from a start time, all shards in parallel, and
 * checkpoints each shard's cursor only after the route has processed the batch (the sink has committed it).
 */
@ApplicationScoped
@Named("sls")
public class SlsComponent extends DefaultComponent {

    @Inject
    LinkStatsRegistry stats;

    @Inject
    CheckpointStore checkpoints;

    @Inject
    SlsConfig config;

    @Inject
    StartRules startRules;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SlsEndpoint endpoint = new SlsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.applyDataSource(config.dataSources());
        endpoint.validate();
        return endpoint;
    }

    LinkStatsRegistry stats() {
        return stats;
    }

    CheckpointStore checkpoints() {
        return checkpoints;
    }

    StartRules startRules() {
        return startRules;
    }
}
