package io.sluice.devservices.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.account.AliyunRequestSigner;
import com.aliyun.odps.commons.proto.ProtobufRecordStreamReader;
import com.aliyun.odps.commons.proto.ProtobufRecordStreamWriter;
import com.aliyun.odps.commons.transport.Request;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.sluice.devservices.maxcompute.McCatalog.McError;
import io.sluice.devservices.maxcompute.McCatalog.McTable;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A local MaxCompute server that speaks the REST API and the table tunnel protocol the real {@code odps-sdk-core}
 * uses (facts in the project's {@code reference/maxcompute-wire.md}), so that tests and the embedded default run
 * the real SDK code path without the cloud service.
 *
 * <ul>
 *   <li>REST under {@code /api}: SQL instances (the DDL {@link McSql} understands, run synchronously; polling,
 *       task status and result answer as MaxCompute does), table metadata and existence, partitions (get, list),
 *       the project, tunnel discovery, and the SDK's telemetry upload (ignored).</li>
 *   <li>Tunnel at the root: batch upload sessions (create, reload with the block list, blocks, commit) and
 *       download sessions (create, reload, data by row range). Blocks are decoded with the SDK's own
 *       {@link ProtobufRecordStreamReader} and downloads encoded with {@link ProtobufRecordStreamWriter}, honouring
 *       {@code Content-Encoding}/{@code Accept-Encoding} deflate, snappy, lz4 and zstd as the SDK sends them.</li>
 *   <li>Every request must carry a valid AccessKey signature ({@code Authorization: ODPS id:sig}), checked with the
 *       SDK's own {@link AliyunRequestSigner}; a wrong key gets MaxCompute's 403 error (XML on REST, JSON on the
 *       tunnel), so the SDK throws its real exception.</li>
 * </ul>
 *
 * <p>Vert.x, not the JDK HttpServer: the SDK looks response headers up case-sensitively ({@code Content-Encoding},
 * {@code x-odps-start-time}) and the JDK server rewrites their case. State is in memory.
 *
 * <p>Fault injection for tests: {@link #failNextCommits(int, CommitFault)}.
 *
 * <p>Assumptions where the real service's behaviour is not documented: a committed upload session reports
 * status {@code closed}, and committing it again answers 200 without applying anything twice.
 */
public final class LocalMaxCompute implements AutoCloseable {

    /** What an injected commit failure does. */
    public enum CommitFault {
        /** Answer 500 and apply nothing (the SDK retries 5xx itself after 1 s, 2 s, ...). */
        REJECT_500,
        /** Apply the commit, then drop the connection without an answer (the client cannot know it worked). */
        APPLY_THEN_DROP_CONNECTION,
        /** Forget the session (as when it expired), then answer 404 NoSuchUpload. */
        EXPIRE_SESSION
    }

    private static final Logger LOG = Logger.getLogger(LocalMaxCompute.class);
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final Vertx vertx;
    private final HttpServer server;
    private final int port;
    private final Map<String, String> accessKeys = new ConcurrentHashMap<>();
    private final McCatalog catalog = new McCatalog();
    private final McSql sql = new McSql(catalog);
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final Map<String, UploadSession> uploads = new ConcurrentHashMap<>();
    private final Map<String, DownloadSession> downloads = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);
    private final List<Object[]> commitFaults = new ArrayList<>(); // {table or null, fault}
    private final AtomicLong commitRequests = new AtomicLong();
    private volatile boolean decodeBlocksOnRead;

    private LocalMaxCompute(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
        this.port = server.actualPort();
    }

    /** Starts a server on a free loopback port with one project and one AccessKey pair. */
    public static LocalMaxCompute start(String project, String accessId, String accessKey) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(1));
        LocalMaxCompute[] self = new LocalMaxCompute[1];
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(req -> self[0].handle(req))
                    .listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            self[0] = new LocalMaxCompute(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("could not start the local MaxCompute server: " + e.getMessage(), e);
        }
        self[0].addProject(project);
        self[0].addAccessKey(accessId, accessKey);
        return self[0];
    }

    public LocalMaxCompute addProject(String project) {
        catalog.addProject(project);
        return this;
    }

    public LocalMaxCompute addAccessKey(String accessId, String accessKey) {
        accessKeys.put(accessId, accessKey);
        return this;
    }

    public int port() {
        return port;
    }

    /** The REST endpoint for {@code Odps.setEndpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/api";
    }

    /** The tunnel endpoint for {@code TableTunnel.setEndpoint} (also what tunnel discovery answers). */
    public String tunnelEndpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The next {@code count} upload-session commits fail as {@code fault} says. */
    public void failNextCommits(int count, CommitFault fault) {
        failNextCommits(null, count, fault);
    }

    /** The next {@code count} upload-session commits into {@code table} (any table if null) fail as {@code fault} says. */
    public synchronized void failNextCommits(String table, int count, CommitFault fault) {
        for (int i = 0; i < count; i++) {
            commitFaults.add(new Object[] {table == null ? null : table.toLowerCase(Locale.ROOT), fault});
        }
    }

    /** How many commit requests (POST ?uploadid) arrived, failed ones included. */
    public long commitRequests() {
        return commitRequests.get();
    }

    /** Committed rows of a table (or one partition, {@code k=v/k2=v2}), for tests that look behind the SDK. */
    public List<Object[]> rows(String project, String table, String partition) {
        McTable t = catalog.table(project, table);
        if (t == null) {
            return List.of();
        }
        List<Object[]> rows = t.rowsOf(partition == null ? "" : t.partitionKey(partition));
        return rows == null ? List.of() : rows;
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing the local MaxCompute server", e);
        }
        vertx.close();
    }

    @Override
    public String toString() {
        return "local MaxCompute at " + endpoint();
    }

    // ---------------------------------------------------------------------------------------------- dispatch

    /** The name of the server's event-loop thread, where it does all its work (benchmarks count its CPU time by it). */
    public static final String THREAD_NAME = "local-maxcompute-server";

    private void handle(HttpServerRequest req) {
        // Vert.x names its threads alike in every instance; this one's is renamed so a benchmark can tell the test
        // server's CPU time from the link's in the same JVM (Vert.x does not go by thread names).
        if (!THREAD_NAME.equals(Thread.currentThread().getName())) {
            Thread.currentThread().setName(THREAD_NAME);
        }
        req.body().onComplete(ar -> {
            if (ar.failed()) {
                req.response().setStatusCode(400).end();
                return;
            }
            byte[] body = ar.result().getBytes();
            String path = URLDecoder.decode(req.path(), StandardCharsets.UTF_8);
            boolean rest = path.startsWith("/api/") || path.equals("/api");
            String resource = rest ? path.substring(4) : path;
            Map<String, String> params = params(req.params());
            String requestId = Long.toHexString(ids.incrementAndGet());
            req.response().putHeader("x-odps-request-id", requestId);
            try {
                authenticate(req, resource, params);
                if (rest) {
                    restCall(req, resource, params, body);
                } else {
                    tunnelCall(req, resource, params, body);
                }
            } catch (McError e) {
                if (!req.response().ended() && !req.response().closed()) {
                    if (rest) {
                        sendXmlError(req.response(), e, requestId);
                    } else {
                        sendJsonError(req.response(), e, requestId);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("local MaxCompute server: " + req.method() + " " + path + " failed", e);
                McError err = new McError(500, "InternalServerError", "local MaxCompute server error: " + e);
                if (!req.response().ended() && !req.response().closed()) {
                    if (rest) {
                        sendXmlError(req.response(), err, requestId);
                    } else {
                        sendJsonError(req.response(), err, requestId);
                    }
                }
            }
        });
    }

    private static Map<String, String> params(MultiMap query) {
        Map<String, String> params = new TreeMap<>();
        query.forEach(e -> params.put(e.getKey(), e.getValue()));
        return params;
    }

    private void authenticate(HttpServerRequest req, String resource, Map<String, String> params) {
        String auth = req.getHeader("Authorization");
        if (auth == null || !auth.startsWith("ODPS ") || auth.indexOf(':') < 0) {
            throw new McError(401, "Unauthorized", "ODPS-0410001:Authentication request expired or not signed");
        }
        String accessId = auth.substring(5, auth.lastIndexOf(':'));
        String secret = accessKeys.get(accessId);
        if (secret == null) {
            throw new McError(403, "InvalidAccessKeyId",
                    "ODPS-0410051:Invalid credentials - accessKeyId not found: " + accessId);
        }
        Request signed = new Request();
        signed.setMethod(Request.Method.valueOf(req.method().name()));
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
        headers.remove("Authorization");
        headers.remove("authorization");
        signed.setHeaders(headers);
        signed.setParameters(new HashMap<>(params));
        String expected = new AliyunRequestSigner(accessId, secret).getSignature(resource, signed);
        if (!expected.equals(auth)) {
            throw new McError(403, "SignatureNotMatch",
                    "ODPS-0410042:Invalid signature value - User signature dose not match");
        }
    }

    // ---------------------------------------------------------------------------------------------- REST

    private void restCall(HttpServerRequest req, String resource, Map<String, String> params, byte[] body) {
        String[] p = Arrays.stream(resource.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        String method = req.method().name();
        if (p.length < 2 || !p[0].equals("projects")) {
            throw new McError(404, "NoSuchObject", "ODPS-0420111:Unknown resource " + resource);
        }
        String project = p[1];
        if (!catalog.hasProject(project)) {
            throw new McError(404, "NoSuchProject", "ODPS-0420111:Project not found - '" + project + "'.");
        }
        if (p.length == 2 && method.equals("GET")) {
            // the SDK's Project.reload reads the project's times from these headers (a data source's connection test)
            String created = RFC_1123.format(ZonedDateTime.now(ZoneOffset.UTC));
            req.response().putHeader("x-odps-creation-time", created).putHeader("Last-Modified", created);
            sendXml(req.response(), 200, "<Project><Name>" + esc(project) + "</Name><Type>managed</Type>"
                    + "<State>AVAILABLE</State><Owner>ALIYUN$sluice</Owner><Properties></Properties></Project>");
        } else if (p.length == 3 && p[2].equals("logs")) {
            req.response().setStatusCode(200).end();
        } else if (p.length == 3 && p[2].equals("tunnel") && params.containsKey("service")) {
            req.response().setStatusCode(200).putHeader("Content-Type", "text/plain")
                    .end("127.0.0.1:" + port);
        } else if (p.length == 3 && p[2].equals("instances") && method.equals("POST")) {
            createInstance(req.response(), project, body);
        } else if (p.length == 4 && p[2].equals("instances") && method.equals("GET")) {
            instance(req.response(), project, p[3], params);
        } else if (p.length == 4 && p[2].equals("tables") && method.equals("GET")) {
            table(req.response(), project, p[3], params);
        } else {
            throw new McError(404, "NoSuchObject", "ODPS-0420111:the local MaxCompute server does not serve "
                    + method + " " + resource);
        }
    }

    private record Instance(String id, String taskName, String error) {
    }

    private void createInstance(HttpServerResponse resp, String project, byte[] body) {
        String query;
        String taskName;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            NodeList queries = doc.getElementsByTagName("Query");
            if (queries.getLength() == 0) {
                throw new McError(400, "InvalidArgument", "ODPS-0410001:the job has no SQL task");
            }
            query = queries.item(0).getTextContent();
            NodeList names = doc.getElementsByTagName("Name");
            taskName = names.getLength() == 0 ? "AnonymousSQLTask" : names.item(0).getTextContent();
        } catch (McError e) {
            throw e;
        } catch (Exception e) {
            throw new McError(400, "InvalidXmlRequest", "ODPS-0410001:invalid job XML: " + e.getMessage());
        }
        String error = null;
        try {
            sql.run(project, query);
        } catch (McSql.SqlFailure e) {
            error = e.getMessage();
        }
        String id = "local" + Long.toString(ids.incrementAndGet(), 36);
        instances.put(id, new Instance(id, taskName, error));
        resp.setStatusCode(201).putHeader("Location", endpoint() + "/projects/" + project + "/instances/" + id)
                .putHeader("Content-Length", "0").end();
    }

    private void instance(HttpServerResponse resp, String project, String id, Map<String, String> params) {
        Instance inst = instances.get(id);
        if (inst == null) {
            throw new McError(404, "NoSuchObject", "ODPS-0420111:Instance not found - '" + id + "'");
        }
        String taskStatus = inst.error == null ? "Success" : "Failed";
        String task = "<Task Type=\"SQL\"><Name>" + esc(inst.taskName) + "</Name>";
        if (params.containsKey("result")) {
            String text = inst.error == null ? "OK" : inst.error;
            sendXml(resp, 200, "<Instance><Tasks>" + task + "<Result Format=\"text\"><![CDATA[" + text
                    + "]]></Result><Status>" + taskStatus + "</Status></Task></Tasks></Instance>");
            return;
        }
        String now = RFC_1123.format(ZonedDateTime.now(ZoneOffset.UTC));
        resp.putHeader("x-odps-owner", "ALIYUN$sluice").putHeader("x-odps-start-time", now)
                .putHeader("x-odps-end-time", now);
        if (params.containsKey("taskstatus")) {
            sendXml(resp, 200, "<Instance><Status>Terminated</Status><Tasks>" + task + "<Status>" + taskStatus
                    + "</Status></Task></Tasks></Instance>");
        } else {
            // no <Tasks> here: the SDK would take them for the results of a synchronous instance
            sendXml(resp, 200, "<Instance><Status>Terminated</Status></Instance>");
        }
    }

    private void table(HttpServerResponse resp, String project, String name, Map<String, String> params) {
        McTable t = catalog.table(project, name);
        if (t == null) {
            throw new McError(404, "NoSuchObject", "ODPS-0130131:Table not found - '" + project + "." + name + "'");
        }
        if (params.containsKey("partitions")) {
            StringBuilder xml = new StringBuilder("<Partitions>");
            List<String> keys;
            synchronized (t) {
                keys = new ArrayList<>(t.rows.keySet());
            }
            boolean namesOnly = params.containsKey("name");
            for (String key : keys) {
                if (key.isEmpty()) {
                    continue;
                }
                xml.append("<Partition>");
                if (namesOnly) {
                    xml.append("<Name>").append(esc(key.replace('/', ','))).append("</Name>");
                } else {
                    for (String kv : key.split("/")) {
                        String[] pair = kv.split("=", 2);
                        xml.append("<Column Name=\"").append(esc(pair[0])).append("\" Value=\"").append(esc(pair[1]))
                                .append("\"/>");
                    }
                }
                xml.append("</Partition>");
            }
            sendXml(resp, 200, xml.append("<Marker></Marker></Partitions>").toString());
            return;
        }
        if (params.containsKey("partition")) {
            String key = t.partitionKey(params.get("partition"));
            List<Object[]> rows = key == null ? null : t.rowsOf(key);
            if (rows == null) {
                throw new McError(404, "NoSuchPartition", "ODPS-0130131:Partition not found - '"
                        + params.get("partition") + "' in " + project + "." + name);
            }
            JsonObject meta = new JsonObject();
            meta.addProperty("createTime", t.createdSeconds);
            meta.addProperty("lastDDLTime", t.createdSeconds);
            meta.addProperty("lastModifiedTime", t.lastModifiedSeconds);
            meta.addProperty("partitionRecordNum", rows.size());
            sendXml(resp, 200, "<Partition><Schema><![CDATA[" + meta + "]]></Schema></Partition>");
            return;
        }
        JsonObject schema = schemaJson(t.schema());
        schema.addProperty("tableName", t.name);
        schema.addProperty("owner", "ALIYUN$sluice");
        schema.addProperty("createTime", t.createdSeconds);
        schema.addProperty("lastDDLTime", t.lastModifiedSeconds);
        schema.addProperty("lastModifiedTime", t.lastModifiedSeconds);
        schema.addProperty("isVirtualView", false);
        schema.addProperty("isExternal", false);
        schema.addProperty("lifecycle", -1);
        sendXml(resp, 200, "<Table><Name>" + esc(t.name) + "</Name><TableId>" + esc(t.name) + "</TableId><Project>"
                + esc(t.project) + "</Project><Type>MANAGED_TABLE</Type><Schema><![CDATA[" + schema
                + "]]></Schema></Table>");
    }

    // ---------------------------------------------------------------------------------------------- tunnel

    private static final class UploadSession {
        final String id;
        final McTable table;
        final String partitionKey;
        final TableSchema schema;
        /** Block id to its rows (decoded when written, or when first read: {@link #decodeBlocksOnRead}). */
        final Map<Long, Supplier<List<Object[]>>> blocks = new TreeMap<>();
        boolean committed;

        UploadSession(String id, McTable table, String partitionKey, TableSchema schema) {
            this.id = id;
            this.table = table;
            this.partitionKey = partitionKey;
            this.schema = schema;
        }
    }

    private record DownloadSession(String id, TableSchema schema, List<Object[]> rows) {
    }

    private void tunnelCall(HttpServerRequest req, String resource, Map<String, String> params, byte[] body) {
        String[] p = Arrays.stream(resource.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (p.length != 4 || !p[0].equals("projects") || !p[2].equals("tables")) {
            throw new McError(404, "NoSuchObject", "the local MaxCompute tunnel does not serve " + resource);
        }
        if (!catalog.hasProject(p[1])) {
            throw new McError(404, "NoSuchProject", "Project not found - '" + p[1] + "'.");
        }
        McTable table = catalog.table(p[1], p[3]);
        if (table == null) {
            throw new McError(404, "NoSuchTable", "Table not found - '" + p[1] + "." + p[3] + "'.");
        }
        String method = req.method().name();
        HttpServerResponse resp = req.response();
        if (params.containsKey("uploads") && method.equals("POST")) {
            String key = existingPartition(table, params.get("partition"));
            UploadSession s = new UploadSession(newSessionId(), table, key, table.schema());
            uploads.put(s.id, s);
            sendJson(resp, 200, uploadJson(s));
        } else if (params.containsKey("uploadid")) {
            UploadSession s = uploads.get(params.get("uploadid"));
            if (s == null || s.table != table) {
                throw new McError(404, "NoSuchUpload", "The specified upload id does not exist: "
                        + params.get("uploadid"));
            }
            if (method.equals("PUT") && params.containsKey("blockid")) {
                writeBlock(req, s, Long.parseLong(params.get("blockid")), body);
            } else if (method.equals("GET")) {
                synchronized (s) {
                    sendJson(resp, 200, uploadJson(s));
                }
            } else if (method.equals("POST")) {
                commit(req, s);
            } else {
                throw new McError(400, "InvalidArgument", method + " ?uploadid is not supported");
            }
        } else if (params.containsKey("downloads") && method.equals("POST")) {
            String key = existingPartition(table, params.get("partition"));
            List<Object[]> rows = table.rowsOf(key);
            DownloadSession s = new DownloadSession(newSessionId(), table.schema(), rows);
            downloads.put(s.id, s);
            sendJson(resp, 200, downloadJson(s));
        } else if (params.containsKey("downloadid")) {
            DownloadSession s = downloads.get(params.get("downloadid"));
            if (s == null) {
                throw new McError(404, "NoSuchDownload", "The specified download id does not exist: "
                        + params.get("downloadid"));
            }
            if (params.containsKey("data")) {
                sendData(req, s, params);
            } else {
                sendJson(resp, 200, downloadJson(s));
            }
        } else {
            throw new McError(400, "InvalidArgument", "the local MaxCompute tunnel does not serve " + method + " "
                    + resource + " " + params.keySet());
        }
    }

    private String existingPartition(McTable table, String spec) {
        String key = table.partitionKey(spec);
        if (key == null) {
            throw new McError(400, table.partitioned() ? "MissingPartitionSpec" : "InvalidPartitionSpec",
                    "Invalid partition spec '" + spec + "' for table " + table.project + "." + table.name);
        }
        synchronized (table) {
            if (table.partitioned() && !table.rows.containsKey(key)) {
                throw new McError(404, "NoSuchPartition", "The specified partition does not exist: " + spec);
            }
            table.rows.putIfAbsent(key, new ArrayList<>());
        }
        return key;
    }

    private String newSessionId() {
        return String.format(Locale.ROOT, "%032x", ids.incrementAndGet());
    }

    private void writeBlock(HttpServerRequest req, UploadSession s, long blockId, byte[] body) {
        if (blockId < 0 || blockId >= 20000) {
            throw new McError(400, "InvalidBlockID", "block id must be within [0, 20000): " + blockId);
        }
        CompressOption option = compressOption(req.getHeader("Content-Encoding"));
        Supplier<List<Object[]>> rows;
        if (decodeBlocksOnRead) {
            rows = () -> decode(s.schema, body, option, blockId); // called once: the table drains a block when read
        } else {
            List<Object[]> now = decode(s.schema, body, option, blockId);
            rows = () -> now;
        }
        synchronized (s) {
            if (s.committed) {
                throw new McError(409, "StatusConflict", "the upload session " + s.id + " is already committed");
            }
            s.blocks.put(blockId, rows); // the same block id written again replaces the block, as on MaxCompute
        }
        req.response().setStatusCode(200).putHeader("Content-Length", "0").end();
    }

    private static List<Object[]> decode(TableSchema schema, byte[] body, CompressOption option, long blockId) {
        List<Object[]> rows = new ArrayList<>();
        try {
            ProtobufRecordStreamReader reader = new ProtobufRecordStreamReader(schema, new ByteArrayInputStream(body),
                    option);
            for (Record r = reader.read(); r != null; r = reader.read()) {
                rows.add(r.toArray());
            }
            reader.close();
        } catch (IOException | RuntimeException e) {
            throw new McError(400, "MalformedDataStream", "block " + blockId + " could not be read: " + e.getMessage());
        }
        return rows;
    }

    /**
     * For benchmarks: keep written blocks as they came (compressed) and decode them when the table is read. The
     * server's decoding and its decoded rows on the heap (a million rows of objects, collected over and over) are then
     * not part of the link's time measured beside it; the test stand-in's cost is not the link's. A malformed block
     * then fails when read, not when written: tests of the sink's errors keep the default (decode when written).
     */
    public LocalMaxCompute decodeBlocksOnRead(boolean onRead) {
        this.decodeBlocksOnRead = onRead;
        return this;
    }

    private void commit(HttpServerRequest req, UploadSession s) {
        commitRequests.incrementAndGet();
        CommitFault fault = null;
        synchronized (this) {
            for (int i = 0; i < commitFaults.size(); i++) {
                Object[] f = commitFaults.get(i);
                if (f[0] == null || f[0].equals(s.table.name)) {
                    fault = (CommitFault) commitFaults.remove(i)[1];
                    break;
                }
            }
        }
        if (fault == CommitFault.REJECT_500) {
            throw new McError(500, "InternalServerError", "injected commit failure (the commit was not applied)");
        }
        if (fault == CommitFault.EXPIRE_SESSION) {
            uploads.remove(s.id);
            throw new McError(404, "NoSuchUpload", "The specified upload id does not exist: " + s.id);
        }
        synchronized (s) {
            if (!s.committed) {
                s.table.append(s.partitionKey, List.copyOf(s.blocks.values()));
                s.committed = true;
            }
        }
        if (fault == CommitFault.APPLY_THEN_DROP_CONNECTION) {
            req.connection().close();
            return;
        }
        synchronized (s) {
            sendJson(req.response(), 200, uploadJson(s));
        }
    }

    private void sendData(HttpServerRequest req, DownloadSession s, Map<String, String> params) {
        long start = 0;
        long count = s.rows.size();
        String range = params.get("rowrange");
        if (range != null) {
            String[] parts = range.replace("(", "").replace(")", "").split(",");
            start = Long.parseLong(parts[0].trim());
            count = Long.parseLong(parts[1].trim());
        }
        if (start < 0 || count < 0 || start + count > s.rows.size()) {
            throw new McError(400, "InvalidRowRange", "row range " + range + " is outside [0, " + s.rows.size() + ")");
        }
        List<Column> all = s.schema.getColumns();
        List<Integer> picked = new ArrayList<>();
        String columns = params.get("columns");
        if (columns == null || columns.isBlank()) {
            for (int i = 0; i < all.size(); i++) {
                picked.add(i);
            }
        } else {
            for (String name : columns.split(",")) {
                int idx = indexOf(all, name.trim());
                if (idx < 0) {
                    throw new McError(400, "InvalidColumnSpec", "unknown column " + name);
                }
                picked.add(idx);
            }
        }
        TableSchema outSchema = new TableSchema();
        picked.forEach(i -> outSchema.addColumn(all.get(i)));
        String encoding = chooseEncoding(req.getHeader("Accept-Encoding"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ProtobufRecordStreamWriter writer = new ProtobufRecordStreamWriter(outSchema, out,
                    compressOption(encoding));
            Column[] outColumns = outSchema.getColumns().toArray(new Column[0]);
            for (long i = start; i < start + count; i++) {
                Object[] row = s.rows.get((int) i);
                Object[] values = new Object[picked.size()];
                for (int j = 0; j < picked.size(); j++) {
                    int idx = picked.get(j);
                    values[j] = idx < row.length ? row[idx] : null; // rows written before ADD COLUMNS read as NULL
                }
                writer.write(new ArrayRecord(outColumns, values));
            }
            writer.close();
        } catch (IOException e) {
            throw new McError(500, "InternalServerError", "encoding the download failed: " + e.getMessage());
        }
        HttpServerResponse resp = req.response().setStatusCode(200).putHeader("Content-Type", "application/octet-stream");
        if (encoding != null) {
            resp.putHeader("Content-Encoding", encoding);
        }
        resp.end(Buffer.buffer(out.toByteArray()));
    }

    private static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).getName().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String chooseEncoding(String acceptEncoding) {
        if (acceptEncoding == null) {
            return null;
        }
        for (String e : List.of("deflate", "x-snappy-framed", "x-lz4-frame", "zstd")) {
            if (acceptEncoding.contains(e)) {
                return e;
            }
        }
        return null;
    }

    private static CompressOption compressOption(String contentEncoding) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0);
        }
        return switch (contentEncoding) {
            case "deflate" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZLIB, 1, 0);
            case "x-snappy-framed" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_SNAPPY, 1, 0);
            case "x-lz4-frame" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_LZ4_FRAME, 1, 0);
            case "zstd" -> new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZSTD, 1, 0);
            default -> throw new McError(400, "UnsupportedEncoding", "unsupported Content-Encoding " + contentEncoding);
        };
    }

    private static JsonObject uploadJson(UploadSession s) {
        JsonObject json = new JsonObject();
        json.addProperty("UploadID", s.id);
        json.addProperty("Status", s.committed ? "closed" : "normal");
        json.add("Schema", schemaJson(s.schema));
        JsonArray blocks = new JsonArray();
        for (Long id : s.blocks.keySet()) {
            JsonObject b = new JsonObject();
            b.addProperty("BlockID", id);
            b.addProperty("CreateTime", System.currentTimeMillis() / 1000);
            b.addProperty("Date", "");
            b.addProperty("FileName", "");
            b.addProperty("Version", 0);
            blocks.add(b);
        }
        json.add("UploadedBlockList", blocks);
        json.addProperty("MaxFieldSize", 8 * 1024 * 1024);
        json.addProperty("QuotaName", "");
        return json;
    }

    private static JsonObject downloadJson(DownloadSession s) {
        JsonObject json = new JsonObject();
        json.addProperty("DownloadID", s.id);
        json.addProperty("Status", "normal");
        json.addProperty("RecordCount", s.rows.size());
        json.add("Schema", schemaJson(s.schema));
        json.addProperty("QuotaName", "");
        return json;
    }

    static JsonObject schemaJson(TableSchema schema) {
        JsonObject json = new JsonObject();
        json.add("columns", columnsJson(schema.getColumns()));
        json.add("partitionKeys", columnsJson(schema.getPartitionColumns()));
        return json;
    }

    private static JsonArray columnsJson(List<Column> columns) {
        JsonArray array = new JsonArray();
        for (Column c : columns) {
            JsonObject col = new JsonObject();
            col.addProperty("name", c.getName());
            col.addProperty("type", c.getTypeInfo().getTypeName());
            col.addProperty("nullable", String.valueOf(c.isNullable())); // what the tunnel reads
            col.addProperty("isNullable", c.isNullable()); // what table metadata (ColumnUtils) reads
            col.addProperty("comment", c.getComment() == null ? "" : c.getComment());
            array.add(col);
        }
        return array;
    }

    // ---------------------------------------------------------------------------------------------- replies

    private static void sendXml(HttpServerResponse resp, int status, String xml) {
        resp.setStatusCode(status).putHeader("Content-Type", "application/xml")
                .end("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml);
    }

    private static void sendJson(HttpServerResponse resp, int status, JsonObject json) {
        resp.setStatusCode(status).putHeader("Content-Type", "application/json").end(json.toString());
    }

    private static void sendXmlError(HttpServerResponse resp, McError e, String requestId) {
        sendXml(resp, e.status, "<Error><Code>" + esc(e.code) + "</Code><Message><![CDATA[" + e.getMessage()
                + "]]></Message><RequestId>" + requestId + "</RequestId><HostId>127.0.0.1</HostId></Error>");
    }

    private static void sendJsonError(HttpServerResponse resp, McError e, String requestId) {
        JsonObject json = new JsonObject();
        json.addProperty("Code", e.code);
        json.addProperty("Message", e.getMessage());
        json.addProperty("RequestId", requestId);
        sendJson(resp, e.status, json);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
