// The DTS forms (seed 004 MySQL -> Kafka, seeds 002/003 MySQL -> MaxCompute), in the seeds' steps and words, building
// a route of the kamelets mysql-binlog-source and kafka-change-sink / maxcompute-sink. The objects are ticked in the
// tree of the source's databases and tables (GET /api/data-sources/mysql/{name}/objects); each selected table can be
// renamed (Kafka: its topic) and filtered.
import {api} from './api.js';
import {h, fill, fmtCount} from './dom.js';
import {section, input, choice, group, dataSource, values, params, suggestedId} from './fields.js';

const SOURCE_DEFAULTS = {operations: 'insert,update,delete,ddl', objectNameCase: 'dts-default', snapshotMode: 'initial',
  tablesWithoutKey: 'refuse',
  retryTimeForFailedConnections: 720, retryTimeForOtherIssues: 10, fullRowsPerSecond: 0, fullMegabytesPerSecond: 0,
  incrementalRowsPerSecond: 0, incrementalMegabytesPerSecond: 0};
const KAFKA_DEFAULTS = {format: 'canal-json', partitionPolicy: 'all-to-zero', compression: 'lz4', acks: 'all',
  createTopics: false, partitions: 1};
const MC_DEFAULTS = {namingRule: 'new', partitionLevels: 'year,month,day,hour', conflictingTables: 'precheck'};
const OPERATIONS = ['insert', 'update', 'delete', 'ddl'];
const LEVELS = ['year', 'month', 'day', 'hour', 'minute'];

