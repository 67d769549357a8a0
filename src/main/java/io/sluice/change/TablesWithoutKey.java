package io.sluice.change;

/**
 * A change sink that says what a table without a primary or unique key means in its destination (the source's
 * {@code tablesWithoutKey=sync}): the precheck's {@code primary key} warning states it for the link's own sink, since
 * DTS's alert ("the destination may contain duplicate records") means something different per destination.
 */
public interface TablesWithoutKey {

    /** One sentence, starting with the destination's name, e.g. {@code "Kafka: ..."}. */
    String withoutKey();

    /**
     * A change source that checks its tables' keys. A source never asks for its sink: the control plane, which knows
     * both ends of a link, hands it the sink's {@link #withoutKey} before the source starts or is prechecked (null for a
     * sink without one).
     */
    interface Source {

        void sinkWithoutKey(String meaning);
    }
}
