package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.QueriedLog;
import com.aliyun.openservices.log.exception.LogException;
import com.aliyun.openservices.log.response.GetLogsResponse;
import io.sluice.base.OneSourcePerDestination;
import io.sluice.base.PreviewableSource;
import io.sluice.base.SourceRecord;
import io.sluice.source.TimedSourceEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Options of the SLS source (seed 000: data source, logstore, start offset). */
@UriEndpoint(scheme = "sls", title = "SLS logstore source", syntax = "sls:logstore", consumerOnly = true,
        category = {Category.MONITORING})
public class SlsEndpoint extends TimedSourceEndpoint implements PreviewableSource, OneSourcePerDestination {

    @UriPath(description = "Logstore to read") @Metadata(required = true)
    private final String logstore;
    @UriParam(description = "Name of an SLS data source declared in application.properties (sluice.sls.<name>.*); "
            + "options given on the link override it")
    private String dataSource;
    @UriParam(description = "SLS endpoint, e.g. cn-hangzhou.log.aliyuncs.com (https://... for TLS)")
    private String endpoint;
    @UriParam(description = "SLS project")
    private String project;
    @UriParam(description = "AccessKey ID", label = "security", secret = true)
    private String accessKeyId;
    @UriParam(description = "AccessKey secret", label = "security", secret = true)
    private String accessKeySecret;
    @UriParam(description = "STS security token of a temporary AccessKey", label = "security", secret = true)
    private String securityToken;
    @UriParam(description = "HTTP proxy host the SDK connects through")
    private String proxyHost;
    @UriParam(description = "HTTP proxy port")
    private int proxyPort;
    @UriParam(description = "Most log groups per PullLogs request per shard (1-1000)", defaultValue = "100")
    private int batchSize = 100;
    @UriParam(description = "Wait when every shard is read to its end, ms", defaultValue = "1000")
    private long pollIntervalMs = 1000;
    @UriParam(description = "How often the shard list is read again (splits, merges), ms", defaultValue = "10000")
    private long shardRefreshMs = 10_000;
    @UriParam(description = "Threads pulling shards in parallel", defaultValue = "8")
    private int pullThreads = 8;

    private Client client;

    SlsEndpoint(String uri, SlsComponent component, String logstore) {
        super(uri, component);
        this.logstore = logstore;
    }

    /** Fills the options the link does not set from its named data source. */
    void applyDataSource(Map<String, SlsConfig.DataSource> sources) {
        if (dataSource == null || dataSource.isBlank()) {
            return;
        }
        SlsConfig.DataSource ds = sources.get(dataSource);
        if (ds == null) {
            throw new IllegalArgumentException("sls:" + logstore + ": no SLS data source named '" + dataSource
                    + "'; declare sluice.sls." + dataSource + ".endpoint, .project, .access-key-id and "
                    + ".access-key-secret in application.properties" + (sources.isEmpty() ? "" : " (declared: " + sources.keySet() + ")"));
        }
        endpoint = endpoint != null ? endpoint : ds.endpoint();
        project = project != null ? project : ds.project();
        accessKeyId = accessKeyId != null ? accessKeyId : ds.accessKeyId().orElse(null);
        accessKeySecret = accessKeySecret != null ? accessKeySecret : ds.accessKeySecret().orElse(null);
        securityToken = securityToken != null ? securityToken : ds.securityToken().orElse(null);
        proxyHost = proxyHost != null ? proxyHost : ds.proxyHost().orElse(null);
        proxyPort = proxyPort > 0 ? proxyPort : ds.proxyPort().orElse(0);
    }

    void validate() {
        if (logstore == null || logstore.isBlank()) {
            throw new IllegalArgumentException("sls needs a logstore: sls:<logstore>?dataSource=<name>");
        }
        List<String> missing = new ArrayList<>();
        if (blank(endpoint)) {
            missing.add("endpoint");
        }
        if (blank(project)) {
            missing.add("project");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(needs(missing));
        }
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("batchSize must be 1 to 1000 log groups, not " + batchSize);
        }
        if (pullThreads < 1) {
            throw new IllegalArgumentException("pullThreads must be at least 1");
        }
        startTimeMillis();
        SlsClients.create(endpoint, "id", "secret", null, null, 0); // checks the endpoint's form
    }

    /** Credentials may come from the environment of the running app: they are checked when the link starts. */
    void checkCredentials() {
        List<String> missing = new ArrayList<>();
        if (blank(accessKeyId)) {
            missing.add("accessKeyId");
        }
        if (blank(accessKeySecret)) {
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
        return endpoint + "/" + project + "/" + logstore;
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

    String dataSourceLabel() {
        return dataSource != null ? "data source '" + dataSource + "' (sluice.sls." + dataSource + ".*)" : "the link";
    }

    synchronized Client client() {
        if (client == null) {
            client = SlsClients.create(endpoint, accessKeyId, accessKeySecret, securityToken, proxyHost, proxyPort);
        }
        return client;
    }

    SlsComponent component() {
        return (SlsComponent) getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SlsConsumer consumer = new SlsConsumer(this, processor);
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
            r = client().GetLogs(project, logstore, 0, Integer.MAX_VALUE, "", "", count, 0, true);
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

    public String getDataSource() {
        return dataSource;
    }

    public void setDataSource(String dataSource) {
        this.dataSource = dataSource;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getProject() {
        return project;
    }

    public void setProject(String project) {
        this.project = project;
    }

    public String getAccessKeyId() {
        return accessKeyId;
    }

    public void setAccessKeyId(String accessKeyId) {
        this.accessKeyId = accessKeyId;
    }

    public String getAccessKeySecret() {
        return accessKeySecret;
    }

    public void setAccessKeySecret(String accessKeySecret) {
        this.accessKeySecret = accessKeySecret;
    }

    public String getSecurityToken() {
        return securityToken;
    }

    public void setSecurityToken(String securityToken) {
        this.securityToken = securityToken;
    }

    public String getProxyHost() {
        return proxyHost;
    }

    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost;
    }

    public int getProxyPort() {
        return proxyPort;
    }

    public void setProxyPort(int proxyPort) {
        this.proxyPort = proxyPort;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public long getPollIntervalMs() {
        return pollIntervalMs;
    }

    public void setPollIntervalMs(long pollIntervalMs) {
        this.pollIntervalMs = pollIntervalMs;
    }

    public long getShardRefreshMs() {
        return shardRefreshMs;
    }

    public void setShardRefreshMs(long shardRefreshMs) {
        this.shardRefreshMs = shardRefreshMs;
    }

    public int getPullThreads() {
        return pullThreads;
    }

    public void setPullThreads(int pullThreads) {
        this.pullThreads = pullThreads;
    }
}
