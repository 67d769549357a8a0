// A link's details: summary, definition as YAML (secrets masked by the API), charts, run log, and per kind the
// preview (APS), dirty data with replay, precheck items (binlog) and the merge SQL (MaxCompute).
import {api} from './api.js';
import {h, fill, setText, fmtCount, fmtRate, fmtSeconds, fmtTime, showMessage} from './dom.js';
import {drawHistory} from './charts.js';
import {toYaml} from './yaml.js';

/** The link's kind from the API, or from its endpoints for an older answer. */
export function kindOf(link) {
  if (link.kind) return link.kind;
  const s = link.source || '', k = link.sink || '';
  if (s.startsWith('mysql-binlog:')) return k.startsWith('maxcompute:') ? 'mysql-to-maxcompute' : 'mysql-to-kafka';
  if (k.startsWith('adb:')) return s.startsWith('sls:') ? 'sls-to-adb' : 'kafka-to-adb';
  return 'other';
}

export function renderDetails(main, id) {
  let stopped = false;
  const timers = {};
  const summary = h('dl', {class: 'summary', id: 'summary'});
  const state = h('span', {class: 'state', id: 'details-state'});
  const yaml = h('pre', {id: 'definition', class: 'yaml'});
  const charts = h('div', {id: 'charts', class: 'charts'});
  const runLog = h('div', {id: 'run-log'});
  const sections = h('div', {});
  fill(main,
    h('p', {}, h('a', {href: '#/links'}, '\u2190 Links')),
    h('h1', {}, 'Link ', h('span', {id: 'details-id'}, id), ' ', state, ' ',
      h('a', {class: 'button', id: 'edit', href: '#/edit/' + encodeURIComponent(id)}, 'Edit')),
    summary,
    h('section', {}, h('h2', {}, 'Monitoring (last hour)'), charts),
    sections,
    h('section', {}, h('h2', {}, 'Definition'), yaml),
    h('section', {}, h('h2', {}, 'Run log'), runLog));

  let built = false;
  async function refresh() {
    try {
      const d = await api.link(id);
      if (stopped) return;
      setText(state, d.state);
      state.className = 'state ' + d.state;
      fill(summary, ...[
        ['Description', d.description], ['Source', d.source], ['Sink', d.sink],
        ['Records in', fmtCount(d.recordsIn)], ['Records out', fmtCount(d.recordsOut)],
        ['Dirty', fmtCount(d.recordsDirty)], ['Rows/s', fmtRate(d.rowsPerSecond)], ['Lag', fmtSeconds(d.lagSeconds)],
        ['Last error', d.lastError ? d.lastError + ' (' + fmtTime(d.lastErrorTime) + ')' : ''],
      ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v === undefined || v === null ? '' : v)]));
      setText(yaml, d.yaml || (d.definition ? toYaml([d.definition]) : '(not written in YAML)'));
      fill(runLog, d.runLog && d.runLog.length
        ? h('table', {class: 'grid'}, h('tbody', {}, d.runLog.slice().reverse().map(e =>
          h('tr', {}, h('td', {}, fmtTime(e.time)), h('td', {}, e.event), h('td', {}, e.message)))))
        : h('p', {class: 'empty'}, 'Nothing logged yet.'));
      if (!built) {
        built = true;
        buildSections(sections, id, kindOf(d));
      }
    } catch (e) {
      if (e.status !== 401) setText(state, e.message);
    }
  }
  async function history() {
    try {
      drawHistory(charts, await api.history(id));
    } catch (e) {
      if (e.status !== 401) fill(charts, h('p', {class: 'empty'}, 'No history: ' + e.message));
    }
  }
  function every(key, ms, fn) {
    const loop = async () => { await fn(); if (!stopped) timers[key] = setTimeout(loop, ms); };
    loop();
  }
  every('details', 2000, refresh);
  every('history', 10000, history);
  return () => { stopped = true; Object.values(timers).forEach(clearTimeout); };
}

function buildSections(container, id, kind) {
  const aps = kind === 'sls-to-adb' || kind === 'kafka-to-adb';
  const binlog = kind === 'mysql-to-kafka' || kind === 'mysql-to-maxcompute';
  if (aps) container.appendChild(previewSection(id));
  if (aps || kind === 'other') container.appendChild(dirtySection(id));
  if (binlog) container.appendChild(precheckSection(id));
  if (kind === 'mysql-to-maxcompute') container.appendChild(mergeSqlSection(id));
}

