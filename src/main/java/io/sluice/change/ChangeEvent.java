package io.sluice.change;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One row change or one DDL statement from a MySQL binlog (or the initial snapshot), independent of Debezium and of
 * the Kafka formats it is encoded into.
 *
 * <p>Row images map column name to value in table column order. Values are SQL NULL as {@code null}, otherwise:
 * <table>
 *   <tr><th>MySQL</th><th>Java</th></tr>
 *   <tr><td>TINYINT .. BIGINT (signed or unsigned)</td><td>Long; BIGINT UNSIGNED: BigInteger</td></tr>
 *   <tr><td>DECIMAL</td><td>BigDecimal with the column's scale</td></tr>
 *   <tr><td>FLOAT, DOUBLE</td><td>Float, Double</td></tr>
 *   <tr><td>BIT(n)</td><td>Long holding the bits (BIT(64) read as unsigned)</td></tr>
 *   <tr><td>DATE, DATETIME</td><td>LocalDate, LocalDateTime (as written, no time zone), or {@link ZeroDate}</td></tr>
 *   <tr><td>TIMESTAMP</td><td>Instant, or {@link ZeroDate}</td></tr>
 *   <tr><td>TIME</td><td>Duration (may be negative or longer than a day)</td></tr>
 *   <tr><td>YEAR</td><td>Integer</td></tr>
 *   <tr><td>CHAR, VARCHAR, TEXT, JSON, ENUM, SET</td><td>String (ENUM: the label; SET: labels joined by ',')</td></tr>
 *   <tr><td>BINARY, VARBINARY, BLOB, spatial types</td><td>byte[] (spatial: WKB)</td></tr>
 * </table>
 *
 * @param database  database (schema) name
 * @param table     table name; {@code ""} for a database-level DDL
 * @param operation INSERT, UPDATE, DELETE or DDL
 * @param columns   the table's columns in order; empty for DDL
 * @param before    row before the change (UPDATE, DELETE); null otherwise
 * @param after     row after the change (INSERT, UPDATE); null otherwise
 * @param ddl       the DDL statement; null for row changes
 * @param position  where in the binlog it came from
 * @param schemaChange what a DDL statement does to its table's columns, read by the source (a CREATE TABLE or an
 *                  ALTER TABLE); null for row changes and for other statements
 */
public record ChangeEvent(String database, String table, Operation operation, List<ChangeColumn> columns,
                          Map<String, Object> before, Map<String, Object> after, String ddl, SourcePosition position,
                          SchemaChange schemaChange) {

    /** A row change, or a DDL statement without a schema change. */
    public ChangeEvent(String database, String table, Operation operation, List<ChangeColumn> columns,
                       Map<String, Object> before, Map<String, Object> after, String ddl, SourcePosition position) {
        this(database, table, operation, columns, before, after, ddl, position, null);
    }

    public boolean isDdl() {
        return operation == Operation.DDL;
    }

    /** Names of the key columns, in table order; empty for DDL and for tables without a key. */
    public List<String> keyNames() {
        List<String> keys = null; // a loop, not a stream: called for every change on the way to Kafka
        for (ChangeColumn c : columns) {
            if (c.primaryKey()) {
                if (keys == null) {
                    keys = new ArrayList<>(2);
                }
                keys.add(c.name());
            }
        }
        return keys == null ? List.of() : Collections.unmodifiableList(keys);
    }

    /** The row that identifies the changed record: the after image, or the before image for a DELETE. */
    public Map<String, Object> row() {
        return after != null ? after : before;
    }
}
