package io.sluice.devservices.sls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sluice.devservices.sls.LocalSlsServer.SlsError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The consumer groups of one logstore of the {@link LocalSlsServer}, as SLS keeps them: create, list, update and
 * delete a group; heartbeats that spread the logstore's shards over the live consumers; checkpoints per shard.
 *
 * <p>Assignment, as the service does it: each heartbeat names the shards the consumer holds and is answered with the
 * shards it should hold. Shards are balanced over the consumers whose last heartbeat is younger than the group's
 * timeout and stay where they are when they can. A shard moved to another consumer is handed to it only once the
 * previous holder was answered without it and no longer lists it (it finished and committed its batch), or timed out,
 * so two consumers never read a shard at once.
 */
final class LocalConsumerGroups {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Group> groups = new TreeMap<>();

    private static final class Group {
        int timeoutSeconds;
        boolean order;
        final Map<String, Member> members = new TreeMap<>();
        /** Who each shard is (or is being) assigned to. */
        final Map<Integer, String> target = new TreeMap<>();
        final Map<Integer, Checkpoint> checkpoints = new TreeMap<>();

        Group(int timeoutSeconds, boolean order) {
            this.timeoutSeconds = timeoutSeconds;
            this.order = order;
        }
    }

    private static final class Member {
        long lastBeatMs;
        Set<Integer> held = Set.of();
        /** What its last heartbeat was answered: it may be reading these before it names them. */
        Set<Integer> given = Set.of();

        boolean busyWith(int shard) {
            return held.contains(shard) || given.contains(shard);
        }
    }

    private record Checkpoint(String checkpoint, long updateTimeMicros, String consumer) {
    }

    synchronized void create(JsonNode body) {
        String name = body.path("consumerGroup").asText("");
        if (name.isEmpty()) {
            throw new SlsError(400, "ParameterInvalid", "consumerGroup is missing");
        }
        if (groups.containsKey(name)) {
            throw new SlsError(400, "ConsumerGroupAlreadyExist", "consumer group " + name + " already exists");
        }
        groups.put(name, new Group(timeout(body), body.path("order").asBoolean(false)));
    }

    synchronized ArrayNode list() {
        ArrayNode a = JSON.createArrayNode();
        groups.forEach((name, g) -> a.addObject().put("name", name).put("timeout", g.timeoutSeconds).put("order", g.order));
        return a;
    }

    synchronized void update(String name, JsonNode body) {
        Group g = group(name);
        if (body.has("timeout")) {
            g.timeoutSeconds = timeout(body);
        }
        if (body.has("order")) {
            g.order = body.path("order").asBoolean();
        }
    }

    synchronized void delete(String name) {
        group(name);
        groups.remove(name);
    }

    /** A heartbeat of {@code consumer} holding {@code held}: the shards it should hold now. */
    synchronized List<Integer> heartbeat(String name, String consumer, JsonNode body, Set<Integer> shards, long nowMs) {
        if (consumer == null || consumer.isEmpty()) {
            throw new SlsError(400, "ParameterInvalid", "consumer is missing");
        }
        if (!body.isArray()) {
            throw new SlsError(400, "ParameterInvalid", "the heartbeat body must be a JSON array of shard ids");
        }
        Group g = group(name);
        Member m = g.members.computeIfAbsent(consumer, c -> new Member());
        Set<Integer> held = new HashSet<>();
        body.forEach(n -> held.add(n.asInt()));
        m.held = held;
        m.lastBeatMs = nowMs;
        g.members.values().removeIf(x -> nowMs - x.lastBeatMs > g.timeoutSeconds * 1000L);
        rebalance(g, shards);
        List<Integer> out = new ArrayList<>();
        g.target.forEach((shard, owner) -> {
            if (owner.equals(consumer) && g.members.entrySet().stream()
                    .noneMatch(e -> !e.getKey().equals(consumer) && e.getValue().busyWith(shard))) {
                out.add(shard);
            }
        });
        m.given = Set.copyOf(out);
        return out;
    }