export function dtsForm(kind, ctx) {
  const kafka = kind === 'mysql-to-kafka';
  const tree = h('div', {id: 'objects', class: 'objects'});
  const selected = h('tbody', {id: 'selected-objects'});
  const perTable = new Map(); // db.table -> {rename, filter, operations} inputs

  const sourceDs = dataSource('sourceDataSource', 'Source data source (MySQL)', 'mysql', ctx.sources, 'demo',
    'A MySQL instance declared as sluice.mysql.<name>.*.');
  sourceDs.querySelector('[name]').addEventListener('change', loadObjects);

  const sections = [
    section('Configure source and destination',
      input('id', 'Task Name', suggestedId(kind), 'The name of the link (letters, digits, - and _).'),
      input('description', 'Description', ''),
      sourceDs,
      input('serverName', 'Server name', '', 'Debezium\'s logical server name; names the position state. Empty: the task name.'),
      input('serverId', 'Binlog server_id', '', 'Each binlog reader of one server needs its own; empty: the data source\'s.',
        {type: 'number'}),
      kafka
        ? [dataSource('sinkDataSource', 'Destination Kafka', 'kafka', ctx.sources, 'default',
          'default (kafka.bootstrap.servers) or sluice.kafka.<name>.*.'),
        input('topic', 'Topic', '', 'The topic that receives the changes (tables without their own topic).')]
        : [dataSource('sinkDataSource', 'Destination MaxCompute project', 'maxcompute', ctx.sources, 'demo',
          'A MaxCompute project declared as sluice.maxcompute.<name>.*.')]),
    section('Configure Objects',
      group('Synchronization Types',
        kafka ? null : h('label', {}, h('input', {type: 'checkbox', checked: true, disabled: true}), ' Schema Synchronization '),
        h('label', {}, h('input', {type: 'checkbox', name: 'full', checked: true}), ' Full Data Synchronization '),
        h('label', {}, h('input', {type: 'checkbox', checked: true, disabled: true}), ' Incremental Data Synchronization')),
      kafka
        ? [choice('format', 'Data Format in Kafka', [['canal-json', 'Canal Json'], ['dts-avro', 'DTS Avro']], 'canal-json'),
          choice('compression', 'Kafka Data Compression Format', [['lz4', 'LZ4'], ['gzip', 'GZIP'], ['snappy', 'Snappy'],
            ['zstd', 'ZSTD'], ['none', 'None']], 'lz4'),
          choice('partitionPolicy', 'Policy for Shipping Data to Kafka Partitions',
            [['all-to-zero', 'Ship All Data to Partition 0'], ['by-table', 'Ship Data to Separate Partitions Based on Hash Values of Database and Table Names'],
              ['by-primary-key', 'Ship Data to Separate Partitions Based on Hash Values of Primary Keys']], 'all-to-zero'),
          choice('acks', 'Message acknowledgement mechanism', ['all', '1', '0'], 'all'),
          input('ddlTopic', 'Topic That Stores DDL Information', '', 'Empty: the data topic.'),
          h('label', {class: 'field'}, h('span', {class: 'title'}, 'Create missing topics'),
            h('input', {type: 'checkbox', name: 'createTopics', checked: true})),
          input('partitions', 'Number of Partitions', '1', 'Of the topics created.', {type: 'number', min: 1})]
        : [choice('namingRule', 'Naming Rules of Additional Columns', [['new', 'New Rule (new_dts_sync_...)'],
          ['previous', 'Previous Rule (record_id, ...)']], 'new'),
          group('Partition Definition of Incremental Data Table',
            LEVELS.map(l => h('label', {}, h('input', {type: 'checkbox', name: 'partitionLevels', value: l, checked: l !== 'minute'}), ' ' + l + ' '))),
          choice('conflictingTables', 'Processing Mode of Conflicting Tables',
            [['precheck', 'Precheck and Report Errors'], ['ignore', 'Ignore Errors and Proceed']], 'precheck')],
      choice('objectNameCase', 'Capitalization of Object Names in Destination Instance',
        [['dts-default', 'DTS default policy'], ['source', 'Consistent with the source database'],
          ['lowercase', 'Lowercase'], ['uppercase', 'Uppercase']], 'dts-default'),
      group('SQL Operations to Synchronize',
        OPERATIONS.map(o => h('label', {}, h('input', {type: 'checkbox', name: 'operations', value: o, checked: true}), ' ' + o + ' '))),
      group('Source Objects', tree),
      h('label', {class: 'field'}, h('span', {class: 'title'}, 'Proceed with tables without a primary key'),
        h('input', {type: 'checkbox', name: 'tablesWithoutKey'}),
        h('small', {class: 'help'}, 'DTS\'s "ignore the precheck alert": tables marked "no primary key" are '
          + 'synchronised and the precheck warns instead of failing; the destination may contain duplicate records.')),
      group('Selected Objects',
        h('table', {class: 'grid'}, h('thead', {}, h('tr', {},
          ['Table', kafka ? 'Topic (object name mapping)' : 'Table name in MaxCompute', 'Filter Conditions (WHERE)',
            'Operations (empty: all selected)'].map(t => h('th', {}, t)))), selected))),
    section('Advanced Settings',
      input('retryTimeForFailedConnections', 'Retry Time for Failed Connections (minutes)', '720', '10-1440.', {type: 'number'}),
      input('retryTimeForOtherIssues', 'Retry Time for Other Issues (minutes)', '10', '1-1440, below the one for connections.', {type: 'number'}),
      input('fullRowsPerSecond', 'Throttling for Full Data Synchronization: rows per second', '0', '0 = off.', {type: 'number'}),
      input('fullMegabytesPerSecond', 'Throttling for Full Data Synchronization: MB per second', '0', null, {type: 'number'}),
      input('incrementalRowsPerSecond', 'Throttling for Incremental Data Synchronization: rows per second', '0', null, {type: 'number'}),
      input('incrementalMegabytesPerSecond', 'Throttling for Incremental Data Synchronization: MB per second', '0', null, {type: 'number'})),
  ];

  async function loadObjects() {
    const name = values(sourceDs).sourceDataSource;
    fill(tree, h('p', {}, 'Loading the databases of ' + name + '\u2026'));
    try {
      const dbs = await api.objects(name);
      fill(tree, dbs.length === 0 ? h('p', {class: 'empty'}, 'No databases.') : dbs.map(db => h('details', {open: true},
        h('summary', {}, db.database),
        h('ul', {}, db.tables.map(t => h('li', {},
          h('label', {}, h('input', {type: 'checkbox', dataset: {object: db.database + '.' + t.name},
            onchange: e => tick(db.database + '.' + t.name, e.target.checked)}),
          ' ' + t.name + ' ', h('small', {}, '~' + fmtCount(t.rows) + ' rows'),
          t.hasPrimaryKey ? null : h('small', {class: 'warning'}, ' no primary key'))))))));
    } catch (e) {
      fill(tree, h('p', {class: 'error'}, 'Objects of ' + name + ': ' + e.message));
    }
    for (const row of [...selected.children]) row.remove();
    perTable.clear();
    ctx.changed();
  }

  function tick(table, on) {
    if (on && !perTable.has(table)) {
      const inputs = {
        rename: h('input', {dataset: {rename: table}, placeholder: kafka ? 'the task topic' : table.split('.')[1]}),
        filter: h('input', {dataset: {filter: table}, placeholder: 'amount > 100', size: 20}),
        operations: h('input', {dataset: {operations: table}, placeholder: 'insert,update', size: 14}),
      };
      inputs.row = h('tr', {dataset: {object: table}}, h('td', {}, table), h('td', {}, inputs.rename),
        h('td', {}, inputs.filter), h('td', {}, inputs.operations));
      perTable.set(table, inputs);
      selected.appendChild(inputs.row);
    } else if (!on && perTable.has(table)) {
      perTable.get(table).row.remove();
      perTable.delete(table);
    }
    ctx.changed();
  }

  setTimeout(loadObjects, 0);

  return {
    sections,
    route() {
      const v = values(tree.closest('form') || document);
      const tables = [...perTable.keys()];
      const per = key => tables.filter(t => perTable.get(t)[key].value.trim())
        .map(t => [t, perTable.get(t)[key].value.trim()]);
      const source = params({
        name: v.serverName || v.id,
        dataSource: v.sourceDataSource,
        serverId: v.serverId,
        databases: [...new Set(tables.map(t => t.split('.')[0]))].join(','),
        tables: tables.map(t => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(','),
        operations: (v.operations || []).join(','),
        tableOperations: per('operations').map(([t, o]) => t + '=' + o).join(';'),
        filters: per('filter').map(([t, f]) => t + '=' + f).join(';'),
        renameTables: kafka ? '' : per('rename').map(([t, n]) => t + '=' + n).join(','),
        objectNameCase: v.objectNameCase,
        snapshotMode: v.full ? 'initial' : 'no_data',
        tablesWithoutKey: v.tablesWithoutKey ? 'sync' : 'refuse',
        retryTimeForFailedConnections: v.retryTimeForFailedConnections,
        retryTimeForOtherIssues: v.retryTimeForOtherIssues,
        fullRowsPerSecond: v.fullRowsPerSecond,
        fullMegabytesPerSecond: v.fullMegabytesPerSecond,
        incrementalRowsPerSecond: v.incrementalRowsPerSecond,
        incrementalMegabytesPerSecond: v.incrementalMegabytesPerSecond,
      }, SOURCE_DEFAULTS);
      const sink = kafka
        ? Object.assign(params({topic: v.topic}), v.sinkDataSource === 'default' || v.sinkDataSource === ''
          ? {brokers: '{{kafka.bootstrap.servers}}'} : {dataSource: v.sinkDataSource}, params({
          format: v.format, compression: v.compression, partitionPolicy: v.partitionPolicy, acks: v.acks,
          ddlTopic: v.ddlTopic, tableTopics: per('rename').map(([t, n]) => t + '=' + n).join(';'),
          createTopics: v.createTopics, partitions: v.partitions,
        }, KAFKA_DEFAULTS))
        : Object.assign({name: v.id, dataSource: v.sinkDataSource}, params({
          namingRule: v.namingRule,
          partitionLevels: (v.partitionLevels || []).length ? v.partitionLevels.join(',') : 'none',
          conflictingTables: v.conflictingTables,
        }, MC_DEFAULTS));
      return {route: Object.assign({id: v.id}, v.description ? {description: v.description} : {}, {
        from: {uri: 'kamelet:mysql-binlog-source', parameters: source,
          steps: [{to: {uri: kafka ? 'kamelet:kafka-change-sink' : 'kamelet:maxcompute-sink', parameters: sink}}]},
      })};
    },
  };
}
