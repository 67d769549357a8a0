// Writes a route structure as YAML DSL text. Every string is written double-quoted with JSON's escapes (valid YAML),
// so values with ':', '#', '{{...}}' or quotes stay what the user typed.

export function toYaml(value) {
  return write(value, 0).replace(/^\n/, '') + '\n';
}

function write(value, indent) {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value.map(item => '\n' + pad + '-' + indentFirst(write(item, indent + 2), indent + 2)).join('');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return ' {}';
    return entries.map(([k, v]) => '\n' + pad + key(k) + ':' + write(v, indent + 2)).join('');
  }
  return ' ' + scalar(value);
}

// a mapping or list inside a list item starts on the dash's line
function indentFirst(text, indent) {
  return text.startsWith('\n') ? ' ' + text.slice(indent + 1) : text;
}

function key(k) {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) ? k : JSON.stringify(k);
}

function scalar(v) {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(String(v));
}
