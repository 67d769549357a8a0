package io.sluice.base;

/**
 * A sink that writes to a declared data source. While its link moves nothing, the control plane tests that data
 * source as the management API's connection test does ({@link DataSourceKind#test}), so a destination that goes down
 * while the link is idle shows as {@code retrying} at once rather than when the next batch fails
 * ({@code link.IdleSinkCheck}).
 */
public interface DataSourceSink {

    /** A data source: its kind ({@link DataSourceKind#kind()}) and its name. */
    record DataSourceRef(String kind, String name) {
    }

    /** The data source this sink writes to, or null when it names none (e.g. Kafka brokers given in the URI). */
    DataSourceRef sinkDataSource();

    /** A destination that is not a declared data source: how messages name it, and its connection test. */
    record Destination(String name, java.util.function.Supplier<DataSourceKind.TestResult> test) {
    }

    /** When {@link #sinkDataSource()} is null: the destination to test instead, or null when there is none. */
    default Destination otherDestination() {
        return null;
    }
}