function loader(title, sectionId, load, render, extraButtons) {
  const body = h('div', {class: 'section-body'});
  const reload = async () => {
    try {
      fill(body, render(await load()));
    } catch (e) {
      fill(body, h('p', {class: 'error'}, e.message));
    }
  };
  reload();
  return h('section', {id: sectionId}, h('h2', {}, title, ' ',
    h('button', {type: 'button', class: 'reload', onclick: reload}, 'Reload'), (extraButtons || []).map(b => b(reload))), body);
}

function previewSection(id) {
  return loader('Preview (latest 10 records)', 'preview', () => api.preview(id), previewTable);
}

/** Preview rows ({position, raw, row, dirty}) as a table: the raw record and the row it becomes. */
export function previewTable(rows) {
  if (!rows || rows.length === 0) return h('p', {class: 'empty'}, 'No records to preview.');
  return h('table', {class: 'grid preview'},
    h('thead', {}, h('tr', {}, ['Position', 'Raw record', 'Row', 'Dirty'].map(t => h('th', {}, t)))),
    h('tbody', {}, rows.map(r => h('tr', {},
      h('td', {}, r.position), h('td', {}, h('code', {class: 'raw'}, r.raw)),
      h('td', {}, r.row ? h('code', {}, JSON.stringify(r.row)) : ''),
      h('td', {class: 'error-text'}, (r.dirty || []).join('; '))))));
}

function dirtySection(id) {
  const replay = reload => h('button', {type: 'button', id: 'replay', onclick: async () => {
    try {
      const r = await api.replay(id);
      showMessage('Replayed ' + r.replayed + ', still dirty ' + r.stillDirty + '.');
    } catch (e) {
      showMessage('Replay: ' + e.message, true);
    }
    reload();
  }}, 'Replay');
  return loader('Dirty data', 'dirty', () => api.dirty(id), rows => rows.length === 0
    ? h('p', {class: 'empty'}, 'No dirty data.')
    : h('table', {class: 'grid', id: 'dirty-table'},
      h('thead', {}, h('tr', {}, ['Time', 'Position', 'Field', 'Reason', 'Raw record'].map(t => h('th', {}, t)))),
      h('tbody', {}, rows.map(r => h('tr', {},
        h('td', {}, fmtTime(r.time)), h('td', {}, r.position), h('td', {}, r.field),
        h('td', {class: 'error-text'}, r.reason), h('td', {}, h('code', {class: 'raw'}, r.rawMessage ?? r.raw)))))),
  [replay]);
}

function precheckSection(id) {
  return loader('Precheck', 'precheck', () => api.precheck(id), precheckTable);
}

/** Precheck items ({item, status, detail, fix}) with pass/warn/fail and the fix. */
export function precheckTable(items) {
  if (!items || items.length === 0) return h('p', {class: 'empty'}, 'No precheck items.');
  return h('table', {class: 'grid precheck'},
    h('thead', {}, h('tr', {}, ['Item', 'Result', 'Detail', 'Fix'].map(t => h('th', {}, t)))),
    h('tbody', {}, items.map(i => h('tr', {dataset: {item: i.item, status: i.status}},
      h('td', {}, i.item), h('td', {}, h('span', {class: 'check ' + i.status}, i.status)),
      h('td', {}, i.detail), h('td', {class: 'fix'}, i.fix || '')))));
}

function mergeSqlSection(id) {
  const table = h('input', {name: 'table', placeholder: 'orders', size: 20});
  const time = h('input', {name: 'time', type: 'datetime-local', step: 1});
  const out = h('pre', {class: 'sql', id: 'merge-sql'});
  return h('section', {id: 'merge'}, h('h2', {}, 'Merge SQL'),
    h('p', {}, 'The MaxCompute SQL that rebuilds a table as it was at a time from its _base and _log tables.'),
    h('div', {class: 'inline'}, h('label', {}, 'Table ', table), h('label', {}, ' at (UTC) ', time),
      h('button', {type: 'button', onclick: async () => {
        try {
          setText(out, await api.mergeSql(id, table.value.trim(), time.value ? time.value + (time.value.length === 16 ? ':00Z' : 'Z') : ''));
        } catch (e) {
          setText(out, e.message);
        }
      }}, 'Show SQL')),
    out);
}
