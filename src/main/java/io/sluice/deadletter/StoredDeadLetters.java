package io.sluice.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dead-letter channel whose entries can be read back in order and removed one by one, so dirty records can be
 * replayed (POST /api/links/{id}/dirty/replay). A Kafka topic is not one: its messages cannot be removed.
 */
public interface StoredDeadLetters extends DeadLetterChannel {

    /** One stored entry: its id in the channel, the dead letter and when it was recorded. */
    record Entry(long id, DeadLetter letter, Instant time) {
    }

    /** The id of the link's newest entry, 0 when it has none: a replay goes no further, so it ends. */
    long newestId(String link);

    /** The link's entries with {@code afterId < id <= upToId}, oldest first, at most {@code limit}. */
    List<Entry> entries(String link, long afterId, long upToId, int limit);

    /** Removes the entries (their records were written). */
    void remove(Collection<Long> ids);

    /** Replaces the entries by {@code renewed} (the same records with today's reasons), in one transaction. */
    void replace(Collection<Long> ids, List<DeadLetter> renewed);

    /** An entry as GET /api/links/{id}/dirty shows it: position, field, reason, rawMessage, time. */
    static Map<String, Object> view(DeadLetter d, Instant time) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("position", d.position());
        row.put("field", d.field());
        row.put("reason", d.reason());
        row.put("rawMessage", d.raw() == null ? null : new String(d.raw(), StandardCharsets.UTF_8));
        row.put("time", time.toString());
        return row;
    }
}
