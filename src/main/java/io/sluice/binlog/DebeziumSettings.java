package io.sluice.binlog;

import java.util.Properties;

/**
 * The Debezium connector settings the change encoders rely on. The source component starts from its own connection,
 * offset and schema-history settings and passes them through {@link #forFidelity(Properties)}, which adds (and
 * overrides) what decides how values look in the events:
 *
 * <ul>
 *   <li>{@code decimal.handling.mode=precise}: DECIMAL(65,30) as a BigDecimal; {@code double} rounds, {@code string}
 *       loses the scale for the Avro encoder.</li>
 *   <li>{@code bigint.unsigned.handling.mode=precise}: BIGINT UNSIGNED above 2^63-1 stays positive (the default
 *       {@code long} wraps it negative).</li>
 *   <li>{@code time.precision.mode=adaptive_time_microseconds}: DATETIME(6)/TIME(6) keep microseconds and TIME keeps
 *       negative and over-24-hour values ({@code connect} truncates to milliseconds and to one day).</li>
 *   <li>{@code binary.handling.mode=bytes}: BLOB/BINARY as raw bytes, not base64 or hex text.</li>
 *   <li>{@code column.propagate.source.type=.*}: every field schema carries the declared column type, length and
 *       scale ({@code __debezium.source.column.*}), which canal's {@code mysqlType} and DTS's type codes need.</li>
 *   <li>{@code include.schema.changes=true}: DDL arrives as events, encoded as Canal/DTS DDL messages.</li>
 *   <li>{@code tombstones.on.delete=false}: a delete is one event; a Kafka tombstone is no change event.</li>
 *   <li>{@code skipped.operations=none}: TRUNCATE is delivered (Debezium skips it by default); it becomes a DDL event,
 *       as canal and DTS ship it.</li>
 *   <li>{@code converters=sluice_zero_dates}: {@link ZeroDateConverter} keeps {@code 0000-00-00} DATE/DATETIME/TIMESTAMP
 *       values of NOT NULL columns as zero dates instead of Debezium's stand-ins (1970-01-01, or the column default
 *       for a TIMESTAMP read by the snapshot).</li>
 *   <li>{@code event.processing.failure.handling.mode=fail}: an event that cannot be read stops the link rather than
 *       being skipped (nothing lost).</li>
 * </ul>
 */
public final class DebeziumSettings {

    /** Debezium's MariaDB connector, for MariaDB sources (the MySQL connector works for MySQL ones). */
    public static final String MARIADB_CONNECTOR = "io.debezium.connector.mariadb.MariaDbConnector";

    private DebeziumSettings() {
    }

    /** A copy of {@code base} with the value-fidelity settings above applied. */
    public static Properties forFidelity(Properties base) {
        Properties p = new Properties();
        p.putAll(base);
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("bigint.unsigned.handling.mode", "precise");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("column.propagate.source.type", ".*");
        p.setProperty("include.schema.changes", "true");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("skipped.operations", "none");
        p.setProperty("event.processing.failure.handling.mode", "fail");
        p.setProperty("converters", ZeroDateConverter.NAME);
        p.setProperty(ZeroDateConverter.NAME + ".type", ZeroDateConverter.class.getName());
        return p;
    }
}
