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
    @UriParam(label = "consumer group", description = "Read through this SLS consumer group (created when missing): SLS "
            + "spreads the logstore's shards over every Sluice instance and link reading the group and keeps the "
            + "checkpoints; a shard starts at the group's checkpoint, or at startTime when the group has none. Unset: "
            + "this link reads every shard itself and keeps its checkpoints in Sluice's state")
    private String consumerGroup;
    @UriParam(label = "consumer group", description = "This link's consumer name in the group; default "
            + "<host>-<process id>-<link id>, unique per instance and link")
    private String consumer;
    @UriParam(label = "consumer group", description = "Consumer group timeout, seconds: a consumer whose heartbeats "
            + "stop for this long loses its shards to the others (SLS keeps one timeout per group: the last joiner's)",
            defaultValue = "60")
    private int consumerGroupTimeout = 60;
    @UriParam(label = "consumer group", description = "Heartbeat interval of the consumer group, ms (well below the "
            + "timeout)", defaultValue = "5000")
    private long heartbeatIntervalMs = 5_000;

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

    /** The consumer name in the group: {@code consumer}, or one unique to this process and link. */
    String consumerName(String link) {
        if (consumer != null && !consumer.isBlank()) {
            return consumer;
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "sluice";
            }
        }
        // names travel in a signed query parameter: keep them to characters that need no encoding
        return (host + "-" + ProcessHandle.current().pid() + "-" + link).replaceAll("[^A-Za-z0-9_.-]", "-");
    }

    public String getConsumerGroup() {
        return consumerGroup;
    }

    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    public String getConsumer() {
        return consumer;
    }

    public void setConsumer(String consumer) {
        this.consumer = consumer;
    }

    public int getConsumerGroupTimeout() {
        return consumerGroupTimeout;
    }

    public void setConsumerGroupTimeout(int consumerGroupTimeout) {
        this.consumerGroupTimeout = consumerGroupTimeout;
    }

    public long getHeartbeatIntervalMs() {
        return heartbeatIntervalMs;
    }

    public void setHeartbeatIntervalMs(long heartbeatIntervalMs) {
        this.heartbeatIntervalMs = heartbeatIntervalMs;
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
