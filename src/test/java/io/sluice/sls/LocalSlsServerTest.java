package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.FastLog;
import com.aliyun.openservices.log.common.FastLogGroup;
import com.aliyun.openservices.log.common.LogGroupData;
import com.aliyun.openservices.log.common.LogItem;
import com.aliyun.openservices.log.common.Shard;
import com.aliyun.openservices.log.common.TagContent;
import com.aliyun.openservices.log.exception.LogException;
import com.aliyun.openservices.log.request.PullLogsRequest;
import com.aliyun.openservices.log.request.PutLogsRequest;
import com.aliyun.openservices.log.response.GetLogsResponse;
import com.aliyun.openservices.log.response.PullLogsResponse;
import io.sluice.devservices.sls.LocalSlsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local SLS server against the real aliyun-log SDK: what the SDK sends, the server answers as SLS does. */
class LocalSlsServerTest {

    private static LocalSlsServer server;

    @BeforeAll
    static void start() {
        server = LocalSlsServer.start().addAccessKey("ak-id", "ak-secret");
        server.createLogstore("proj", "store", 2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Client client(String id, String secret) {
        return SlsClients.create("cn-test.log.local", id, secret, null, "127.0.0.1", server.port());
    }

    @Test
    void putPullCursorsAndSplitThroughTheSdk() throws Exception {
        Client c = client("ak-id", "ak-secret");
        List<Shard> shards = c.ListShard("proj", "store").GetShards();
        assertEquals(2, shards.size());
        long before = server.nowMillis() / 1000;
        put(c, "a", 0, 5);
        server.shiftClock(3_600_000);
        put(c, "b", 5, 10);
        int total = 0;
        int after = 0;
        for (Shard s : shards) {
            String begin = c.GetCursor("proj", "store", s.getShardId(), com.aliyun.openservices.log.common.Consts.CursorMode.BEGIN).GetCursor();
            String at = c.GetCursor("proj", "store", s.getShardId(), before + 1800).GetCursor();
            total += logs(c, s.getShardId(), begin).size();
            after += logs(c, s.getShardId(), at).size();
        }
        assertEquals(10, total);
        assertEquals(5, after, "GetCursor by time uses the server's receive time");

        List<Integer> children = server.split("proj", "store", 0);
        List<Shard> now = c.ListShard("proj", "store").GetShards();
        assertEquals(4, now.size());
        assertEquals("readonly", now.stream().filter(s -> s.getShardId() == 0).findFirst().orElseThrow().getStatus());
        assertEquals(children.size(), now.stream().filter(s -> children.contains(s.getShardId())).count());

        GetLogsResponse latest = c.GetLogs("proj", "store", 0, Integer.MAX_VALUE, "", "", 3, 0, true);
        assertEquals(3, latest.getLogs().size());
        assertEquals("b-9", latest.getLogs().get(0).GetLogItem().GetLogContents().stream()
                .filter(x -> x.GetKey().equals("id")).findFirst().orElseThrow().GetValue());
    }

    @Test
    void aWrongSecretOrKeyIdIsRefusedAsSlsDoes() {
        LogException e = assertThrows(LogException.class, () -> client("ak-id", "wrong").ListShard("proj", "store"));
        assertEquals("SignatureNotMatch", e.GetErrorCode());
        assertEquals(401, e.GetHttpCode());
        LogException u = assertThrows(LogException.class, () -> client("nobody", "x").ListShard("proj", "store"));
        assertEquals("Unauthorized", u.GetErrorCode());
        LogException p = assertThrows(LogException.class, () -> client("ak-id", "ak-secret").ListShard("nope", "store"));
        assertEquals("ProjectNotExist", p.GetErrorCode());
        LogException l = assertThrows(LogException.class, () -> client("ak-id", "ak-secret").ListShard("proj", "nope"));
        assertEquals("LogStoreNotExist", l.GetErrorCode());
    }

    private static void put(Client c, String prefix, int from, int to) throws LogException {
        List<LogItem> items = new ArrayList<>();
        for (int i = from; i < to; i++) {
            LogItem item = new LogItem((int) (server.nowMillis() / 1000));
            item.PushBack("id", prefix + "-" + i);
            items.add(item);
        }
        PutLogsRequest req = new PutLogsRequest("proj", "store", "topic-x", "src-y", items);
        ArrayList<TagContent> tags = new ArrayList<>();
        tags.add(new TagContent("env", "test"));
        req.SetTags(tags);
        c.PutLogs(req);
    }

    /**
     * The consumer-group calls of the SDK: a shard moves to a new consumer only after its holder was told and let it
     * go, checkpoints are refused from a consumer that does not hold the shard, and a silent consumer loses its shards
     * after the group's timeout.
     */
    @Test
    void consumerGroupsAssignShardsAndKeepCheckpoints() throws Exception {
        server.createLogstore("proj", "grouped", 4);
        Client c = client("ak-id", "ak-secret");
        c.CreateConsumerGroup("proj", "grouped", new com.aliyun.openservices.log.common.ConsumerGroup("g", 1, false));
        LogException exists = assertThrows(LogException.class, () -> c.CreateConsumerGroup("proj", "grouped",
                new com.aliyun.openservices.log.common.ConsumerGroup("g", 1, false)));
        assertEquals("ConsumerGroupAlreadyExist", exists.GetErrorCode());
        c.UpdateConsumerGroup("proj", "grouped", "g", false, 2);
        var listed = c.ListConsumerGroup("proj", "grouped").GetConsumerGroups();
        assertEquals(1, listed.size());
        assertEquals(2, listed.get(0).getTimeout());

        assertEquals(List.of(0, 1, 2, 3), beat(c, "c1"));
        assertEquals(List.of(), beat(c, "c2"), "c1 was given every shard and may be reading them");
        assertEquals(List.of(0, 1), beat(c, "c1", 0, 1, 2, 3), "c1 is told to let 2 and 3 go");
        assertEquals(List.of(), beat(c, "c2"), "c1 still reads 2 and 3");
        c.UpdateCheckPoint("proj", "grouped", "g", "c1", 3, "MTA="); // its last batch of shard 3
        assertEquals(List.of(0, 1), beat(c, "c1", 0, 1));
        assertEquals(List.of(2, 3), beat(c, "c2"));
        LogException notMine = assertThrows(LogException.class,
                () -> c.UpdateCheckPoint("proj", "grouped", "g", "c2", 0, "NQ=="));
        assertEquals("ConsumerNotMatch", notMine.GetErrorCode());
        var saved = c.GetCheckPoint("proj", "grouped", "g", 3).getCheckPoints();
        assertEquals(1, saved.size());
        assertEquals("MTA=", saved.get(0).getCheckPoint());
        assertEquals("c1", saved.get(0).getConsumer());
        assertEquals(0, c.GetCheckPoint("proj", "grouped", "g", 0).getCheckPoints().size());

        Thread.sleep(2_200); // c1 stays silent past the group's timeout
        assertEquals(List.of(0, 1, 2, 3), beat(c, "c2", 2, 3));
        LogException gone = assertThrows(LogException.class, () -> c.HeartBeat("proj", "grouped", "missing", "c1", List.of()));
        assertEquals("ConsumerGroupNotExist", gone.GetErrorCode());
    }

    private static List<Integer> beat(Client c, String consumer, Integer... held) throws LogException {
        return c.HeartBeat("proj", "grouped", "g", consumer, List.of(held)).getShards();
    }

    private static List<String> logs(Client c, int shard, String cursor) throws LogException {
        List<String> out = new ArrayList<>();
        while (true) {
            PullLogsResponse r = c.pullLogs(new PullLogsRequest("proj", "store", shard, 10, cursor));
            for (LogGroupData g : r.getLogGroups()) {
                FastLogGroup fg = g.GetFastLogGroup();
                assertEquals("topic-x", fg.getTopic());
                assertTrue(fg.getTags().stream().anyMatch(t -> t.getKey().equals("env")));
                for (FastLog l : fg.getLogs()) {
                    out.add(l.getContents(0).getValue());
                }
            }
            if (r.getNextCursor().equals(cursor)) {
                return out;
            }
            cursor = r.getNextCursor();
        }
    }
}
