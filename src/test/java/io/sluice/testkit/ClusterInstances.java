package io.sluice.testkit;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Several packaged Sluice instances with the same routes and one shared state database (a cluster,
 * {@code sluice.cluster.kind}): their settings, and a watch that asks every instance every 100 ms which links it runs
 * itself, so a test can say who runs a link and that no link ever ran on two instances at once.
 */
public final class ClusterInstances implements AutoCloseable {

    private final Map<String, SluiceProcess> instances = new LinkedHashMap<>();
    private final String token;
    private final Map<String, Integer> mostRunnersByLink = new HashMap<>();
    private volatile boolean watching = true;
    private final Thread watch;

    /**
     * Instances {@code ids} (each its own working directory under target/, the instance id its member id) with
     * {@code settings} and {@code routes}; not started.
     */
    public ClusterInstances(String testName, List<String> ids, Map<String, String> settings, Map<String, String> routes,
                            String token) throws Exception {
        this(testName, ids, settings, id -> Map.of(), routes, token);
    }

    /**
     * As {@link #ClusterInstances(String, List, Map, Map, String)}, each instance with {@code ownSettings} of its id
     * besides (e.g. its own proxy in front of a server, to cut that server off for one instance only).
     */
    public ClusterInstances(String testName, List<String> ids, Map<String, String> settings,
                            java.util.function.Function<String, Map<String, String>> ownSettings,
                            Map<String, String> routes, String token) throws Exception {
        this.token = token;
        for (String id : ids) {
            Map<String, String> own = new HashMap<>(settings);
            own.putAll(ownSettings.apply(id));
            own.put("sluice.cluster.instance-id", id);
            own.put("sluice.api.token", token);
            instances.put(id, new SluiceProcess(java.nio.file.Path.of("target", testName + "-" + id), own, routes));
        }
        watch = new Thread(this::watch, "cluster-runner-watch");
        watch.setDaemon(true);
    }

    public SluiceProcess instance(String id) {
        return instances.get(id);
    }

    public List<String> ids() {
        return List.copyOf(instances.keySet());
    }

    /** Starts every instance (at the same time, as a Deployment's pods start), and the watch. */
    public void start() throws Exception {
        start(ids());
    }

    /**
     * Starts instances {@code ids} (at the same time), and the watch if it is not running yet. Starting one first lets
     * it win every election, for a test that must know where the links run.
     */
    public void start(List<String> ids) throws Exception {
        // a thread each: the common pool may have a single thread on a small machine
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(ids.size());
        try {
            List<java.util.concurrent.Future<Object>> starts = new ArrayList<>();
            for (SluiceProcess p : ids.stream().map(instances::get).toList()) {
                starts.add(threads.submit(() -> {
                    p.start();
                    return null;
                }));
            }
            for (java.util.concurrent.Future<Object> f : starts) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            threads.shutdown();
        }
        if (!watch.isAlive()) {
            watch.start();
        }
    }

    /** The instance that runs link {@code link} now (as it says itself), waiting up to {@code within} for one. */
    public String awaitRunner(String link, Duration within) {
        String[] found = new String[1];
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            found[0] = runnerNow(link);
            return found[0] != null;
        });
        return found[0];
    }

    /** Waits up to {@code within} until instance {@code id} runs link {@code link} (as it says itself). */
    public void awaitRunnerIs(String link, String id, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> id.equals(runnerNow(link)));
    }

    /** The instance whose own view shows {@code link} running or retrying, or null. */
    public String runnerNow(String link) {
        for (Map.Entry<String, SluiceProcess> e : instances.entrySet()) {
            String state = localState(e.getValue(), link);
            if ("running".equals(state) || "retrying".equals(state)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Link {@code link}'s state in the instance's own view (standby where another runs it), or null if unreachable. */
    public String localState(SluiceProcess p, String link) {
        try {
            JsonPath list = RestAssured.given().baseUri(p.baseUrl()).header("Authorization", "Bearer " + token)
                    .header("X-Sluice-Scope", "local").get("/api/links").then().extract().jsonPath();
            return list.getString("find { it.id == '" + link + "' }.state");
        } catch (Exception e) {
            return null;
        }
    }

    /** GET {@code path} of instance {@code id} with the token, as JSON. */
    public JsonPath get(String id, String path) {
        return RestAssured.given().baseUri(instances.get(id).baseUrl()).header("Authorization", "Bearer " + token)
                .get(path).then().statusCode(200).extract().jsonPath();
    }

    /** Instance {@code id}'s readiness ({@code /q/health/ready}), UP or DOWN. */
    public JsonPath readiness(String id) {
        return RestAssured.given().baseUri(instances.get(id).baseUrl()).get("/q/health/ready").then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(503)))
                .extract().jsonPath();
    }

    /** POST {@code path} to instance {@code id} with the token; the answer's status. */
    public int post(String id, String path) {
        return RestAssured.given().baseUri(instances.get(id).baseUrl()).header("Authorization", "Bearer " + token)
                .post(path).then().extract().statusCode();
    }

    /** The most instances that ran link {@code link} at the same moment since the watch started. */
    public int mostRunners(String link) {
        synchronized (mostRunnersByLink) {
            return mostRunnersByLink.getOrDefault(link, 0);
        }
    }

    private void watch() {
        while (watching) {
            Map<String, Integer> running = new HashMap<>();
            for (SluiceProcess p : instances.values()) {
                try {
                    List<Map<String, Object>> links = RestAssured.given().baseUri(p.baseUrl())
                            .header("Authorization", "Bearer " + token).header("X-Sluice-Scope", "local")
                            .get("/api/links").then().extract().jsonPath().getList("$");
                    for (Map<String, Object> l : links) {
                        if ("running".equals(l.get("state")) || "retrying".equals(l.get("state"))) {
                            running.merge((String) l.get("id"), 1, Integer::sum);
                        }
                    }
                } catch (Exception e) {
                    // killed or starting: runs nothing it could tell
                }
            }
            synchronized (mostRunnersByLink) {
                running.forEach((link, n) -> mostRunnersByLink.merge(link, n, Math::max));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws Exception {
        watching = false;
        watch.interrupt();
        for (SluiceProcess p : instances.values()) {
            p.close();
        }
    }
}
