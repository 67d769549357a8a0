package io.sluice.deploy;

import io.sluice.cluster.ClusterConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.alert.AlertsConfig;
import io.sluice.binlog.MySqlConfig;
import io.sluice.devservices.EmbeddedConfig;
import io.sluice.jdbc.JdbcConfig;
import io.sluice.kafka.KafkaConfig;
import io.sluice.link.LinksConfig;
import io.sluice.maxcompute.MaxComputeConfig;
import io.sluice.sls.SlsConfig;
import io.sluice.state.StateConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The manifests of deploy/kubernetes as Kubernetes and Sluice will read them: parsed by the fabric8 client's model,
 * and their Sluice settings checked against the application's own config mappings (no Quarkus boot: a plain
 * SmallRyeConfig with the same mappings), so a renamed setting or a broken selector fails here, not in a cluster.
 */
class KubernetesManifestsTest {

    static final Path DIR = Path.of("deploy/kubernetes");

    /**
     * Every {@code @ConfigMapping} of the application under {@code sluice}: a {@code sluice.*} name none of them
     * knows is an error, as it would be a setting the app silently ignores.
     */
    static final List<ConfigClass> MAPPINGS = List.of(
            new ConfigClass(LinksConfig.class, "sluice"),
            new ConfigClass(StateConfig.class, "sluice.state"),
            new ConfigClass(JdbcConfig.class, "sluice.jdbc"),
            new ConfigClass(KafkaConfig.class, "sluice.kafka"),
            new ConfigClass(SlsConfig.class, "sluice.sls"),
            new ConfigClass(MySqlConfig.class, "sluice.mysql"),
            new ConfigClass(MaxComputeConfig.class, "sluice.maxcompute"),
            new ConfigClass(AlertsConfig.class, "sluice.alerts"),
            new ConfigClass(EmbeddedConfig.class, "sluice.embedded"),
            new ConfigClass(ClusterConfig.class, "sluice.cluster"));

    static Map<String, HasMetadata> objects;
    static Deployment deployment;
    static Container container;
    static Properties clusterProperties;

