package io.sluice.record;

import java.nio.charset.StandardCharsets;

/** BINARY/VARBINARY(n) and BLOB kinds: bytes, with strings stored as their UTF-8 encoding. */
final class BinaryCoercion {
    private BinaryCoercion() {
    }

    static byte[] apply(Object value, Column column, ColumnKind kind) {
        byte[] bytes = value instanceof byte[] raw
                ? raw
                : TextCoercion.render(value, column).getBytes(StandardCharsets.UTF_8);
        long max = kind == ColumnKind.BINARY ? column.size() : Lengths.lobMaxBytes(column.baseType());
        if (max > 0) { // (VAR)BINARY of unknown size: the server checks
            Lengths.requireAtMost(bytes.length, max, "bytes", value, column);
        }
        return bytes;
    }
}
