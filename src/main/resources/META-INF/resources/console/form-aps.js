// The APS forms (seeds 000 SLS -> AnalyticDB, 001 Kafka -> AnalyticDB), in the seeds' sections and words, building
// a route of the kamelets sls-source / kafka-json-source and adb-sink. The schema field mapping lists the destination
// table's columns (GET /api/data-sources/jdbc/{name}/columns) against the source fields of the precheck's preview.
import {api} from './api.js';
import {h, fill, setText} from './dom.js';
import {section, input, choice, group, dataSource, values, params, suggestedId} from './fields.js';

const SINK_DEFAULTS = {dataSource: 'default', parsedJsonLayers: 1, unixTimestampUnit: 'none', timeZone: 'UTC',
  dirtyDataMode: 'stop'};
const SOURCE_DEFAULTS = {startTimeZone: 'UTC'};

/** The form's initial values from a link's definition, or null when it is not one source kamelet into adb-sink. */
export function apsInitial(definition) {
  const route = definition && definition.route;
  const from = route && route.from;
  const to = from && from.steps && from.steps.length === 1 && from.steps[0].to;
  if (!from || !to || typeof to !== 'object' || to.uri !== 'kamelet:adb-sink'
    || !['kamelet:kafka-json-source', 'kamelet:sls-source'].includes(from.uri)) return null;
  return {id: route.id, description: route.description, source: from.parameters || {}, sink: to.parameters || {}};
}

