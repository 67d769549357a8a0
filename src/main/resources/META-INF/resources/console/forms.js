// Create and edit a link: a form per kind (form-aps.js, form-dts.js) or, for links no form fits, the YAML itself.
// The YAML route the form will save is shown live; "Precheck" runs POST /api/links/check on it (the items with their
// fixes, and the preview for APS links); "Save" is enabled only after a precheck of exactly this YAML had no failed
// item, and posts it (create) or puts it (edit: PUT /api/links/{id}, a 409 shown with its message).
import {api} from './api.js';
import {h, fill, setText} from './dom.js';
import {toYaml} from './yaml.js';
import {previewTable, precheckTable, kindOf} from './details.js';
import {apsForm, apsInitial} from './form-aps.js';
import {dtsForm} from './form-dts.js';

const TITLES = {
  'sls-to-adb': 'SLS \u2192 AnalyticDB',
  'kafka-to-adb': 'Kafka \u2192 AnalyticDB',
  'mysql-to-kafka': 'MySQL \u2192 Kafka',
  'mysql-to-maxcompute': 'MySQL \u2192 MaxCompute',
};

export function renderCreate(main, kind) {
  if (!TITLES[kind]) {
    fill(main, h('p', {class: 'error'}, 'No form for link kind ' + kind + '.'));
    return null;
  }
  return withSources(main, sources => {
    const ctx = {sources, changed: () => {}};
    const form = kind.endsWith('-to-adb') ? apsForm(kind, ctx, null) : dtsForm(kind, ctx, null);
    editor(main, 'Create link: ' + TITLES[kind], ctx, form, null);
  });
}

export function renderEdit(main, id) {
  fill(main, h('p', {}, 'Loading link ' + id + '\u2026'));
  let cancelled = false;
  api.link(id).then(link => {
    if (cancelled) return;
    const kind = kindOf(link);
    const initial = kind.endsWith('-to-adb') ? apsInitial(link.definition) : null;
    if (initial) {
      withSources(main, sources => {
        const ctx = {sources, changed: () => {}};
        editor(main, 'Edit link ' + id + ': ' + TITLES[kind], ctx, apsForm(kind, ctx, initial), id);
      });
    } else {
      const ctx = {changed: () => {}};
      editor(main, 'Edit link ' + id + ' (YAML)', ctx, yamlForm(link.yaml || (link.definition ? toYaml([link.definition]) : ''), ctx), id);
    }
  }).catch(e => {
    if (e.status !== 401) fill(main, h('p', {class: 'error'}, e.message));
  });
  return () => { cancelled = true; };
}

/** The declared data sources by kind; an empty map when the API does not list them (the forms take names then). */
function withSources(main, render) {
  let cancelled = false;
  api.dataSources().then(list => list, e => {
    if (e.status === 401) throw e;
    return null;
  }).then(list => {
    if (cancelled) return;
    const sources = {};
    for (const s of list || []) (sources[s.kind] = sources[s.kind] || []).push(s.name);
    render(sources);
  }).catch(() => {});
  return () => { cancelled = true; };
}

/** For links no form fits: the definition as YAML in a text area. */
function yamlForm(text, ctx) {
  const area = h('textarea', {name: 'yaml', id: 'yaml-editor', rows: 24, cols: 100, spellcheck: 'false',
    oninput: () => ctx.changed()}, text);
  return {
    sections: [h('section', {}, h('h2', {}, 'Definition (YAML route)'),
      h('p', {}, 'Secrets show masked: a mask left as it is keeps the link\'s secret, a new value replaces it.'), area)],
    yaml: () => area.value,
  };
}

/** The page around a form: the live YAML, Precheck, the check's items and preview, Save. */
function editor(main, title, ctx, form, editId) {
  const yamlView = h('pre', {id: 'yaml', class: 'yaml'});
  const checkResult = h('div', {id: 'check-result'});
  const saveResult = h('div', {id: 'save-result'});
  const save = h('button', {type: 'button', id: 'save', disabled: true}, editId ? 'Save changes' : 'Save');
  const precheck = h('button', {type: 'button', id: 'precheck'}, 'Precheck');
  const note = h('small', {id: 'save-note'}, 'Run the precheck first: Save is enabled when no item failed.');
  let checkedYaml = null;

  const current = () => form.yaml ? form.yaml() : toYaml([form.route()]);
  ctx.changed = () => {
    const text = current();
    if (form.yaml == null) setText(yamlView, text);
    if (text !== checkedYaml) {
      save.disabled = true;
      setText(note, checkedYaml === null ? 'Run the precheck first: Save is enabled when no item failed.'
        : 'The definition changed since the precheck: run it again.');
    }
  };

  precheck.addEventListener('click', async () => {
    const text = current();
    precheck.disabled = true;
    fill(checkResult, h('p', {}, 'Checking\u2026'));
    try {
      const r = await api.check(text);
      const items = r.precheck || [];
      const failed = items.filter(i => i.status !== 'pass' && i.status !== 'warn'); // a warning does not block saving
      const problems = r.problems || [];
      fill(checkResult,
        problems.length ? h('ul', {class: 'problems'}, problems.map(p => h('li', {class: 'error'}, p))) : null,
        h('h3', {}, 'Precheck'), precheckTable(items),
        r.preview ? [h('h3', {}, 'Preview'), previewTable(r.preview)] : null);
      if (form.onPreview && r.preview) form.onPreview(r.preview);
      const ok = failed.length === 0 && problems.length === 0;
      checkedYaml = ok ? current() : null;
      save.disabled = !ok || checkedYaml !== text;
      checkResult.dataset.outcome = ok ? 'passed' : 'failed';
      checkResult.scrollIntoView({block: 'nearest'});
      // problems repeat the failed items (with their fix) and add what else stands in the way
      setText(note, ok ? (items.some(i => i.status === 'warn') ? 'The precheck passed with warnings (see their fix).'
        : 'The precheck passed.') : Math.max(failed.length, problems.length)
        + ' problem(s): fix them and run the precheck again.');
    } catch (e) {
      checkedYaml = null;
      save.disabled = true;
      checkResult.dataset.outcome = 'error';
      fill(checkResult, h('p', {class: 'error'}, e.message));
    } finally {
      precheck.disabled = false;
    }
  });

  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      if (editId) {
        await api.replace(editId, checkedYaml);
        location.hash = '#/links/' + encodeURIComponent(editId);
      } else {
        const views = await api.add(checkedYaml);
        location.hash = '#/links/' + encodeURIComponent(views[0].id);
      }
    } catch (e) {
      fill(saveResult, h('p', {class: 'error', dataset: {status: e.status}},
        (e.status === 409 ? 'Not saved (conflict): ' : 'Not saved: ') + e.message));
      save.disabled = false;
    }
  });

  fill(main,
    h('h1', {}, title),
    h('div', {class: 'editor'},
      h('form', {id: 'link-form', onsubmit: e => e.preventDefault(), oninput: () => ctx.changed(), onchange: () => ctx.changed()},
        form.sections),
      form.yaml ? null : h('aside', {}, h('h2', {}, 'YAML route'), yamlView)),
    h('div', {class: 'actions'}, precheck, ' ', save, ' ', note),
    saveResult, checkResult);
  ctx.changed();
}
