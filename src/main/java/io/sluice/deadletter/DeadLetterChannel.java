package io.sluice.deadletter;

import java.util.List;
import java.util.Map;

/**
 * Where a link puts the records it cannot write (seed 000/001: dirty data). {@link #write} returns only once the
 * entries are durable, because the link commits its source position right after.
 */
public interface DeadLetterChannel extends AutoCloseable {

    void write(List<DeadLetter> entries);

    /** The newest entries of one link, newest first: position, field, reason, rawMessage, time. */
    List<Map<String, Object>> read(String link, int limit);

    /** A short description for messages, e.g. "table demo.sluice_dirty_data". */
    String describe();

    @Override
    default void close() {
    }
}