export function apsForm(kind, ctx, initial) {
  const kafka = kind === 'kafka-to-adb';
  const src = (initial && initial.source) || {};
  const snk = (initial && initial.sink) || {};
  const [database, table] = splitTable(snk.table);
  // the mapping as the user set it: column -> source field path (only overrides of the same-name default)
  const overrides = parseMapping(snk.mapping);
  const skipped = new Set(splitList(snk.skipColumns));
  let columns = null;           // [{name, type}] of the destination table, once loaded
  let sourceFields = [];        // field paths seen in the preview
  const sourceDs = kafka
    ? (src.dataSource || (src.brokers === '{{kafka.bootstrap.servers}}' || !src.brokers ? 'default' : null))
    : src.dataSource;
  const extraSource = Object.fromEntries(Object.entries(src).filter(([k]) =>
    !['topic', 'logstore', 'dataSource', 'brokers', 'startTime', 'startTimeZone'].includes(k) || (k === 'brokers' && !sourceDs)));

  const fieldList = h('datalist', {id: 'source-fields'});
  const layersSelect = choice('parsedJsonLayers', 'Parsed JSON Layers', [['0', '0: no parsing'], ['1', '1 (default)'], '2', '3', '4'],
    String(snk.parsedJsonLayers ?? 1), '1 parses the top level; each more layer expands nested objects one level deeper, '
      + 'a field named by its path (user.name).');
  let samples = null;           // the preview's records, parsed
  const mappingBox = h('div', {id: 'mapping'});
  const sample = h('div', {id: 'sample', class: 'sample'}, h('p', {class: 'empty'},
    'Run the precheck: the latest records of the ' + (kafka ? 'topic' : 'logstore') + ' show here, and their fields in the mapping.'));

  const idInput = input('id', 'Job Name', initial ? initial.id : suggestedId(kind),
    'The name of the link (letters, digits, - and _).', initial ? {readOnly: true} : {});
  const sections = [
    section('Source and Destination Settings',
      idInput,
      input('description', 'Description', initial ? initial.description : ''),
      kafka
        ? [dataSource('sourceDataSource', 'Data Source', 'kafka', ctx.sources, sourceDs,
          'A Kafka cluster: default (kafka.bootstrap.servers) or sluice.kafka.<name>.*.'),
        input('topic', 'Topic', src.topic)]
        : [dataSource('sourceDataSource', 'Data Source', 'sls', ctx.sources, sourceDs,
          'An SLS project declared as sluice.sls.<name>.*.'),
        input('logstore', 'Logstore', src.logstore)],
      h('p', {class: 'static'}, h('span', {class: 'title'}, 'Data Source Format'), ' JSON'),
      dataSource('sinkDataSource', 'Destination Type: AnalyticDB for MySQL', 'jdbc', ctx.sources, snk.dataSource,
        'default (quarkus.datasource.*) or sluice.jdbc.<name>.*.')),
    section('Destination Database and Table Settings',
      input('database', 'Database Name', database, null, {onchange: loadColumns}),
      input('table', 'Table Name', table, null, {onchange: loadColumns}),
      group('Sample Data', sample),
      layersSelect,
      group('Schema Field Mapping', mappingBox, fieldList),
      choice('unixTimestampUnit', 'Convert Unix timestamp into datetime',
        [['none', 'No'], ['seconds', 'Seconds'], ['milliseconds', 'Milliseconds'], ['microseconds', 'Microseconds']],
        snk.unixTimestampUnit || 'none', 'Numbers written to DATETIME/TIMESTAMP columns are read in this unit.'),
      input('timeZone', 'Time zone', snk.timeZone || 'UTC')),
    section('Synchronization Settings',
      input('startTime', 'Start Offset', src.startTime, initial
        ? 'A new start offset is a reset: the link reads again from the first record at or after it.'
        : 'The first record at or after this time; empty: the beginning.', {type: 'datetime-local', step: 1}),
      input('startTimeZone', 'Start offset time zone', src.startTimeZone || 'UTC'),
      choice('dirtyDataMode', 'Dirty Data Processing Mode',
        [['stop', 'Stop Synchronization (default)'], ['null', 'Process as NULL']], snk.dirtyDataMode || 'stop',
        'Either way each dirty record, its position and the reason go to the dead-letter channel.')),
  ];

  function tableName(v) {
    return v.database && v.table ? v.database + '.' + v.table : (v.table || '');
  }

  async function loadColumns() {
    const root = mappingBox.closest('form') || document;
    const v = values(root);
    const name = tableName(v);
    if (!name.includes('.')) {
      columns = null;
      drawMapping();
      return;
    }
    fill(mappingBox, h('p', {}, 'Loading the columns of ' + name + '\u2026'));
    try {
      columns = await api.columns(v.sinkDataSource || 'default', name);
    } catch (e) {
      columns = null;
      fill(mappingBox, h('p', {class: 'error'}, 'Columns of ' + name + ': ' + e.message));
      drawMapping(true);
      ctx.changed();
      return;
    }
    drawMapping();
    ctx.changed();
  }

  // one row per destination column: the source field it takes (empty: the field of the same name) and whether
  // it is written; without the columns, the overrides as text
  function drawMapping(keepError) {
    if (!columns) {
      const text = h('input', {id: 'mapping-text', size: 60, value: formatMapping(overrides),
        placeholder: 'column=field.path, ...', oninput: () => {
          overrides.clear();
          parseMapping(text.value).forEach((f, c) => overrides.set(c, f));
        }});
      const box = h('div', {}, h('small', {class: 'help'},
        'Enter the database and table to list their columns; meanwhile overrides as column=field.path pairs.'), text);
      if (keepError) mappingBox.appendChild(box); else fill(mappingBox, box);
      return;
    }
    fill(mappingBox, h('table', {class: 'grid mapping', id: 'mapping-table'},
      h('thead', {}, h('tr', {}, ['Column', 'Type', 'Source field', 'Written'].map(t => h('th', {}, t)))),
      h('tbody', {}, columns.map(c => h('tr', {dataset: {column: c.name}},
        h('td', {}, c.name), h('td', {}, c.type),
        h('td', {}, h('input', {list: 'source-fields', dataset: {column: c.name}, value: overrides.get(c.name) || '',
          placeholder: defaultField(c.name), oninput: e => {
            const f = e.target.value.trim();
            if (f && f !== defaultField(c.name)) overrides.set(c.name, f); else overrides.delete(c.name);
          }})),
        h('td', {}, h('input', {type: 'checkbox', dataset: {column: c.name, role: 'written'}, checked: !skipped.has(c.name),
          onchange: e => { if (e.target.checked) skipped.delete(c.name); else skipped.add(c.name); }})))))));
  }

  // the field a column takes without an override: the one of its name, or a nested field whose path it spells
  function defaultField(column) {
    const c = column.toLowerCase();
    return sourceFields.find(f => f.toLowerCase() === c) || sourceFields.find(f => f.replace(/\./g, '_').toLowerCase() === c)
      || column;
  }

  // the fields of the sample records as the sink names them with the chosen parsed JSON layers
  function showFields() {
    if (samples === null) return;
    const layers = Number(values(layersSelect).parsedJsonLayers);
    const fields = new Set();
    for (const record of samples) {
      if (layers === 0) fields.add('__value__'); else flatten(record, '', 0, layers, fields);
    }
    sourceFields = [...fields];
    fill(sample, h('p', {}, samples.length + ' JSON record(s); fields with ' + layers + ' parsed layer(s): ',
      h('code', {}, sourceFields.join(', '))));
    fill(fieldList, sourceFields.map(f => h('option', {value: f})));
    for (const el of mappingBox.querySelectorAll('input[list]')) el.placeholder = defaultField(el.dataset.column);
  }
  layersSelect.addEventListener('change', showFields);

  if (initial || (database && table)) setTimeout(loadColumns, 0); else drawMapping();

  return {
    sections,
    route() {
      const root = mappingBox.closest('form') || document;
      const v = values(root);
      const sourceParams = kafka
        ? Object.assign({topic: v.topic}, v.sourceDataSource === 'default' || v.sourceDataSource === ''
          ? {brokers: '{{kafka.bootstrap.servers}}'} : {dataSource: v.sourceDataSource})
        : {logstore: v.logstore, dataSource: v.sourceDataSource};
      Object.assign(sourceParams, extraSource, params({startTime: v.startTime, startTimeZone: v.startTimeZone}, SOURCE_DEFAULTS));
      const mapping = [...overrides].filter(([c]) => !columns || columns.some(k => k.name === c));
      return {route: Object.assign({id: v.id}, v.description ? {description: v.description} : {}, {
        from: {
          uri: kafka ? 'kamelet:kafka-json-source' : 'kamelet:sls-source',
          parameters: params(sourceParams),
          steps: [{to: {uri: 'kamelet:adb-sink', parameters: Object.assign(params({
            table: tableName(v),
            dataSource: v.sinkDataSource,
            parsedJsonLayers: v.parsedJsonLayers,
            mapping: formatMapping(new Map(mapping)),
            skipColumns: [...skipped].join(','),
            unixTimestampUnit: v.unixTimestampUnit,
            timeZone: v.timeZone,
            dirtyDataMode: v.dirtyDataMode,
          }, SINK_DEFAULTS), keep(snk))}}],
        },
      })};
    },
    // the preview's records name the source fields the mapping offers
    onPreview(rows) {
      samples = [];
      for (const r of rows) {
        try {
          samples.push(JSON.parse(r.raw));
        } catch (e) { /* not JSON: it shows as dirty in the preview */ }
      }
      showFields();
    },
  };
}

