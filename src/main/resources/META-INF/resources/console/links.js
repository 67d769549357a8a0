// The links page: every link with its state, numbers, last error and full-load progress, and its actions. Polls
// GET /api/links every 2 s and updates the rows in place (buttons stay the same elements between polls).
import {api} from './api.js';
import {h, fill, setText, fmtCount, fmtRate, fmtSeconds, fmtTime, showMessage} from './dom.js';

const POLL_MS = 2000;

const ACTIONS = [
  // action, label, enabled in which states
  ['start', 'Start', ['stopped', 'failed']],
  ['pause', 'Pause', ['running', 'retrying']],
  ['resume', 'Resume', ['paused']],
  ['stop', 'Stop', ['running', 'retrying', 'paused', 'failed']],
  ['delete', 'Delete', null],
];

export function renderLinks(main) {
  const tbody = h('tbody', {id: 'links-body'});
  const empty = h('p', {class: 'empty', hidden: true}, 'No links yet. Create one from the menu, or put a route file into routes/.');
  const updated = h('small', {id: 'links-updated'});
  fill(main,
    h('h1', {}, 'Links ', updated),
    h('table', {id: 'links', class: 'grid'},
      h('thead', {}, h('tr', {},
        ['Link', 'State', 'Source \u2192 Sink', 'In', 'Out', 'Dirty', 'Rows/s', 'Lag', 'Last error', 'Full load', 'Actions']
          .map(t => h('th', {}, t)))),
      tbody),
    empty);
  const rows = new Map();
  let timer = null;
  let stopped = false;

  async function refresh() {
    try {
      const links = await api.links();
      if (stopped) return;
      const seen = new Set();
      for (const link of links) {
        seen.add(link.id);
        let row = rows.get(link.id);
        if (!row) {
          row = newRow(link.id, refresh);
          rows.set(link.id, row);
        }
        tbody.appendChild(row.tr); // keeps the API's order
        update(row, link);
      }
      for (const [id, row] of rows) {
        if (!seen.has(id)) {
          row.tr.remove();
          rows.delete(id);
        }
      }
      empty.hidden = links.length > 0;
      setText(updated, 'updated ' + new Date().toLocaleTimeString('sv-SE'));
    } catch (e) {
      if (e.status !== 401) setText(updated, 'cannot refresh: ' + e.message);
    }
  }

  async function loop() {
    await refresh();
    if (!stopped) timer = setTimeout(loop, POLL_MS);
  }
  loop();
  return () => { stopped = true; clearTimeout(timer); };
}

function newRow(id, refresh) {
  const cell = key => h('td', {dataset: {col: key}});
  const c = {
    link: cell('link'), state: cell('state'), route: cell('route'), in: cell('in'), out: cell('out'),
    dirty: cell('dirty'), rate: cell('rate'), lag: cell('lag'), error: cell('error'), fullLoad: cell('full-load'),
    actions: cell('actions'),
  };
  const name = h('a', {href: '#/links/' + encodeURIComponent(id)}, id);
  const description = h('small', {class: 'description'});
  fill(c.link, name, h('br'), description);
  const badge = h('span', {class: 'state'});
  const runner = h('small', {class: 'runner'}); // several instances: the one elected to run the link
  fill(c.state, badge, h('br'), runner);
  const errorText = h('span', {class: 'error-text'});
  const errorTime = h('small', {class: 'error-time'});
  fill(c.error, errorText, h('br'), errorTime);
  const progressBar = h('progress', {max: 1, value: 0});
  const progressText = h('small', {});
  fill(c.fullLoad, progressBar, h('br'), progressText);
  const buttons = {};
  for (const [action, label] of ACTIONS) {
    buttons[action] = h('button', {type: 'button', dataset: {action}, onclick: () => act(id, action, refresh)}, label);
    c.actions.appendChild(buttons[action]);
  }
  const tr = h('tr', {dataset: {link: id}}, Object.values(c));
  return {tr, c, badge, runner, description, errorText, errorTime, progressBar, progressText, buttons};
}

function update(row, link) {
  const {c} = row;
  setText(row.description, link.description || '');
  setText(row.badge, link.state);
  row.badge.className = 'state ' + link.state;
  row.tr.dataset.state = link.state;
  setText(row.runner, link.runner ? 'on ' + link.runner : '');
  setText(c.route, (link.source || '?') + ' \u2192 ' + (link.sink || '?'));
  setText(c.in, fmtCount(link.recordsIn));
  setText(c.out, fmtCount(link.recordsOut));
  setText(c.dirty, fmtCount(link.recordsDirty));
  setText(c.rate, fmtRate(link.rowsPerSecond));
  setText(c.lag, fmtSeconds(link.lagSeconds));
  setText(row.errorText, link.lastError || '');
  setText(row.errorTime, link.lastError ? fmtTime(link.lastErrorTime) : '');
  const fl = link.fullLoad;
  row.progressBar.hidden = !fl;
  if (fl) {
    const fraction = fl.rowsEstimated > 0 ? Math.min(1, fl.rowsCopied / fl.rowsEstimated)
      : fl.tablesTotal > 0 ? fl.tablesDone / fl.tablesTotal : 0;
    row.progressBar.value = fl.phase === 'incremental' ? 1 : fraction;
    setText(row.progressText, fl.phase + ': tables ' + fl.tablesDone + '/' + fl.tablesTotal
      + ', rows ' + fmtCount(fl.rowsCopied) + '/' + fmtCount(fl.rowsEstimated));
  } else {
    setText(row.progressText, '');
  }
  for (const [action, , states] of ACTIONS) {
    row.buttons[action].disabled = states !== null && !states.includes(link.state);
  }
}

async function act(id, action, refresh) {
  try {
    if (action === 'delete') {
      if (!confirm('Delete link ' + id + '? It stops, and its definition is removed.')) return;
      await api.remove(id);
      showMessage('Link ' + id + ' deleted.');
    } else {
      const view = await api.action(id, action);
      showMessage('Link ' + id + ': ' + view.state + '.');
    }
  } catch (e) {
    showMessage(action + ' ' + id + ': ' + e.message, true);
  }
  refresh();
}
