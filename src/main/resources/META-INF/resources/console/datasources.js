// The data sources page: every declared data source (kind, endpoint, account; secrets never) with a connectivity
// test per row (POST /api/data-sources/{kind}/{name}/test).
import {api} from './api.js';
import {h, fill, setText} from './dom.js';

export function renderDataSources(main) {
  const body = h('div', {}, h('p', {}, 'Loading\u2026'));
  fill(main, h('h1', {}, 'Data sources'), body);
  let cancelled = false;
  api.dataSources().then(list => {
    if (cancelled) return;
    fill(body, list.length === 0 ? h('p', {class: 'empty'}, 'No data sources declared.') : h('table', {class: 'grid', id: 'data-sources'},
      h('thead', {}, h('tr', {}, ['Name', 'Kind', 'Endpoint', 'Account', 'Details', 'Connectivity'].map(t => h('th', {}, t)))),
      h('tbody', {}, list.map(s => {
        const result = h('span', {class: 'test-result'});
        const button = h('button', {type: 'button', dataset: {action: 'test'}, onclick: async () => {
          button.disabled = true;
          setText(result, 'testing\u2026');
          result.className = 'test-result';
          try {
            const r = await api.testDataSource(s.kind, s.name);
            setText(result, (r.ok ? 'OK' : 'Failed') + ' (' + r.millis + ' ms)' + (r.message ? ': ' + r.message : ''));
            result.className = 'test-result ' + (r.ok ? 'pass' : 'fail');
          } catch (e) {
            setText(result, e.message);
            result.className = 'test-result fail';
          } finally {
            button.disabled = false;
          }
        }}, 'Test');
        return h('tr', {dataset: {source: s.kind + '/' + s.name}},
          h('td', {}, s.name), h('td', {}, s.kind), h('td', {}, s.endpoint), h('td', {}, s.account),
          h('td', {}, h('small', {}, Object.entries(s.details || {}).map(([k, v]) => k + '=' + v).join(', '))),
          h('td', {}, button, ' ', result));
      }))));
  }).catch(e => {
    if (!cancelled && e.status !== 401) fill(body, h('p', {class: 'error'}, e.message));
  });
  return () => { cancelled = true; };
}
