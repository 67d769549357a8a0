package io.sluice.sls;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * SLS data sources, declared once in application.properties and referenced by name from any number of links:
 * {@code sluice.sls.<name>.endpoint}, {@code .project}, {@code .access-key-id}, {@code .access-key-secret},
 * {@code .security-token}, {@code .proxy-host}, {@code .proxy-port}.
 */
@ConfigMapping(prefix = "sluice.sls")
public interface SlsConfig {

    @WithParentName
    Map<String, DataSource> dataSources();

    interface DataSource {
        /** Region endpoint, e.g. cn-hangzhou.log.aliyuncs.com (https:// for TLS). */
        String endpoint();

        /** The SLS project. */
        String project();

        Optional<String> accessKeyId();

        Optional<String> accessKeySecret();

        /** STS security token, for a temporary AccessKey. */
        Optional<String> securityToken();

        /** HTTP proxy the SDK goes through. */
        Optional<String> proxyHost();

        OptionalInt proxyPort();
    }
}
