// The management API client: the console is a client of the same API as curl. The token is kept in sessionStorage
// (gone when the tab closes) and only ever sent in the Authorization header, never in a URL.

const TOKEN_KEY = 'sluice.token';

export function hasToken() {
  return !!sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** An answer other than 2xx: status and the API's {"error": "..."} message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Listeners called when an answer is 401 (the sign-in form takes over). */
const unauthorized = [];
export function onUnauthorized(listener) {
  unauthorized.push(listener);
}

async function call(method, path, body, contentType) {
  const headers = {Accept: 'application/json, text/plain'};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
  const res = await fetch(path, {method, headers, body, cache: 'no-store'});
  const text = await res.text();
  let data = text;
  if ((res.headers.get('Content-Type') || '').includes('json') && text) {
    try { data = JSON.parse(text); } catch (e) { /* keep the text */ }
  }
  if (!res.ok) {
    // the API answers {"error": ...}; anything else (an HTML error page) is named by its status only
    const message = data && data.error ? data.error
      : 'HTTP ' + res.status + (res.status === 404 ? ' (not found: ' + path.split('?')[0] + ')' : ' ' + res.statusText);
    const error = new ApiError(res.status, message);
    if (res.status === 401) unauthorized.forEach(l => l(error));
    throw error;
  }
  return data;
}

const enc = encodeURIComponent;
const yaml = 'application/yaml';

export const api = {
  links: () => call('GET', '/api/links'),
  link: id => call('GET', '/api/links/' + enc(id)),
  action: (id, action) => call('POST', '/api/links/' + enc(id) + '/' + action),
  remove: id => call('DELETE', '/api/links/' + enc(id)),
  add: text => call('POST', '/api/links', text, yaml),
  replace: (id, text) => call('PUT', '/api/links/' + enc(id), text, yaml),
  check: text => call('POST', '/api/links/check', text, yaml),
  history: id => call('GET', '/api/links/' + enc(id) + '/history'),
  preview: id => call('GET', '/api/links/' + enc(id) + '/preview'),
  precheck: id => call('GET', '/api/links/' + enc(id) + '/precheck'),
  dirty: id => call('GET', '/api/links/' + enc(id) + '/dirty?limit=100'),
  replay: id => call('POST', '/api/links/' + enc(id) + '/dirty/replay'),
  mergeSql: (id, table, time) => call('GET', '/api/links/' + enc(id) + '/merge-sql?table=' + enc(table)
    + (time ? '&time=' + enc(time) : '')),
  alerts: () => call('GET', '/api/alerts'),
  dataSources: () => call('GET', '/api/data-sources'),
  testDataSource: (kind, name) => call('POST', '/api/data-sources/' + enc(kind) + '/' + enc(name) + '/test'),
  objects: name => call('GET', '/api/data-sources/mysql/' + enc(name) + '/objects'),
  columns: (name, table) => call('GET', '/api/data-sources/jdbc/' + enc(name) + '/columns?table=' + enc(table)),
};
