package io.sluice.link;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.sluice.base.RunLog;

import java.util.List;

/**
 * What GET /api/links/{id} shows: the summary, the definition with secrets masked (as a structure and as YAML text,
 * a route file of this one link), and the recent run log.
 */
public record LinkDetails(@JsonUnwrapped LinkView link, Object definition, String yaml, List<RunLog.Entry> runLog) {
}
