package io.sluice.change;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * DTS's Avro schema ({@code com.alibaba.dts.formats.avro.Record} and its 13 value types), parsed once from the
 * {@code .avsc} files DTS publishes, shipped under {@code io/sluice/change/dts-avro/}.
 */
final class DtsAvroSchema {

    static final String NAMESPACE = "com.alibaba.dts.formats.avro.";
    /** Value types first: the Parser resolves a reference only to a type it has already read. */
    private static final List<String> FILES = List.of("Integer", "Character", "Decimal", "Float", "Timestamp", "DateTime",
            "TimestampWithTimeZone", "BinaryGeometry", "TextGeometry", "BinaryObject", "TextObject", "EmptyObject",
            "Field", "Record");

    static final Schema.Parser PARSED = parse();
    static final Schema RECORD = type("Record");

    private DtsAvroSchema() {
    }

    static Schema type(String simpleName) {
        return PARSED.getTypes().get(NAMESPACE + simpleName);
    }

    private static Schema.Parser parse() {
        Schema.Parser parser = new Schema.Parser();
        for (String name : FILES) {
            String resource = "dts-avro/" + NAMESPACE + name + ".avsc";
            try (InputStream in = DtsAvroSchema.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + resource + " next to " + DtsAvroSchema.class.getName());
                }
                parser.parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parser;
    }
}
