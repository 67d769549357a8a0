// DOM helpers. Everything shown comes from links, records and errors, which carry arbitrary text: it is only ever
// set as text (createElement, textContent, setAttribute), never parsed as HTML.

/**
 * h('tr', {class: 'x', dataset: {link: id}, onclick: fn}, child, ...): an element. Attribute values are set with
 * setAttribute (or as properties for value/checked/disabled/...), children are nodes or text; null/false are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (['value', 'checked', 'disabled', 'selected', 'hidden', 'readOnly'].includes(key)) {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Sets a text only when it changed (polling must not disturb a selection or a focused element). */
export function setText(el, text) {
  const t = text === null || text === undefined ? '' : String(text);
  if (el.textContent !== t) el.textContent = t;
}

export function fmtCount(n) {
  return n === null || n === undefined ? '' : Number(n).toLocaleString('en-US');
}

export function fmtRate(x) {
  if (x === null || x === undefined) return '';
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : Number(x).toFixed(1);
}

export function fmtSeconds(s) {
  if (s === null || s === undefined || s < 0) return '';
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
}

export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString('sv-SE');
}

/** Shows a message in the page's message bar (an error in red), hidden again after a while. */
let messageTimer;
export function showMessage(text, isError) {
  const el = document.getElementById('message');
  el.className = isError ? 'error' : 'info';
  setText(el, text);
  el.hidden = false;
  clearTimeout(messageTimer);
  messageTimer = setTimeout(() => { el.hidden = true; }, isError ? 15000 : 4000);
}
