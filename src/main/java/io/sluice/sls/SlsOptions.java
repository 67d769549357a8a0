package io.sluice.sls;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.source.TimedSourceOptions;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of the SLS source (seed 000: data source, logstore, start offset); bound by reflection on the setters. The
 * connection options a link leaves out come from its named data source ({@link #fillFrom}).
 */
@UriParams
@RegisterForReflection
public class SlsOptions extends TimedSourceOptions {

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

    /** Fills the connection options the link does not set from its data source {@code ds}. */
    void fillFrom(SlsConfig.DataSource ds) {
        endpoint = endpoint != null ? endpoint : ds.endpoint();
        project = project != null ? project : ds.project();
        accessKeyId = accessKeyId != null ? accessKeyId : ds.accessKeyId().orElse(null);
        accessKeySecret = accessKeySecret != null ? accessKeySecret : ds.accessKeySecret().orElse(null);
        securityToken = securityToken != null ? securityToken : ds.securityToken().orElse(null);
        proxyHost = proxyHost != null ? proxyHost : ds.proxyHost().orElse(null);
        proxyPort = proxyPort > 0 ? proxyPort : ds.proxyPort().orElse(0);
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
