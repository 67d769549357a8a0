package io.sluice.devservices.sls;

import com.aliyun.openservices.log.common.Logs;
import com.aliyun.openservices.log.exception.LogException;
import com.aliyun.openservices.log.util.LZ4Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local Simple Log Service (SLS) server speaking the HTTP API the {@code aliyun-log} SDK uses, for the embedded
 * default and the tests: ListShard, GetCursor (time, begin, end), PullLogs (LZ4-compressed protobuf LogGroupList
 * with the cursor headers), PutLogs, GetLogs, SplitShard, MergeShards and the consumer-group calls (create, list,
 * update, delete, heartbeat, update and get checkpoint: {@link LocalConsumerGroups}). It checks the SLS v1 request signature of
 * every request and answers errors with SLS's error JSON, so the real SDK throws its real {@code LogException}.
 *
 * <p>The SDK reaches it through its HTTP proxy setting ({@code ClientConfiguration.setProxyHost/Port}) with any
 * invented endpoint such as {@code cn-local.log.local}: requests arrive in absolute form and the project is the
 * first label of the {@code Host}. Data is kept in memory. Cursors are base64 of the decimal index of a log group in
 * its shard, as on SLS. GetCursor by time uses the time the server received the data; {@link #shiftClock} moves
 * the server's clock so a test can write data "before" and "after" a start time without waiting.
 */
public final class LocalSlsServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigInteger HASH_SPACE = BigInteger.ONE.shiftLeft(128);

    private final HttpServer http;
    private final ExecutorService executor;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Logstore>> projects = new ConcurrentHashMap<>();
    private final AtomicLong clockOffsetMs = new AtomicLong();
    private final Map<String, AtomicInteger> readThrottles = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<String> unreachableConsumers = ConcurrentHashMap.newKeySet();

    private LocalSlsServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /** Starts a server on a free loopback port. */
    public static LocalSlsServer start() {
        return start(0);
    }

    public static LocalSlsServer start(int port) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            AtomicInteger n = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "local-sls-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            http.setExecutor(executor);
            LocalSlsServer server = new LocalSlsServer(http, executor);
            http.createContext("/", server::handle);
            http.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the local SLS server: " + e.getMessage(), e);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Accepts requests signed with this AccessKey. */
    public LocalSlsServer addAccessKey(String accessKeyId, String accessKeySecret) {
        secrets.put(accessKeyId, accessKeySecret);
        return this;
    }

    /** Accepts requests signed with this temporary (STS) AccessKey and carrying this security token. */
    public LocalSlsServer addStsAccessKey(String accessKeyId, String accessKeySecret, String securityToken) {
        secrets.put(accessKeyId, accessKeySecret);
        tokens.put(accessKeyId, securityToken);
        return this;
    }

    /** Creates a logstore (and its project) with shards splitting the hash space evenly; no-op if it exists. */
    public LocalSlsServer createLogstore(String project, String logstore, int shardCount) {
        projects.computeIfAbsent(project, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(logstore, l -> new Logstore(shardCount, nowSeconds()));
        return this;
    }

    /** Moves the server's clock (receive times, GetCursor by time) forward or back. */
    public void shiftClock(long millis) {
        clockOffsetMs.addAndGet(millis);
    }

    /** The server's clock, epoch ms. */
    public long nowMillis() {
        return System.currentTimeMillis() + clockOffsetMs.get();
    }

    /** The next {@code times} PullLogs on this logstore answer 403 ReadQuotaExceed. */
    public void throttleReads(String project, String logstore, int times) {
        readThrottles.computeIfAbsent(project + "/" + logstore, k -> new AtomicInteger()).set(times);
    }

    /** How many requests of an API (e.g. "PullLogs", "ListShard", or an error code such as "SignatureNotMatch") were answered. */
    public int calls(String api) {
        AtomicInteger c = calls.get(api);
        return c == null ? 0 : c.get();
    }

    /** Splits a read-write shard in the middle of its hash range: it becomes read-only, two children take its range. */
    public List<Integer> split(String project, String logstore, int shardId) {
        return logstore(project, logstore).split(shardId, null, nowSeconds());
    }

    /** Merges a read-write shard with the next adjacent one: both become read-only, one child takes both ranges. */
    public int merge(String project, String logstore, int shardId) {
        return logstore(project, logstore).merge(shardId, nowSeconds());
    }

    /** Which shards each consumer of a consumer group held in its last heartbeat, by consumer name. */
    public Map<String, Set<Integer>> consumerGroupShards(String project, String logstore, String consumerGroup) {
        return logstore(project, logstore).groups.held(consumerGroup);
    }

    /**
     * Heartbeats and checkpoints of consumers whose name contains {@code consumerPart} fail (500) while
     * {@code unreachable}, as for a consumer cut off from SLS: the group loses it after its timeout.
     */
    public void consumerUnreachable(String consumerPart, boolean unreachable) {
        if (unreachable) {
            unreachableConsumers.add(consumerPart);
        } else {
            unreachableConsumers.remove(consumerPart);
        }
    }

    /** Total logs stored in a logstore (all shards). */
    public long logCount(String project, String logstore) {
        return logstore(project, logstore).logCount();
    }

    private Logstore logstore(String project, String logstore) {
        Map<String, Logstore> p = projects.get(project);
        Logstore ls = p == null ? null : p.get(logstore);
        if (ls == null) {
            throw new IllegalArgumentException("no logstore " + project + "/" + logstore);
        }
        return ls;
    }

    private int nowSeconds() {
        return (int) (nowMillis() / 1000);
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "local SLS server (HTTP proxy) at 127.0.0.1:" + port();
    }

    // ---------------------------------------------------------------------------------------------------------
    // HTTP

    /** An error answered with SLS's error JSON. */
    static final class SlsError extends RuntimeException {
        final int status;
        final String code;

        SlsError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private record Request(String method, String host, String path, Map<String, String> params,
                           Map<String, String> headers, byte[] body) {
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                Request r = read(ex);
                authenticate(r);
                route(ex, r);
            } catch (SlsError e) {
                count(e.code);
                ObjectNode err = JSON.createObjectNode().put("errorCode", e.code).put("errorMessage", e.getMessage());
                send(ex, e.status, JSON.writeValueAsBytes(err), Map.of("Content-Type", "application/json"));
            } catch (RuntimeException e) {
                ObjectNode err = JSON.createObjectNode().put("errorCode", "InternalServerError")
                        .put("errorMessage", String.valueOf(e));
                send(ex, 500, JSON.writeValueAsBytes(err), Map.of("Content-Type", "application/json"));
            }
        }
    }

    private static Request read(HttpExchange ex) throws IOException {
        URI uri = ex.getRequestURI();
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            host = uri.getHost();
        }
        Map<String, String> params = new TreeMap<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                params.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            }
        }
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.isEmpty() ? "" : v.get(0)));
        byte[] body = ex.getRequestBody().readAllBytes();
        String path = URLDecoder.decode(uri.getRawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        return new Request(ex.getRequestMethod(), host, path, params, headers, body);
    }

    /** The SLS v1 signature: HMAC-SHA1 over method, Content-MD5, Content-Type, Date, x-log-/x-acs- headers, path and params. */
    private void authenticate(Request r) {
        String auth = r.headers().get("authorization");
        if (auth == null || !auth.startsWith("LOG ") || auth.indexOf(':') < 0) {
            throw new SlsError(401, "Unauthorized", "The request has no valid Authorization header");
        }
        String id = auth.substring(4, auth.lastIndexOf(':'));
        String signature = auth.substring(auth.lastIndexOf(':') + 1);
        String secret = secrets.get(id);
        if (secret == null) {
            throw new SlsError(401, "Unauthorized", "AccessKeyId not found: " + id);
        }
        String token = tokens.get(id);
        if (token != null && !token.equals(r.headers().get("x-acs-security-token"))) {
            throw new SlsError(401, "Unauthorized", "The security token you provided is invalid");
        }
        String md5 = r.headers().getOrDefault("content-md5", "");
        if (r.body().length > 0 && !md5.equals(md5Hex(r.body()))) {
            throw new SlsError(400, "InvalidContentMD5", "The Content-MD5 of the request does not match its body");
        }
        StringBuilder s = new StringBuilder();
        s.append(r.method()).append('\n').append(md5).append('\n')
                .append(r.headers().getOrDefault("content-type", "")).append('\n')
                .append(r.headers().getOrDefault("date", "")).append('\n');
        StringBuilder h = new StringBuilder();
        r.headers().forEach((k, v) -> {
            if (k.startsWith("x-log-") || k.startsWith("x-acs-")) {
                if (h.length() > 0) {
                    h.append('\n');
                }
                h.append(k).append(':').append(v);
            }
        });
        s.append(h).append('\n').append(r.path());
        if (!r.params().isEmpty()) {
            StringBuilder p = new StringBuilder();
            r.params().forEach((k, v) -> p.append(p.length() > 0 ? "&" : "").append(k).append('=').append(v));
            s.append('?').append(p);
        }
        if (!signature.equals(hmacSha1(secret, s.toString()))) {
            throw new SlsError(401, "SignatureNotMatch", "signature " + signature + " not match");
        }
    }

    private void route(HttpExchange ex, Request r) throws IOException {
        String project = r.host() == null ? "" : r.host().split("[.:]", 2)[0];
        String[] seg = r.path().split("/");
        if (seg.length == 2 && "logstores".equals(seg[1]) && "GET".equals(r.method())) {
            // ListLogStores: what a data source's connection test asks
            Map<String, Logstore> p = projects.get(project);
            if (p == null) {
                throw new SlsError(404, "ProjectNotExist", "The Project does not exist : " + project);
            }
            count("ListLogStores");
            List<String> names = new ArrayList<>(new java.util.TreeSet<>(p.keySet()));
            ObjectNode out = JSON.createObjectNode().put("count", names.size()).put("total", names.size());
            names.forEach(out.putArray("logstores")::add);
            sendJson(ex, out);
            return;
        }
        // /logstores/{ls}/shards[/{id}|/lb|/route] or /logstores/{ls}/logs
        if (seg.length < 4 || !"logstores".equals(seg[1])) {
            throw new SlsError(400, "InvalidParameter", "unsupported request " + r.method() + " " + r.path());
        }
        Map<String, Logstore> p = projects.get(project);
        if (p == null) {
            throw new SlsError(404, "ProjectNotExist", "The Project does not exist : " + project);
        }
        Logstore ls = p.get(seg[2]);
        if (ls == null) {
            throw new SlsError(404, "LogStoreNotExist", "logstore " + seg[2] + " does not exist");
        }
        String what = seg[3];
        if ("logs".equals(what) && "POST".equals(r.method())) {
            count("GetLogs");
            send(ex, 200, ls.getLogs(JSON.readTree(r.body())), Map.of("Content-Type", "application/json",
                    "x-log-progress", "Complete"));
            return;
        }
        if ("consumergroups".equals(what)) {
            consumerGroups(ex, r, ls, seg);
            return;
        }
        if (!"shards".equals(what)) {
            throw new SlsError(400, "InvalidParameter", "unsupported request " + r.method() + " " + r.path());
        }
        if (seg.length == 4 && "GET".equals(r.method())) {
            count("ListShard");
            sendJson(ex, ls.listShards(null));
        } else if (seg.length == 5 && "POST".equals(r.method()) && ("lb".equals(seg[4]) || "route".equals(seg[4]))) {
            count("PutLogs");
            ls.put(decodePut(r), "route".equals(seg[4]) ? r.params().get("key") : null, nowMillis());
            send(ex, 200, new byte[0], Map.of());
        } else if (seg.length == 5 && "GET".equals(r.method())) {
            int shard = shardId(seg[4]);
            String type = r.params().getOrDefault("type", "");
            if ("cursor".equals(type)) {
                count("GetCursor");
                sendJson(ex, JSON.createObjectNode().put("cursor", ls.cursor(shard, r.params().get("from"))));
            } else if ("log".equals(type)) {
                count("PullLogs");
                AtomicInteger throttle = readThrottles.get(project + "/" + seg[2]);
                if (throttle != null && throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new SlsError(403, "ReadQuotaExceed", "shard read quota exceed");
                }
                pull(ex, ls, shard, r.params());
            } else {
                throw new SlsError(400, "InvalidParameter", "unsupported shard request type '" + type + "'");
            }
        } else if (seg.length == 5 && "POST".equals(r.method())) {
            int shard = shardId(seg[4]);
            String action = r.params().getOrDefault("action", "");
            if ("split".equals(action)) {
                count("SplitShard");
                List<Integer> children = ls.split(shard, r.params().get("key"), nowSeconds());
                sendJson(ex, ls.listShards(children));
            } else if ("merge".equals(action)) {
                count("MergeShards");
                int child = ls.merge(shard, nowSeconds());
                sendJson(ex, ls.listShards(List.of(child)));
            } else {
                throw new SlsError(400, "InvalidParameter", "unsupported shard action '" + action + "'");
            }
        } else {
            throw new SlsError(400, "InvalidParameter", "unsupported request " + r.method() + " " + r.path());
        }
    }

    /** /logstores/{ls}/consumergroups[/{group}]: the calls of Aliyun's consumer library and the SDK's Client. */
    private void consumerGroups(HttpExchange ex, Request r, Logstore ls, String[] seg) throws IOException {
        LocalConsumerGroups groups = ls.groups;
        String method = r.method();
        if (seg.length == 4 && "GET".equals(method)) {
            count("ListConsumerGroup");
            sendJson(ex, groups.list());
            return;
        }
        if (seg.length == 4 && "POST".equals(method)) {
            count("CreateConsumerGroup");
            groups.create(json(r));
            send(ex, 200, new byte[0], Map.of());
            return;
        }
        if (seg.length != 5) {
            throw new SlsError(400, "InvalidParameter", "unsupported request " + method + " " + r.path());
        }
        String group = seg[4];
        String consumer = r.params().get("consumer");
        String type = r.params().getOrDefault("type", "");
        if ("POST".equals(method) && consumer != null
                && unreachableConsumers.stream().anyMatch(consumer::contains)) {
            throw new SlsError(500, "InternalServerError", "consumer " + consumer + " is cut off (test)");
        }
        if ("PUT".equals(method)) {
            count("UpdateConsumerGroup");
            groups.update(group, json(r));
            send(ex, 200, new byte[0], Map.of());
        } else if ("DELETE".equals(method)) {
            count("DeleteConsumerGroup");
            groups.delete(group);
            send(ex, 200, new byte[0], Map.of());
        } else if ("POST".equals(method) && "heartbeat".equals(type)) {
            count("ConsumerGroupHeartBeat");
            ArrayNode out = JSON.createArrayNode();
            groups.heartbeat(group, consumer, json(r), ls.shardIds(), System.currentTimeMillis()).forEach(out::add);
            sendJson(ex, out);
        } else if ("POST".equals(method) && "checkpoint".equals(type)) {
            count("ConsumerGroupUpdateCheckPoint");
            groups.checkpoint(group, consumer, "true".equals(r.params().get("forceSuccess")), json(r), ls.shardIds(),
                    System.currentTimeMillis());
            send(ex, 200, new byte[0], Map.of());
        } else if ("GET".equals(method)) {
            count("ConsumerGroupGetCheckPoint");
            String shard = r.params().get("shard");
            sendJson(ex, groups.checkpoints(group, shard == null ? -1 : shardId(shard)));
        } else {
            throw new SlsError(400, "InvalidParameter", "unsupported request " + method + " " + r.path() + " type '" + type + "'");
        }
    }

    private static JsonNode json(Request r) {
        try {
            return JSON.readTree(r.body().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : r.body());
        } catch (IOException e) {
            throw new SlsError(400, "PostBodyInvalid", "the body is not JSON: " + e.getMessage());
        }
    }

    private void count(String api) {
        calls.computeIfAbsent(api, k -> new AtomicInteger()).incrementAndGet();
    }

    private static int shardId(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new SlsError(400, "InvalidParameter", "shard id '" + s + "' is not a number");
        }
    }

    private static Logs.LogGroup decodePut(Request r) {
        byte[] body = r.body();
        String compress = r.headers().getOrDefault("x-log-compresstype", "");
        try {
            if ("lz4".equals(compress)) {
                body = LZ4Encoder.decompressFromLhLz4Chunk(body, Integer.parseInt(r.headers().get("x-log-bodyrawsize")));
            } else if (!compress.isEmpty()) {
                throw new SlsError(400, "InvalidCompressType", "compress type " + compress + " is not supported here");
            }
            return Logs.LogGroup.parseFrom(body);
        } catch (LogException | IOException | NumberFormatException e) {
            throw new SlsError(400, "PostBodyInvalid", "the log group cannot be decoded: " + e.getMessage());
        }
    }

    private void pull(HttpExchange ex, Logstore ls, int shard, Map<String, String> params) throws IOException {
        int count;
        try {
            count = Math.max(1, Math.min(1000, Integer.parseInt(params.getOrDefault("count", "100"))));
        } catch (NumberFormatException e) {
            throw new SlsError(400, "InvalidParameter", "count is not a number");
        }
        Shard s = ls.shard(shard);
        long from = decodeCursor(params.get("cursor"));
        long to;
        List<byte[]> groups;
        synchronized (ls) {
            long size = s.groups.size();
            if (from < 0 || from > size) {
                throw new SlsError(400, "InvalidCursor", "cursor is out of range");
            }
            long end = params.containsKey("end_cursor") ? Math.min(size, decodeCursor(params.get("end_cursor"))) : size;
            to = Math.max(from, Math.min(end, from + count));
            groups = new ArrayList<>(s.groups.subList((int) from, (int) to)).stream().map(g -> g.bytes).toList();
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (byte[] g : groups) {
            raw.write(0x0A); // LogGroupList.logGroupList = 1, length-delimited
            writeVarint(raw, g.length);
            raw.write(g, 0, g.length);
        }
        byte[] rawBytes = raw.toByteArray();
        byte[] body;
        try {
            body = rawBytes.length == 0 ? new byte[0] : LZ4Encoder.compressToLhLz4Chunk(rawBytes);
        } catch (LogException e) {
            throw new SlsError(500, "InternalServerError", e.getMessage());
        }
        send(ex, 200, body, Map.of("Content-Type", "application/x-protobuf",
                "x-log-cursor", encodeCursor(to),
                "x-log-count", String.valueOf(groups.size()),
                "x-log-bodyrawsize", String.valueOf(rawBytes.length),
                "x-log-compresstype", "lz4"));
    }

    private static void writeVarint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    static String encodeCursor(long index) {
        return Base64.getEncoder().encodeToString(Long.toString(index).getBytes(StandardCharsets.US_ASCII));
    }

    static long decodeCursor(String cursor) {
        try {
            return Long.parseLong(new String(Base64.getDecoder().decode(cursor), StandardCharsets.US_ASCII));
        } catch (RuntimeException e) {
            throw new SlsError(400, "InvalidCursor", "cursor " + cursor + " is not valid");
        }
    }

    private static void sendJson(HttpExchange ex, JsonNode node) throws IOException {
        send(ex, 200, JSON.writeValueAsBytes(node), Map.of("Content-Type", "application/json"));
    }

    private static void send(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("x-log-requestid", UUID.randomUUID().toString().replace("-", "").toUpperCase());
        ex.getResponseHeaders().set("Server", "local-sls");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String md5Hex(byte[] body) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5").digest(body);
            StringBuilder s = new StringBuilder();
            for (byte b : d) {
                s.append(String.format("%02X", b));
            }
            return s.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmacSha1(String secret, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Data

    private record StoredGroup(long receivedAtMs, byte[] bytes, Logs.LogGroup group) {
    }

    private static final class Shard {
        final int id;
        String status = "readwrite";
        final BigInteger begin;
        final BigInteger end;
        final int createTime;
        final List<StoredGroup> groups = new ArrayList<>();

        Shard(int id, BigInteger begin, BigInteger end, int createTime) {
            this.id = id;
            this.begin = begin;
            this.end = end;
            this.createTime = createTime;
        }

        boolean covers(BigInteger key) {
            return key.compareTo(begin) >= 0 && key.compareTo(end) < 0;
        }
    }

    private static String hex(BigInteger v) {
        String s = v.toString(16);
        return "0".repeat(Math.max(0, 32 - s.length())) + s;
    }

    private final class Logstore {
        private final Map<Integer, Shard> shards = new TreeMap<>();
        private final LocalConsumerGroups groups = new LocalConsumerGroups();
        private int nextPut;

        Logstore(int shardCount, int createTime) {
            BigInteger step = HASH_SPACE.divide(BigInteger.valueOf(shardCount));
            for (int i = 0; i < shardCount; i++) {
                BigInteger b = step.multiply(BigInteger.valueOf(i));
                BigInteger e = i == shardCount - 1 ? HASH_SPACE : step.multiply(BigInteger.valueOf(i + 1));
                shards.put(i, new Shard(i, b, e, createTime));
            }
        }

        synchronized Shard shard(int id) {
            Shard s = shards.get(id);
            if (s == null) {
                throw new SlsError(404, "ShardNotExist", "shard " + id + " does not exist");
            }
            return s;
        }

        synchronized Set<Integer> shardIds() {
            return Set.copyOf(shards.keySet());
        }

        synchronized ArrayNode listShards(List<Integer> only) {
            ArrayNode a = JSON.createArrayNode();
            for (Shard s : shards.values()) {
                if (only == null || only.contains(s.id)) {
                    a.addObject().put("shardID", s.id).put("status", s.status)
                            .put("inclusiveBeginKey", hex(s.begin))
                            .put("exclusiveEndKey", s.end.equals(HASH_SPACE) ? "ffffffffffffffffffffffffffffffff" : hex(s.end))
                            .put("createTime", s.createTime);
                }
            }
            return a;
        }

        synchronized void put(Logs.LogGroup group, String hashKey, long now) {
            Shard target = null;
            List<Shard> writable = shards.values().stream().filter(s -> "readwrite".equals(s.status)).toList();
            if (hashKey != null) {
                BigInteger key = new BigInteger(hashKey, 16);
                target = writable.stream().filter(s -> s.covers(key)).findFirst().orElse(null);
            } else if (!writable.isEmpty()) {
                target = writable.get(nextPut++ % writable.size());
            }
            if (target == null) {
                throw new SlsError(400, "ShardWriteQuotaExceed", "no writable shard for key " + hashKey);
            }
            target.groups.add(new StoredGroup(now, group.toByteArray(), group));
        }

        synchronized String cursor(int shardId, String from) {
            Shard s = shard(shardId);
            if ("begin".equals(from)) {
                return encodeCursor(0);
            }
            if ("end".equals(from)) {
                return encodeCursor(s.groups.size());
            }
            long seconds;
            try {
                seconds = Long.parseLong(from);
            } catch (NumberFormatException | NullPointerException e) {
                throw new SlsError(400, "InvalidParameter", "from must be begin, end or Unix seconds, not " + from);
            }
            int i = 0;
            while (i < s.groups.size() && s.groups.get(i).receivedAtMs() / 1000 < seconds) {
                i++;
            }
            return encodeCursor(i);
        }

        synchronized List<Integer> split(int shardId, String midHash, int now) {
            Shard parent = shard(shardId);
            if (!"readwrite".equals(parent.status)) {
                throw new SlsError(400, "ShardNotExist", "shard " + shardId + " is read-only and cannot be split");
            }
            BigInteger mid = midHash != null ? new BigInteger(midHash, 16) : parent.begin.add(parent.end).shiftRight(1);
            if (mid.compareTo(parent.begin) <= 0 || mid.compareTo(parent.end) >= 0) {
                throw new SlsError(400, "InvalidParameter", "split key " + midHash + " is outside shard " + shardId);
            }
            parent.status = "readonly";
            int a = nextId();
            shards.put(a, new Shard(a, parent.begin, mid, now));
            int b = nextId();
            shards.put(b, new Shard(b, mid, parent.end, now));
            return List.of(a, b);
        }

        synchronized int merge(int shardId, int now) {
            Shard left = shard(shardId);
            Shard right = shards.values().stream()
                    .filter(s -> "readwrite".equals(s.status) && s.begin.equals(left.end)).findFirst()
                    .orElseThrow(() -> new SlsError(400, "InvalidParameter", "shard " + shardId + " has no adjacent shard to merge with"));
            left.status = "readonly";
            right.status = "readonly";
            int c = nextId();
            shards.put(c, new Shard(c, left.begin, right.end, now));
            return c;
        }

        private int nextId() {
            return shards.keySet().stream().max(Comparator.naturalOrder()).orElse(-1) + 1;
        }

        synchronized long logCount() {
            return shards.values().stream().flatMap(s -> s.groups.stream()).mapToLong(g -> g.group().getLogsCount()).sum();
        }

        /** GetLogs without an index query: the logs whose __time__ is in [from, to), newest first when reverse. */
        synchronized byte[] getLogs(JsonNode req) throws IOException {
            long from = req.path("from").asLong(0);
            long to = req.path("to").asLong(Long.MAX_VALUE);
            int line = req.path("line").asInt(100);
            int offset = req.path("offset").asInt(0);
            boolean reverse = req.path("reverse").asBoolean(false);
            String topic = req.path("topic").asText("");
            List<ObjectNode> logs = new ArrayList<>();
            for (Shard s : shards.values()) {
                for (StoredGroup sg : s.groups) {
                    Logs.LogGroup g = sg.group();
                    if (!topic.isEmpty() && !topic.equals(g.getTopic())) {
                        continue;
                    }
                    for (Logs.Log log : g.getLogsList()) {
                        if (log.getTime() < from || log.getTime() >= to) {
                            continue;
                        }
                        ObjectNode o = JSON.createObjectNode();
                        o.put("__time__", String.valueOf(log.getTime()));
                        o.put("__topic__", g.getTopic());
                        o.put("__source__", g.getSource());
                        for (Logs.LogTag t : g.getLogTagsList()) {
                            o.put("__tag__:" + t.getKey(), t.getValue());
                        }
                        for (Logs.Log.Content c : log.getContentsList()) {
                            o.put(c.getKey(), c.getValue());
                        }
                        o.put("__receive_ms__", sg.receivedAtMs());
                        o.put("__seq__", logs.size());
                        logs.add(o);
                    }
                }
            }
            Comparator<ObjectNode> byTime = Comparator.comparingLong((ObjectNode o) -> Long.parseLong(o.get("__time__").asText()))
                    .thenComparingLong(o -> o.get("__receive_ms__").asLong())
                    .thenComparingLong(o -> o.get("__seq__").asLong());
            logs.sort(reverse ? byTime.reversed() : byTime);
            ArrayNode data = JSON.createArrayNode();
            logs.stream().skip(offset).limit(line).forEach(o -> {
                o.remove("__receive_ms__");
                o.remove("__seq__");
                data.add(o);
            });
            ObjectNode out = JSON.createObjectNode();
            out.putObject("meta").put("progress", "Complete").put("count", data.size()).put("processedRows", logs.size());
            out.set("data", data);
            return JSON.writeValueAsBytes(out);
        }
    }
}