    @BeforeAll
    static void parse() throws IOException {
        objects = new LinkedHashMap<>();
        for (String file : kustomizationResources()) {
            try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
                HasMetadata object = Serialization.unmarshal(in);
                objects.put(object.getKind() + "/" + object.getMetadata().getName(), object);
            }
        }
        deployment = object(Deployment.class, "sluice");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(1, pod.getContainers().size(), "one container per pod");
        container = pod.getContainers().get(0);
        clusterProperties = new Properties();
        clusterProperties.load(new StringReader(object(ConfigMap.class, "sluice-config").getData().get("application.properties")));
    }

    @SuppressWarnings("unchecked")
    static List<String> kustomizationResources() throws IOException {
        Map<String, Object> kustomization;
        try (InputStream in = Files.newInputStream(DIR.resolve("kustomization.yaml"))) {
            kustomization = Serialization.unmarshal(in, Map.class);
        }
        List<String> resources = (List<String>) kustomization.get("resources");
        // a manifest left out of the kustomization would silently not be applied
        try (Stream<Path> files = Files.list(DIR)) {
            Set<String> onDisk = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(onDisk, new TreeSet<>(resources), "kustomization.yaml resources vs the files of " + DIR);
        }
        return resources;
    }

    static <T extends HasMetadata> T object(Class<T> type, String name) {
        HasMetadata o = objects.get(HasMetadata.getKind(type) + "/" + name);
        assertNotNull(o, HasMetadata.getKind(type) + " " + name + " in " + DIR + " (found " + objects.keySet() + ")");
        return type.cast(o);
    }

    @Test
    void twoReplicasWhosePodsTheServiceAndTheElectionSelect() {
        assertEquals(2, deployment.getSpec().getReplicas());
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertContains(podLabels, deployment.getSpec().getSelector().getMatchLabels(), "the Deployment's selector");
        Service service = object(Service.class, "sluice");
        assertContains(podLabels, service.getSpec().getSelector(), "the Service's selector");
        assertContains(podLabels, labels(clusterSetting("sluice.cluster.kubernetes.pod-selector")), "the election's pod selector");
        assertEquals(Map.of("app", "sluice"), labels(defaultOf("sluice.cluster.kubernetes.pod-selector")),
                "the default pod selector");

        assertEquals(1, service.getSpec().getPorts().size());
        assertEquals(8080, service.getSpec().getPorts().get(0).getPort());
        assertEquals(8080, containerPort(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()));
    }

    @Test
    void probesAskTheHealthEndpoints() {
        assertProbe(container.getReadinessProbe(), "/q/health/ready", "readiness");
        assertProbe(container.getLivenessProbe(), "/q/health/live", "liveness");
        assertProbe(container.getStartupProbe(), "/q/health/live", "startup");
    }

    @Test
    void shutdownGraceOutlastsTheLinksStopTimeout() {
        Duration stopTimeout = config(clusterProperties).getConfigMapping(LinksConfig.class).links().stopTimeout();
        long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(grace > stopTimeout.toSeconds(), "terminationGracePeriodSeconds " + grace + " must exceed the stop timeout " + stopTimeout);
    }

    @Test
    void roleGrantsExactlyTheElectionsLeasesAndPods() {
        Role role = object(Role.class, "sluice");
        Map<String, Set<String>> grants = new HashMap<>();
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    grants.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        assertEquals(Map.of(
                "coordination.k8s.io/leases", Set.of("get", "list", "watch", "create", "update", "patch"),
                "/pods", Set.of("get", "list", "watch")), grants);
    }

    @Test
    void theDeploymentRunsAsTheServiceAccountTheRoleIsBoundTo() {
        String account = object(ServiceAccount.class, "sluice").getMetadata().getName();
        assertEquals(account, deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
        RoleBinding binding = object(RoleBinding.class, "sluice");
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(object(Role.class, "sluice").getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(1, binding.getSubjects().size());
        assertEquals("ServiceAccount", binding.getSubjects().get(0).getKind());
        assertEquals(account, binding.getSubjects().get(0).getName());
    }

    @Test
    void memberIdIsThePodNameAndTheAdvertisedUrlThePodItself() {
        assertEquals("metadata.name", env("SLUICE_CLUSTER_INSTANCE_ID").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("status.podIP", env("POD_IP").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("http://$(POD_IP):8080", env("SLUICE_CLUSTER_ADVERTISED_URL").getValue());
        // $(VAR) is only expanded from variables defined earlier in the list
        List<String> names = container.getEnv().stream().map(EnvVar::getName).toList();
        assertTrue(names.indexOf("POD_IP") < names.indexOf("SLUICE_CLUSTER_ADVERTISED_URL"), "POD_IP before its use: " + names);
    }

    @Test
    void secretsComeFromKeysTheSecretTemplateHas() {
        Secret secret = object(Secret.class, "sluice-secrets");
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                assertEquals(secret.getMetadata().getName(), var.getValueFrom().getSecretKeyRef().getName(), var.getName());
                assertTrue(secret.getStringData().containsKey(var.getValueFrom().getSecretKeyRef().getKey()),
                        var.getName() + " reads key " + var.getValueFrom().getSecretKeyRef().getKey() + ", not in " + secret.getStringData().keySet());
            }
        }
        assertNotNull(env("SLUICE_API_TOKEN").getValueFrom().getSecretKeyRef(), "the API token from the Secret");
        assertNotNull(env("SLUICE_STATE_JDBC_PASSWORD").getValueFrom().getSecretKeyRef(), "the state password from the Secret");
    }

    @Test
    void configAndRoutesAreMountedWhereTheAppReadsThem() {
        Map<String, String> mounts = container.getVolumeMounts().stream()
                .collect(Collectors.toMap(m -> m.getName(), m -> m.getMountPath()));
        Map<String, String> configMaps = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null)
                .collect(Collectors.toMap(v -> v.getName(), v -> v.getConfigMap().getName()));
        // $PWD/config/application.properties (Dockerfile.jvm: the working directory is /deployments)
        assertEquals("/deployments/config", mounts.get(volumeOf(configMaps, "sluice-config")));
        assertEquals("/deployments/" + defaultOf("sluice.links.routes-dir"), mounts.get(volumeOf(configMaps, "sluice-routes")));
        assertTrue(object(ConfigMap.class, "sluice-routes").getData().keySet().stream().allMatch(k -> k.endsWith(".yaml")),
                "route files are loaded by *.yaml");
    }

    @Test
    void everySluiceSettingIsOneTheApplicationKnows() throws IOException {
        SmallRyeConfig config = config(clusterProperties);
        assertEquals("kubernetes", config.getRawValue("sluice.cluster.kind"));
        assertEquals(StateConfig.Kind.JDBC, config.getConfigMapping(StateConfig.class).store());

        // other names (quarkus.*, camel.*) can only be checked against the shipped file they override
        Properties shipped = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            shipped.load(in);
        }
        for (String name : clusterProperties.stringPropertyNames()) {
            assertTrue(name.startsWith("sluice.") || shipped.containsKey(name),
                    name + " in config.yaml is neither a sluice.* setting nor one the shipped application.properties sets");
        }

        Set<Pattern> known = MAPPINGS.stream()
                .flatMap(m -> ConfigMappings.getProperties(m).keySet().stream())
                .map(KubernetesManifestsTest::envNamePattern)
                .collect(Collectors.toSet());
        for (EnvVar var : container.getEnv()) {
            if (var.getName().startsWith("SLUICE_")) {
                assertTrue(known.stream().anyMatch(p -> p.matcher(var.getName()).matches()),
                        "env " + var.getName() + " of the Deployment names no setting of the application");
            }
        }
    }

    @Test
    void anUnknownSluiceSettingFailsTheCheck() {
        Properties wrong = new Properties();
        wrong.putAll(clusterProperties);
        wrong.setProperty("sluice.cluster.kubernetes.pod-selektor", "app=sluice");
        ConfigValidationException e = assertThrows(ConfigValidationException.class, () -> config(wrong));
        assertTrue(e.getMessage().contains("pod-selektor"), e.getMessage());
        assertTrue(envNamePattern("sluice.mysql.*.password").matcher("SLUICE_MYSQL_SHOP_PASSWORD").matches());
        assertTrue(!envNamePattern("sluice.state.jdbc.password").matcher("SLUICE_STATE_DB_PASSWORD").matches());
    }

    /** The app's mappings over these properties; unknown {@code sluice.*} names and unconvertible values throw. */
    static SmallRyeConfig config(Properties properties) {
        Map<String, String> values = new HashMap<>();
        properties.forEach((k, v) -> values.put((String) k, (String) v));
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "deploy/kubernetes/config.yaml", 260))
                // Quarkus's Duration syntax (30S, 10M), as in the app
                .withConverter(Duration.class, 200, new DurationConverter())
                .withValidateUnknown(true);
        MAPPINGS.forEach(builder::withMapping);
        return builder.build();
    }

    /** The environment variable names SmallRye maps to a property name ({@code *}: a map key, e.g. a data source). */
    static Pattern envNamePattern(String property) {
        StringBuilder regex = new StringBuilder();
        for (String part : property.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append("[A-Z0-9_]+");
            }
            regex.append(Pattern.quote(part.replaceAll("[^A-Za-z0-9]", "_").toUpperCase()));
        }
        return Pattern.compile(regex.toString());
    }

    static String clusterSetting(String name) {
        return config(clusterProperties).getConfigValue(name).getValue();
    }

    static String defaultOf(String name) {
        return config(new Properties()).getConfigValue(name).getValue();
    }

    static Map<String, String> labels(String selector) {
        return Stream.of(selector.split(",")).map(s -> s.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0].trim(), kv -> kv[1].trim()));
    }

    static void assertContains(Map<String, String> labels, Map<String, String> selector, String what) {
        assertTrue(!selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet()),
                what + " " + selector + " must select the pod labels " + labels);
    }

    static void assertProbe(Probe probe, String path, String which) {
        assertNotNull(probe, which + " probe");
        assertEquals(path, probe.getHttpGet().getPath(), which + " probe path");
        assertEquals(8080, containerPort(probe.getHttpGet().getPort().getStrVal()), which + " probe port");
    }

    static int containerPort(String name) {
        return container.getPorts().stream().filter(p -> p.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name)).getContainerPort();
    }

    static EnvVar env(String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("env " + name + " not set on the Deployment's container"));
    }

    static String volumeOf(Map<String, String> configMaps, String configMap) {
        return configMaps.entrySet().stream().filter(e -> e.getValue().equals(configMap)).map(Map.Entry::getKey)
                .findFirst().orElseGet(() -> fail("no volume of ConfigMap " + configMap));
    }
}
