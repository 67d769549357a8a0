package io.sluice.base;

import java.util.List;
import java.util.Map;

/** A sink endpoint with a dead-letter channel whose entries can be read back per link. */
public interface DirtyDataChannel {

    List<Map<String, Object>> dirtyRecords(String linkId, int limit);
}
