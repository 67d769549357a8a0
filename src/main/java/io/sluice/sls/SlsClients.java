package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.auth.Credentials;
import com.aliyun.openservices.log.common.auth.DefaultCredentials;
import com.aliyun.openservices.log.common.auth.StaticCredentialsProvider;
import com.aliyun.openservices.log.http.client.ClientConfiguration;

/** Builds the SDK's {@link Client} from a data source's settings. */
public final class SlsClients {

    private SlsClients() {
    }

    /**
     * A client for an endpoint (e.g. {@code cn-hangzhou.log.aliyuncs.com}, optionally with http:// or https://),
     * with an optional STS security token and an optional HTTP proxy.
     */
    public static Client create(String endpoint, String accessKeyId, String accessKeySecret, String securityToken,
                                String proxyHost, int proxyPort) {
        ClientConfiguration config = new ClientConfiguration();
        config.setMaxConnections(64);
        config.setConnectionTimeout(10_000);
        config.setSocketTimeout(30_000);
        // the link retries with its own backoff: no hidden retries inside the SDK
        config.setMaxErrorRetry(0);
        if (proxyHost != null && !proxyHost.isBlank() && proxyPort > 0) {
            config.setProxyHost(proxyHost);
            config.setProxyPort(proxyPort);
        }
        Credentials credentials = new DefaultCredentials(accessKeyId, accessKeySecret,
                securityToken == null || securityToken.isBlank() ? null : securityToken);
        return new Client(endpoint, new StaticCredentialsProvider(credentials), config, null);
    }
}
