package io.sluice.maxcompute;

import java.util.List;

/**
 * Everything a link's {@link MaxComputeChangeSink} needs besides the batches: the endpoint's options and the data
 * source. {@code dataSource}: the data source's name, shown in messages.
 */
public record SinkSettings(String dataSource, MaxComputeTarget target, NamingRule namingRule,
                           List<PartitionLevel> partitionLevels, WriterOptions options,
                           ConflictingTables conflictingTables) {

    public SinkSettings(String dataSource, MaxComputeTarget target, NamingRule namingRule,
                        List<PartitionLevel> partitionLevels, WriterOptions options) {
        this(dataSource, target, namingRule, partitionLevels, options, ConflictingTables.PRECHECK);
    }
}
