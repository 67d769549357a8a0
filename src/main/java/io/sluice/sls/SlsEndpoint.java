package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.QueriedLog;
import com.aliyun.openservices.log.exception.LogException;
import com.aliyun.openservices.log.response.GetLogsResponse;
import io.sluice.base.OneSourcePerDestination;
import io.sluice.base.PreviewableSource;
import io.sluice.base.ResumableSource;
import io.sluice.base.SourceRecord;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The SLS source (seed 000): a logstore read from a start time; its options are {@link SlsOptions}. */
@UriEndpoint(scheme = "sls", title = "SLS logstore source", syntax = "sls:logstore", consumerOnly = true,
        category = {Category.MONITORING})
public class SlsEndpoint extends DefaultEndpoint implements PreviewableSource, OneSourcePerDestination,
        ResumableSource {

    @UriPath(description = "Logstore to read") @Metadata(required = true)
    private final String logstore;
    @UriParam
    private final SlsOptions options;

    private Client client;

    SlsEndpoint(String uri, SlsComponent component, String logstore, SlsOptions options) {
        super(uri, component);
        this.logstore = logstore;
        this.options = options;
    }

    /** Fills the options the link does not set from its named data source. */
    void applyDataSource(Map<String, SlsConfig.DataSource> sources) {
        String dataSource = options.getDataSource();
        if (dataSource == null || dataSource.isBlank()) {
            return;
        }
        SlsConfig.DataSource ds = sources.get(dataSource);
        if (ds == null) {
            throw new IllegalArgumentException("sls:" + logstore + ": no SLS data source named '" + dataSource
                    + "'; declare sluice.sls." + dataSource + ".endpoint, .project, .access-key-id and "
                    + ".access-key-secret in application.properties" + (sources.isEmpty() ? "" : " (declared: " + sources.keySet() + ")"));
        }
        options.fillFrom(ds);
    }

    void validate() {
        if (logstore == null || logstore.isBlank()) {
            throw new IllegalArgumentException("sls needs a logstore: sls:<logstore>?dataSource=<name>");
        }
        List<String> missing = new ArrayList<>();
        if (blank(options.getEndpoint())) {
            missing.add("endpoint");
        }
        if (blank(options.getProject())) {
            missing.add("project");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(needs(missing));
        }
        if (options.getBatchSize() < 1 || options.getBatchSize() > 1000) {
            throw new IllegalArgumentException("batchSize must be 1 to 1000 log groups, not " + options.getBatchSize());
        }
        if (options.getPullThreads() < 1) {
            throw new IllegalArgumentException("pullThreads must be at least 1");
        }
        options.startTimeMillis();
        validateConsumerGroup();
        SlsClients.create(options.getEndpoint(), "id", "secret", null, null, 0); // checks the endpoint's form
    }

    /** SLS's rules for a consumer group name, and a heartbeat that fits in the group's timeout. */
    private void validateConsumerGroup() {
        String group = options.getConsumerGroup();
        if (group == null) {
            return;
        }
        if (!group.matches("[a-z0-9][a-z0-9_-]{0,126}[a-z0-9]")) {
            throw new IllegalArgumentException("sls:" + logstore + ": consumerGroup '" + group + "' is not a valid SLS "
                    + "consumer group name: 2 to 128 lowercase letters, digits, hyphens and underscores, starting and "
                    + "ending with a letter or digit");
        }
        if (options.getConsumerGroupTimeout() < 1 || options.getConsumerGroupTimeout() > 86_400) {
            throw new IllegalArgumentException("sls:" + logstore + ": consumerGroupTimeout must be 1 to 86400 seconds, not "
                    + options.getConsumerGroupTimeout());
        }
        if (options.getHeartbeatIntervalMs() < 100
                || options.getHeartbeatIntervalMs() * 2 > options.getConsumerGroupTimeout() * 1000L) {
            throw new IllegalArgumentException("sls:" + logstore + ": heartbeatIntervalMs must be at least 100 and at most "
                    + "half of consumerGroupTimeout (" + options.getConsumerGroupTimeout() + " s), not "
                    + options.getHeartbeatIntervalMs() + ": a consumer missing one heartbeat would lose its shards");
        }
    }

    /** Credentials may come from the environment of the running app: they are checked when the link starts. */
    void checkCredentials() {
        List<String> missing = new ArrayList<>();
        if (blank(options.getAccessKeyId())) {
            missing.add("accessKeyId");
        }
        if (blank(options.getAccessKeySecret())) {
            missing.add("accessKeySecret");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(needs(missing));
        }
    }

    private String needs(List<String> missing) {
        return "sls:" + logstore + " needs " + String.join(", ", missing) + ": name a data source (dataSource=<name>, "
                + "declared as sluice.sls.<name>.* in application.properties) or set them on the link";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }


    /** Which logstore this is, for messages and the one-logstore-per-table rule: endpoint/project/logstore. */
    String describe() {
        return options.getEndpoint() + "/" + options.getProject() + "/" + logstore;
    }

    @Override
    public String source() {
        return describe();
    }

    @Override
    public String conflict(String link, String destination, String other, String otherSource) {
        return "destination " + destination + " already synchronizes from SLS logstore " + otherSource + " through link '"
                + other + "': a destination table synchronizes from only one Logstore. Write link '" + link
                + "' (logstore " + describe() + ") to another table, or stop and delete link '" + other + "' first";
    }

    /**
     * The link's position is its checkpoint of each shard of one logstore ({@link SlsConsumer} starts over, silently, when
     * the logstore it was made for changes): a new definition keeps it only when it reads the same logstore of the same
     * project and endpoint. A changed startTime is an explicit reset, recognised by the consumer.
     */
    @Override
    public String positionLostBy(Endpoint replacement) {
        String other = replacement instanceof SlsEndpoint next ? "logstore " + next.describe()
                : replacement.getEndpointBaseUri();
        if (replacement instanceof SlsEndpoint next && next.describe().equals(describe())) {
            if (!java.util.Objects.equals(next.options.getConsumerGroup(), options.getConsumerGroup())) {
                return "its position is kept " + positionPlace(options.getConsumerGroup()) + ", and it would be read from "
                        + positionPlace(next.options.getConsumerGroup()) + ". Keep consumerGroup, or add a new link "
                        + "and delete this one";
            }
            return null;
        }
        return "it would read " + other + " instead of logstore " + describe() + ", and the link's position is its "
                + "checkpoint of that logstore's shards. Keep the logstore (a new startTime starts the link again from "
                + "that time), or add a new link for the new logstore and delete this one";
    }

    private static String positionPlace(String group) {
        return group == null ? "in Sluice's state (no consumerGroup)" : "in SLS consumer group '" + group + "'";
    }

    String dataSourceLabel() {
        String dataSource = options.getDataSource();
        return dataSource != null ? "data source '" + dataSource + "' (sluice.sls." + dataSource + ".*)" : "the link";
    }

    synchronized Client client() {
        if (client == null) {
            client = SlsClients.create(options.getEndpoint(), options.getAccessKeyId(), options.getAccessKeySecret(),
                    options.getSecurityToken(), options.getProxyHost(), options.getProxyPort());
        }
        return client;
    }

    SlsComponent component() {
        return (SlsComponent) getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SlsConsumer consumer = options.getConsumerGroup() != null ? new SlsGroupConsumer(this, processor)
                : new SlsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("sls is a source: use it in 'from'");
    }

    /** The latest logs of the logstore (GetLogs, newest first); reads only, moves no cursor or checkpoint. */
    @Override
    public List<SourceRecord> latest(int count) {
        GetLogsResponse r;
        try {
            r = client().GetLogs(options.getProject(), logstore, 0, Integer.MAX_VALUE, "", "", count, 0, true);
        } catch (LogException e) {
            throw new Unavailable("preview of " + describe() + " failed: " + SlsErrors.describe(this, e));
        }
        List<SourceRecord> out = new ArrayList<>();
        int i = 0;
        for (QueriedLog log : r.getLogs()) {
            out.add(new SourceRecord(SlsRecords.of(log), "latest #" + (++i) + ", __time__ " + log.GetLogItem().GetTime(),
                    log.GetLogItem().GetTime() * 1000L));
        }
        return out;
    }

    public String getLogstore() {
        return logstore;
    }

    public SlsOptions getOptions() {
        return options;
    }
}
