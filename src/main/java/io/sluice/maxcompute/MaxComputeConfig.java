package io.sluice.maxcompute;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Map;
import java.util.Optional;

/**
 * Named MaxCompute projects (data sources), declared once in application.properties and referenced by
 * {@code maxcompute:} sinks as {@code dataSource=<name>}: {@code sluice.maxcompute.<name>.endpoint},
 * {@code .tunnel-endpoint}, {@code .project}, {@code .access-id}, {@code .access-key}.
 */
@ConfigMapping(prefix = "sluice.maxcompute")
public interface MaxComputeConfig {

    @WithParentName
    Map<String, MaxComputeSource> maxcompute();

    interface MaxComputeSource {
        /** The MaxCompute (ODPS) REST endpoint, e.g. http://service.cn-hangzhou.maxcompute.aliyun.com/api */
        String endpoint();

        /** The tunnel endpoint; without it the SDK asks the service. */
        Optional<String> tunnelEndpoint();

        String project();

        /** Optional here so that an unset key fails only the links that use this data source, with the fix. */
        Optional<String> accessId();

        /** From the environment in production: sluice.maxcompute.<name>.access-key=${MC_ACCESS_KEY}. Never logged. */
        Optional<String> accessKey();
    }
}
