package io.sluice.link;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.base.LinkStats;
import io.sluice.base.LinkStatsRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Each link's rows/s and lag over the last hour, for the console's charts: one sampler thread for all links takes a
 * point every {@code sluice.links.history-interval} (default 10 s), kept in memory (a restart starts afresh; the
 * Prometheus metrics are the durable record).
 */
@ApplicationScoped
public class LinkHistory {

    private static final Duration KEPT = Duration.ofHours(1);

    /** One sample: records out per second since the sample before, and the lag at the time. */
    public record Point(Instant time, double rowsPerSecond, double lagSeconds) {
    }

    /** What GET /api/links/{id}/history answers. */
    public record History(double intervalSeconds, List<Point> points) {
    }

    @Inject
    CamelContext camel;

    @Inject
    LinkStatsRegistry stats;

    @Inject
    LinksConfig config;

    private final PerLink<Series> series = new PerLink<>(Series::new);
    private Rounds sampler;

    /** A link's points, oldest first, and the counter of the sample before. */
    private static final class Series {
        final Deque<Point> points = new ArrayDeque<>();
        long lastOut = -1;
        long lastMs;
    }

    void start(@Observes StartupEvent startup) {
        sampler = Rounds.every(interval(), "sluice-link-history", "sampling the links' history", this::sample);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (sampler != null) {
            sampler.stop();
        }
    }

    /** The link's points of the last hour, oldest first (none before the first interval has passed). */
    public History of(String linkId) {
        Series s = series.get(linkId);
        List<Point> points;
        if (s == null) {
            points = List.of();
        } else {
            synchronized (s) {
                points = List.copyOf(s.points);
            }
        }
        return new History(interval().toMillis() / 1000.0, points);
    }

    private Duration interval() {
        // a zero or negative interval would make the executor throw at startup: sample every second at most
        return Rounds.atLeastASecond(config.links().historyInterval());
    }

    private void sample() {
        long now = System.currentTimeMillis();
        int keep = (int) Math.max(1, KEPT.toMillis() / interval().toMillis());
        series.forEach(camel, (id, s) -> { // a deleted link's history goes with it
            LinkStats st = stats.of(id);
            long out = st.recordsOut();
            synchronized (s) {
                if (s.lastOut >= 0) {
                    double seconds = Math.max(0.001, (now - s.lastMs) / 1000.0);
                    s.points.addLast(new Point(Instant.ofEpochMilli(now), Math.max(0, out - s.lastOut) / seconds,
                            st.lagMillis() / 1000.0));
                    while (s.points.size() > keep) {
                        s.points.removeFirst();
                    }
                }
                s.lastOut = out;
                s.lastMs = now;
            }
        });
    }
}
