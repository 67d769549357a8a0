package io.sluice.base;

import java.util.Map;
import java.util.function.Function;

/**
 * One record as a source delivers it: the raw message, where it came from (e.g. "partition 2, offset 41"), and its
 * source time (epoch ms). Sources hand a sink a {@code List<SourceRecord>} per exchange.
 *
 * <p>A source that has the message's top-level fields already (SLS logs are flat key/value lists) passes them as
 * {@link #fields()}: exactly what parsing {@link #value()} as a JSON object gives, so a sink need not parse it again.
 * Such a record's raw value is written from its fields only when something asks for it (a dead letter, a preview):
 * writing every log's JSON up front was about 40% of the SLS pull threads' CPU (BENCHMARKS.md).
 */
public final class SourceRecord {

    private final String position;
    private final long sourceTime;
    private final Map<String, Object> fields;
    private final Function<Map<String, Object>, byte[]> render;
    private volatile byte[] value;

    /** A record whose fields are read from its value. */
    public SourceRecord(byte[] value, String position, long sourceTime) {
        this.value = value;
        this.position = position;
        this.sourceTime = sourceTime;
        this.fields = null;
        this.render = null;
    }

    /** A record of known fields; {@code render} writes its raw value from them when it is first asked for. */
    public SourceRecord(Map<String, Object> fields, Function<Map<String, Object>, byte[]> render, String position,
                        long sourceTime) {
        this.fields = fields;
        this.render = render;
        this.position = position;
        this.sourceTime = sourceTime;
    }

    /** The raw message. */
    public byte[] value() {
        byte[] v = value;
        if (v == null && render != null) {
            v = render.apply(fields);
            value = v;
        }
        return v;
    }

    public String position() {
        return position;
    }

    public long sourceTime() {
        return sourceTime;
    }

    /** The message's top-level fields, or null when a sink must parse {@link #value()}. */
    public Map<String, Object> fields() {
        return fields;
    }

    @Override
    public String toString() {
        return "SourceRecord[" + position + "]";
    }
}