// sink parameters the form has no field for (writeMode, dead-letter...) are kept as they were
function keep(sink) {
  const known = new Set(['table', 'dataSource', 'parsedJsonLayers', 'mapping', 'skipColumns', 'unixTimestampUnit',
    'timeZone', 'dirtyDataMode']);
  return Object.fromEntries(Object.entries(sink).filter(([k]) => !known.has(k)));
}

// as the sink's JsonFlattener: an object at depth d < layers is replaced by its children (parent.child); objects at
// the limit and arrays stay one field of JSON text
function flatten(value, prefix, depth, layers, out) {
  if (value && typeof value === 'object' && !Array.isArray(value) && depth < layers) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? prefix + '.' + k : k, depth + 1, layers, out);
  } else if (prefix) {
    out.add(prefix);
  }
}

function splitTable(t) {
  if (!t) return ['', ''];
  const i = t.indexOf('.');
  return i < 0 ? ['', t] : [t.slice(0, i), t.slice(i + 1)];
}

function splitList(s) {
  return (s || '').split(',').map(x => x.trim()).filter(Boolean);
}

function parseMapping(s) {
  const m = new Map();
  for (const pair of splitList(s)) {
    const i = pair.indexOf('=');
    if (i > 0) m.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
  }
  return m;
}

function formatMapping(m) {
  return [...m].map(([c, f]) => c + '=' + f).join(',');
}
