package io.sluice.devservices.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordReader;
import com.aliyun.odps.data.RecordWriter;
import com.aliyun.odps.task.SQLTask;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local MaxCompute server driven by the real odps-sdk-core: DDL, metadata, partitions, tunnel, signatures. */
class LocalMaxComputeTest {

    static LocalMaxCompute server;

    @BeforeAll
    static void start() {
        server = LocalMaxCompute.start("sluice_test", "test-ak", "test-secret");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Odps odps(String ak, String sk) {
        Odps odps = new Odps(new AliyunAccount(ak, sk));
        odps.setEndpoint(server.endpoint());
        odps.setDefaultProject("sluice_test");
        odps.options().setSkipCheckIfEpv2(true);
        return odps;
    }

    static TableTunnel tunnel(Odps odps) {
        TableTunnel tunnel = new TableTunnel(odps);
        tunnel.setEndpoint(server.tunnelEndpoint());
        return tunnel;
    }

    @Test
    void ddlMetadataPartitionsAndTunnelRoundTrip() throws Exception {
        Odps odps = odps("test-ak", "test-secret");
        assertFalse(odps.tables().exists("t1"));
        SQLTask.run(odps, "CREATE TABLE IF NOT EXISTS `sluice_test`.`t1` (`id` BIGINT NOT NULL COMMENT 'key',"
                + "`name` STRING, `amount` DECIMAL(20,4)) PARTITIONED BY (`ds` STRING) LIFECYCLE 7;").waitForSuccess();
        assertTrue(odps.tables().exists("t1"));
        Table table = odps.tables().get("t1");
        TableSchema schema = table.getSchema();
        assertEquals(List.of("id", "name", "amount"), schema.getColumns().stream().map(c -> c.getName()).toList());
        assertEquals("DECIMAL(20,4)", schema.getColumn("amount").getTypeInfo().getTypeName());
        assertFalse(schema.getColumn("id").isNullable());
        assertEquals("ds", schema.getPartitionColumns().get(0).getName());

        PartitionSpec spec = new PartitionSpec("ds='2024'");
        assertFalse(table.hasPartition(spec));
        TableTunnel tunnel = tunnel(odps);
        assertThrows(TunnelException.class, () -> tunnel.createUploadSession("sluice_test", "t1", spec));
        SQLTask.run(odps, "ALTER TABLE `sluice_test`.`t1` ADD IF NOT EXISTS PARTITION (ds='2024');").waitForSuccess();
        assertTrue(table.hasPartition(spec));
        assertEquals(1, table.getPartitions().size());

        TableTunnel.UploadSession up = tunnel.createUploadSession("sluice_test", "t1", spec);
        RecordWriter w = up.openRecordWriter(0, true);
        for (long i = 0; i < 3; i++) {
            Record r = up.newRecord();
            r.setBigint(0, i);
            r.setString(1, "n" + i);
            r.setDecimal(2, new java.math.BigDecimal("1.2345"));
            w.write(r);
        }
        w.close();
        up.commit(new Long[] {0L});

        TableTunnel.DownloadSession down = tunnel.createDownloadSession("sluice_test", "t1", spec);
        assertEquals(3, down.getRecordCount());
        List<String> names = new ArrayList<>();
        try (RecordReader r = down.openRecordReader(0, 3, true)) {
            for (Record rec = r.read(); rec != null; rec = r.read()) {
                names.add(rec.getString("name"));
            }
        }
        assertEquals(List.of("n0", "n1", "n2"), names);

        OdpsException dup = assertThrows(OdpsException.class, () -> SQLTask.run(odps,
                "CREATE TABLE `sluice_test`.`t1` (`id` BIGINT);").waitForSuccess());
        assertTrue(dup.getMessage().contains("already exists"), dup.getMessage());
    }

    @Test
    void wrongAccessKeyIsRefusedWithMaxComputesError() {
        Odps bad = odps("test-ak", "wrong-secret");
        OdpsException e = assertThrows(OdpsException.class, () -> bad.tables().exists("t1"));
        assertTrue(e.getMessage().contains("SignatureNotMatch") || e.getMessage().contains("signature"), e.getMessage());
        assertEquals(403, e.getStatus());
        TunnelException te = assertThrows(TunnelException.class,
                () -> tunnel(bad).createUploadSession("sluice_test", "t1", new PartitionSpec("ds='x'")));
        assertEquals("SignatureNotMatch", te.getErrorCode());
    }
}
