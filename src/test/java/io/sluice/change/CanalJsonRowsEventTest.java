package io.sluice.change;

import com.alibaba.fastjson2.JSON;
import com.alibaba.otter.canal.protocol.FlatMessage;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Several rows of one binlog rows event in one Canal JSON message, as canal writes them: read with canal's own
 * {@code FlatMessage}, the message is the single-row messages of the same changes with their {@code data} and
 * {@code old} lists joined; {@code sqlType} follows the last row where a value decides it.
 */
class CanalJsonRowsEventTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2024-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    private static final CanalJsonEncoder ENCODER = new CanalJsonEncoder(ZoneOffset.UTC, FIXED);
    private static final List<ChangeColumn> COLUMNS = List.of(
            new ChangeColumn("id", MySqlType.of("BIGINT", 20, null, List.of()), true, false),
            new ChangeColumn("v", MySqlType.of("VARCHAR", 40, null, List.of()), false, true),
            new ChangeColumn("u", MySqlType.of("BIGINT UNSIGNED", 20, null, List.of()), false, true));

    private static List<ChangeEvent> rows(Operation op) {
        List<ChangeEvent> out = new ArrayList<>();
        for (int row = 0; row < 3; row++) {
            Object[] before = {(long) row, "before " + row, BigInteger.valueOf(row)};
            Object[] after = {(long) row, "after " + row, row == 2 ? new BigInteger("18446744073709551615") : BigInteger.valueOf(row)};
            out.add(new ChangeEvent("db", "t", op, COLUMNS, op == Operation.INSERT ? null : new RowImage(COLUMNS, before),
                    op == Operation.DELETE ? null : new RowImage(COLUMNS, after), null,
                    new SourcePosition("mariadb-bin.000002", 400, row, "0-1-9", 1, 7L, 1_700_000_000_000L, false, 2)));
        }
        return out;
    }

    @Test
    void oneMessageIsTheSingleRowMessagesJoined() {
        for (Operation op : List.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE)) {
            List<ChangeEvent> rows = rows(op);
            FlatMessage joined = JSON.parseObject(ENCODER.encodeRows(rows, 5), FlatMessage.class);
            List<Map<String, String>> data = new ArrayList<>();
            List<Map<String, String>> old = new ArrayList<>();
            FlatMessage last = null;
            for (ChangeEvent e : rows) {
                last = JSON.parseObject(ENCODER.encode(e, 5), FlatMessage.class);
                data.addAll(last.getData());
                if (last.getOld() != null) {
                    old.addAll(last.getOld());
                }
            }
            assertEquals(data, joined.getData(), op + " data");
            assertEquals(op == Operation.UPDATE ? old : null, joined.getOld(), op + " old");
            // everything else as in a single-row message; sqlType as in the last row's (u's value decides it)
            assertEquals(last.getSqlType(), joined.getSqlType(), op + " sqlType");
            assertEquals(List.of(last.getDatabase(), last.getTable(), last.getType(), last.getEs(), last.getGtid(), last.getId(),
                            last.getMysqlType(), last.getPkNames(), last.getIsDdl(), last.getSql()),
                    List.of(joined.getDatabase(), joined.getTable(), joined.getType(), joined.getEs(), joined.getGtid(), joined.getId(),
                            joined.getMysqlType(), joined.getPkNames(), joined.getIsDdl(), joined.getSql()), op.name());
        }
        assertEquals(java.sql.Types.DECIMAL, JSON.parseObject(ENCODER.encodeRows(rows(Operation.INSERT), 5), FlatMessage.class)
                .getSqlType().get("u"), "the last row's unsigned value beyond BIGINT decides u's sqlType");
    }

    @Test
    void dtsAvroWritesOneRowPerRecord() {
        ChangeEncoder dts = new DtsAvroEncoder("11.4.5-MariaDB");
        assertEquals(false, dts.groupsRows());
        assertThrows(IllegalArgumentException.class, () -> dts.encodeRows(rows(Operation.INSERT), 5));
    }
}
