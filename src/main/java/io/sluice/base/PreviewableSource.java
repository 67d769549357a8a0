package io.sluice.base;

import java.util.List;

/** A source endpoint that can show its latest records without moving any link's position. */
public interface PreviewableSource {

    List<SourceRecord> latest(int count);
}
