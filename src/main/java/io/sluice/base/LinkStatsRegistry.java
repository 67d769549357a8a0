package io.sluice.base;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link LinkStats} per link, each exported to Prometheus as sluice_link_* meters tagged with the link id. */
@ApplicationScoped
public class LinkStatsRegistry {

    private final Map<String, LinkStats> stats = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry registry;

    /** Declared with its default in the control plane's LinksConfig ({@code sluice.links.*}). */
    @ConfigProperty(name = "sluice.links.run-log-size")
    int runLogSize;

    public LinkStats of(String linkId) {
        return stats.computeIfAbsent(linkId, this::create);
    }

    /** Forgets a deleted link, including its meters. */
    public void remove(String linkId) {
        stats.remove(linkId);
        List<Meter> gone = meters.remove(linkId);
        if (gone != null) {
            gone.forEach(registry::remove);
        }
    }

    private LinkStats create(String linkId) {
        LinkStats s = new LinkStats(linkId, runLogSize);
        Tags tags = Tags.of("link", linkId);
        List<Meter> m = new ArrayList<>();
        m.add(FunctionCounter.builder("sluice.link.records.in", s, LinkStats::recordsIn)
                .tags(tags).description("Records read from the link's source").register(registry));
        m.add(FunctionCounter.builder("sluice.link.records.out", s, LinkStats::recordsOut)
                .tags(tags).description("Records durably written to the link's sink").register(registry));
        m.add(FunctionCounter.builder("sluice.link.records.failed", s, LinkStats::recordsFailed)
                .tags(tags).description("Records whose write attempt failed (retried, not lost)").register(registry));
        m.add(FunctionCounter.builder("sluice.link.records.dirty", s, LinkStats::recordsDirty)
                .tags(tags).description("Records sent to the dead-letter channel as dirty data").register(registry));
        m.add(Gauge.builder("sluice.link.lag.seconds", s, x -> x.lagMillis() / 1000.0)
                .tags(tags).description("Source time of the last written record behind now").register(registry));
        Timer latency = Timer.builder("sluice.link.latency").tags(tags)
                .description("Source commit to sink acknowledgement, per change (change links)")
                .publishPercentiles(0.5, 0.99).register(registry);
        m.add(latency);
        s.latencySink(ms -> latency.record(ms, java.util.concurrent.TimeUnit.MILLISECONDS));
        meters.put(linkId, m);
        return s;
    }
}
