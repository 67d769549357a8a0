package io.sluice.kafka;

import io.sluice.base.DataSourceKind;
import io.sluice.base.SecretMasker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka data sources for the management API: every {@code sluice.kafka.<name>} cluster and, as {@code default},
 * the cluster of {@code kafka.bootstrap.servers} (the shipped links' {@code brokers}). The test describes the cluster.
 */
@ApplicationScoped
public class KafkaDataSources implements DataSourceKind {

    static final String DEFAULT = "default";
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    @Inject
    KafkaConfig config;

    @Override
    public String kind() {
        return "kafka";
    }

    @Override
    public List<Described> list() {
        List<Described> out = new ArrayList<>();
        defaultServers().filter(s -> !config.kafka().containsKey(DEFAULT)).ifPresent(servers -> out.add(new Described(DEFAULT, kind(), servers, null,
                Map.of("property", "kafka.bootstrap.servers"))));
        new TreeMap<>(config.kafka()).forEach((name, c) -> {
            // client properties worth showing; a secret one (sasl.jaas.config, ssl passwords) is left out entirely
            Map<String, Object> details = new LinkedHashMap<>();
            new TreeMap<>(c.properties()).forEach((k, v) -> {
                if (!SecretMasker.isSecretKey(k)) {
                    details.put(k, SecretMasker.maskText(v));
                }
            });
            String jaas = c.properties().get("sasl.jaas.config");
            Matcher user = jaas == null ? null : JAAS_USER.matcher(jaas);
            out.add(new Described(name, kind(), c.bootstrapServers(), user != null && user.find() ? user.group(1) : null,
                    details));
        });
        return out;
    }

    @Override
    public TestResult test(String name) {
        Properties p;
        String where;
        if (DEFAULT.equals(name) && !config.kafka().containsKey(DEFAULT)) {
            String servers = defaultServers().orElseThrow(() -> new IllegalArgumentException(
                    "no Kafka data source named 'default': kafka.bootstrap.servers is not set"));
            p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            where = "kafka.bootstrap.servers";
        } else {
            p = KafkaClusters.named(config.kafka(), "Kafka data source", name).clientProperties();
            where = "sluice.kafka." + name + ".bootstrap-servers";
        }
        return KafkaClusters.test(p, where);
    }

    private static Optional<String> defaultServers() {
        return ConfigProvider.getConfig().getOptionalValue("kafka.bootstrap.servers", String.class)
                .filter(s -> !s.isBlank());
    }
}
