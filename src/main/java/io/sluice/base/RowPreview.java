package io.sluice.base;

import java.util.Map;

/** A sink endpoint that can show the row a source record would become (or why it is dirty), writing nothing. */
public interface RowPreview {

    Map<String, Object> preview(SourceRecord record);
}