    /** Sticky balance: every live consumer gets n/k or n/k + 1 shards, moving as few as possible. */
    private static void rebalance(Group g, Set<Integer> shards) {
        g.target.entrySet().removeIf(e -> !g.members.containsKey(e.getValue()) || !shards.contains(e.getKey()));
        if (g.members.isEmpty()) {
            return;
        }
        Map<String, List<Integer>> owned = new HashMap<>();
        g.members.keySet().forEach(c -> owned.put(c, new ArrayList<>()));
        g.target.forEach((shard, owner) -> owned.get(owner).add(shard));
        List<String> byLoad = new ArrayList<>(g.members.keySet());
        byLoad.sort(Comparator.comparingInt((String c) -> -owned.get(c).size()).thenComparing(c -> c));
        int base = shards.size() / byLoad.size();
        int extra = shards.size() % byLoad.size();
        Map<String, Integer> quota = new HashMap<>();
        for (int i = 0; i < byLoad.size(); i++) {
            quota.put(byLoad.get(i), base + (i < extra ? 1 : 0));
        }
        TreeSet<Integer> free = new TreeSet<>(shards);
        free.removeAll(g.target.keySet());
        for (String c : byLoad) {
            List<Integer> mine = owned.get(c);
            mine.sort(Comparator.reverseOrder());
            while (mine.size() > quota.get(c)) {
                int shard = mine.remove(0);
                g.target.remove(shard);
                free.add(shard);
            }
        }
        for (String c : byLoad) {
            while (owned.get(c).size() < quota.get(c) && !free.isEmpty()) {
                int shard = free.pollFirst();
                owned.get(c).add(shard);
                g.target.put(shard, c);
            }
        }
    }

    /**
     * A checkpoint from {@code consumer}: refused (ConsumerNotMatch) when the shard is neither assigned to it nor still
     * held by it, unless forced.
     */
    synchronized void checkpoint(String name, String consumer, boolean force, JsonNode body, Set<Integer> shards,
                                 long nowMs) {
        Group g = group(name);
        if (!body.has("shard") || !body.path("checkpoint").isTextual()) {
            throw new SlsError(400, "ParameterInvalid", "the checkpoint body needs shard and checkpoint");
        }
        int shard = body.path("shard").asInt();
        if (!shards.contains(shard)) {
            throw new SlsError(404, "ShardNotExist", "shard " + shard + " does not exist");
        }
        if (!force) {
            Member m = g.members.get(consumer);
            if (m == null || nowMs - m.lastBeatMs > g.timeoutSeconds * 1000L) {
                throw new SlsError(400, "ConsumerNotExist", "consumer " + consumer + " does not exist in group " + name);
            }
            if (!consumer.equals(g.target.get(shard)) && !m.busyWith(shard)) {
                throw new SlsError(400, "ConsumerNotMatch", "shard " + shard + " is not held by consumer " + consumer);
            }
        }
        g.checkpoints.put(shard, new Checkpoint(body.path("checkpoint").asText(), nowMs * 1000, consumer));
    }

    /** The checkpoints of one shard ({@code shard} >= 0) or of all shards that have one. */
    synchronized ArrayNode checkpoints(String name, int shard) {
        Group g = group(name);
        ArrayNode a = JSON.createArrayNode();
        g.checkpoints.forEach((s, c) -> {
            if (shard < 0 || s == shard) {
                a.addObject().put("shard", s).put("checkpoint", c.checkpoint()).put("updateTime", c.updateTimeMicros())
                        .put("consumer", c.consumer());
            }
        });
        return a;
    }

    /** Which shards each consumer of a group held in its last heartbeat (for tests). */
    synchronized Map<String, Set<Integer>> held(String name) {
        Map<String, Set<Integer>> out = new TreeMap<>();
        Group g = groups.get(name);
        if (g != null) {
            g.members.forEach((c, m) -> out.put(c, new TreeSet<>(m.held)));
        }
        return out;
    }

    private Group group(String name) {
        Group g = groups.get(name);
        if (g == null) {
            throw new SlsError(404, "ConsumerGroupNotExist", "consumer group " + name + " does not exist");
        }
        return g;
    }

    private static int timeout(JsonNode body) {
        int t = body.path("timeout").asInt(0);
        if (t < 1 || t > 86_400) {
            throw new SlsError(400, "ParameterInvalid", "timeout must be 1 to 86400 seconds, not " + body.path("timeout"));
        }
        return t;
    }
}
