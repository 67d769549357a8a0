package io.sluice.base;

import java.util.List;

/** A source endpoint that can show its latest records without moving any link's position. */
public interface PreviewableSource {

    /** @throws Unavailable when the source's server refuses or cannot be reached */
    List<SourceRecord> latest(int count);

    /** The source could not be read for the preview; the management API answers 502 Bad Gateway with the message. */
    class Unavailable extends RuntimeException {

        public Unavailable(String message) {
            super(message);
        }
    }
}
