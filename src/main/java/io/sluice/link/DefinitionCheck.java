package io.sluice.link;

import io.sluice.base.PrecheckItem;
import io.sluice.base.SecretMasker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dry run of a definition ({@code POST /api/links/check}), as the consoles run the precheck and show the preview
 * before a link is saved: the definition is created on trial ({@link TrialRoutes}), beside any link of the same id
 * (the edit form checks the new definition of an existing link), its endpoints are asked for their precheck items and
 * its source for the latest records, and everything is removed again. Nothing starts, so nothing reads a position
 * or writes to a destination.
 */
@ApplicationScoped
public class DefinitionCheck {

    private static final int PREVIEW_RECORDS = 10;

    @Inject
    LinkDefinitions definitions;

    @Inject
    TrialRoutes trials;

    @Inject
    Links links;

    @Inject
    LinkEdits edits;

    /** @throws LinkException 400 when the definition cannot be parsed or created */
    public CheckedDefinition check(String yaml) {
        List<PrecheckItem> precheck = null;
        List<Map<String, Object>> preview = null;
        List<String> problems = new ArrayList<>();
        List<String> ids;
        // a definition read back from the API carries masks: checked with the link's own secrets
        try (TrialRoutes.Trial trial = trials.open(definitions.withKeptSecrets(yaml))) {
            ids = trial.ids();
            for (int i = 0; i < ids.size(); i++) {
                String trialId = trial.trialId(i);
                try {
                    precheck = concat(precheck, links.precheck(trialId));
                } catch (LinkException e) {
                    unlessMissing(e, trial, problems); // 409: neither end can check itself
                }
                try {
                    preview = concat(preview, links.preview(trialId, PREVIEW_RECORDS));
                } catch (LinkException e) {
                    unlessMissing(e, trial, problems); // 409: a source that cannot be previewed
                }
                String lost = edits.positionLost(ids.get(i), trial.route(i).getEndpoint());
                if (lost != null) {
                    problems.add("link '" + ids.get(i) + "' exists, and this definition cannot replace it (PUT answers "
                            + "409): " + lost);
                }
            }
        }
        if (precheck != null) {
            for (PrecheckItem item : precheck) {
                if (item.failed()) {
                    problems.add(item.item() + ": " + item.detail() + "; fix: " + item.fix());
                }
            }
        }
        // the answer is shown to people and may be logged by a proxy: the definition's secrets stay in the request
        return new CheckedDefinition(ids, SecretMasker.maskText(yaml), precheck, preview, problems);
    }

    /** A capability the definition's endpoints lack is no problem; anything else (a source not answering) is. */
    private static void unlessMissing(LinkException e, TrialRoutes.Trial trial, List<String> problems) {
        if (e.status() != 409) {
            problems.add(trial.inLinkTerms(e.getMessage()));
        }
    }

    private static <T> List<T> concat(List<T> sofar, List<T> more) {
        List<T> out = sofar == null ? new ArrayList<>() : sofar;
        out.addAll(more);
        return out;
    }
}
