package io.sluice.link;

import io.sluice.base.PrecheckItem;

import java.util.List;
import java.util.Map;

/**
 * What {@code POST /api/links/check} found of a definition, nothing saved and nothing started.
 *
 * @param links    the ids of the links it defines
 * @param yaml     the definition as it would be saved, its secrets masked (passwords, keys, tokens)
 * @param precheck the precheck items of its sources and sinks; null when none can check itself
 * @param preview  the latest records of its source and the row each would become; null when its source cannot be
 *                 previewed
 * @param problems what stands in the way, one line each: failed precheck items with their fix, a source that could not
 *                 be read, and, for an id that exists, why the definition cannot replace it
 */
public record CheckedDefinition(List<String> links, String yaml, List<PrecheckItem> precheck,
                                List<Map<String, Object>> preview, List<String> problems) {
}
