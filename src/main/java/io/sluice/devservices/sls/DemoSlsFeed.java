package io.sluice.devservices.sls;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.LogItem;
import com.aliyun.openservices.log.common.TagContent;
import com.aliyun.openservices.log.request.PutLogsRequest;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.devservices.EmbeddedConfig;
import io.sluice.devservices.EmbeddedServers;
import io.sluice.sls.SlsClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** In the embedded default, writes a few access logs a second to the demo logstore with the real SLS SDK. */
@ApplicationScoped
public class DemoSlsFeed {

    private static final Logger LOG = Logger.getLogger(DemoSlsFeed.class);
    private static final String[] PATHS = {"/", "/cart", "/checkout", "/search", "/api/orders"};

    @Inject
    EmbeddedConfig config;

    private ScheduledExecutorService timer;
    private Client client;
    private final AtomicLong next = new AtomicLong(1);

    void start(@Observes StartupEvent event) {
        String port = System.getProperty(EmbeddedServers.SLS_PORT);
        if (!config.enabled() || port == null) {
            return;
        }
        client = SlsClients.create(DemoSls.ENDPOINT, DemoSls.ACCESS_KEY_ID, DemoSls.ACCESS_KEY_SECRET, null,
                "127.0.0.1", Integer.parseInt(port));
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sluice-demo-sls-feed"));
        timer.scheduleAtFixedRate(this::send, 1000, 1000, TimeUnit.MILLISECONDS);
        LOG.infof("Embedded demo feed: 5 logs/s to SLS logstore %s/%s", DemoSls.PROJECT, DemoSls.LOGSTORE);
    }

    private void send() {
        try {
            List<LogItem> items = new ArrayList<>();
            int now = (int) (System.currentTimeMillis() / 1000);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 5; i++) {
                LogItem item = new LogItem(now);
                item.PushBack("request_id", "req-" + next.getAndIncrement());
                item.PushBack("path", PATHS[random.nextInt(PATHS.length)]);
                item.PushBack("status", String.valueOf(random.nextInt(10) == 0 ? 500 : 200));
                item.PushBack("latency_ms", String.valueOf(random.nextInt(1, 900) / 10.0));
                items.add(item);
            }
            PutLogsRequest request = new PutLogsRequest(DemoSls.PROJECT, DemoSls.LOGSTORE, "access", "10.0.0.7", items);
            List<TagContent> tags = List.of(new TagContent("env", "demo"));
            request.SetTags(new ArrayList<>(tags));
            client.PutLogs(request);
        } catch (Exception e) {
            LOG.debugf("demo SLS feed: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
