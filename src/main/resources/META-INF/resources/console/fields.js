// Form controls shared by the link forms (form-aps.js, form-dts.js): labelled inputs, selects, data source
// pickers, reading the named controls, and route parameters without empty values or kamelet defaults.
import {h} from './dom.js';

/** A form section with a title (the seed's step name). */
export function section(title, ...children) {
  return h('fieldset', {}, h('legend', {}, title), children);
}

/** A labelled text/number input. */
export function input(name, title, value, help, attrs) {
  return h('label', {class: 'field'}, h('span', {class: 'title'}, title),
    h('input', Object.assign({name, value: value ?? ''}, attrs || {})), help ? h('small', {class: 'help'}, help) : null);
}

/** A labelled select of [value, label] pairs. */
export function choice(name, title, options, value, help) {
  return h('label', {class: 'field'}, h('span', {class: 'title'}, title),
    h('select', {name}, options.map(o => {
      const [v, l] = Array.isArray(o) ? o : [o, o];
      return h('option', {value: v, selected: String(v) === String(value ?? '')}, l);
    })), help ? h('small', {class: 'help'}, help) : null);
}

/** A data source picker: the declared sources of a kind, or a name to type when the API does not list them. */
export function dataSource(name, title, kind, sources, value, help) {
  const names = sources[kind];
  if (names && names.length) {
    const v = value && names.includes(value) ? value : (names.includes('default') ? 'default' : names[0]);
    return choice(name, title, names, v, help);
  }
  return input(name, title, value || (kind === 'kafka' || kind === 'jdbc' ? 'default' : ''), help);
}

/** The named controls' values: text for inputs and selects, true/false for checkboxes. */
export function values(root) {
  const out = {};
  for (const el of root.querySelectorAll('[name]')) {
    if (el.type === 'checkbox') {
      if (el.value && el.value !== 'on') (out[el.name] = out[el.name] || []).push(...(el.checked ? [el.value] : []));
      else out[el.name] = el.checked;
    } else {
      out[el.name] = el.value.trim();
    }
  }
  return out;
}

/** Parameters without the empty ones and those equal to the kamelet's default. */
export function params(entries, defaults) {
  const out = {};
  for (const [k, v] of Object.entries(entries)) {
    if (v === undefined || v === null || v === '' || (defaults && String(defaults[k]) === String(v))) continue;
    out[k] = typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && numeric.has(k) ? Number(v) : v;
  }
  return out;
}

const numeric = new Set(['parsedJsonLayers', 'serverId', 'partitions', 'retryTimeForFailedConnections',
  'retryTimeForOtherIssues', 'fullRowsPerSecond', 'fullMegabytesPerSecond', 'incrementalRowsPerSecond',
  'incrementalMegabytesPerSecond', 'batchSize']);

/** A name the link kind and the current time suggest, as the seeds' consoles do. */
export function suggestedId(kind) {
  const d = new Date();
  const p = n => String(n).padStart(2, '0');
  return kind + '-' + d.getFullYear() + p(d.getMonth() + 1) + p(d.getDate()) + '-' + p(d.getHours()) + p(d.getMinutes()) + p(d.getSeconds());
}

/** A titled row of several controls (checkboxes, a table, a tree). */
export function group(title, ...controls) {
  return h('div', {class: 'field'}, h('span', {class: 'title'}, title), h('div', {class: 'controls'}, controls));
}
