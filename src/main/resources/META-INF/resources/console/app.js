// The console's shell: hash routing, the sign-in hand-over, the alerts banner and the sign-out link.
import {api, hasToken, clearToken, onUnauthorized} from './api.js';
import {h, fill} from './dom.js';
import {renderSignIn} from './signin.js';
import {renderLinks} from './links.js';
import {renderDetails} from './details.js';
import {renderCreate, renderEdit} from './forms.js';
import {renderDataSources} from './datasources.js';

const main = document.getElementById('main');
let cleanup = null;      // stops the current page's polling
let signingIn = false;

const routes = [
  [/^#\/links\/(.+)$/, m => renderDetails(main, decodeURIComponent(m[1]))],
  [/^#\/create\/([a-z-]+)$/, m => renderCreate(main, m[1])],
  [/^#\/edit\/(.+)$/, m => renderEdit(main, decodeURIComponent(m[1]))],
  [/^#\/data-sources$/, () => renderDataSources(main)],
  [/^(#\/links)?$|.*/, () => renderLinks(main)],
];

function route() {
  if (cleanup) cleanup();
  cleanup = null;
  signingIn = false;
  document.getElementById('sign-out').hidden = !hasToken();
  const hash = location.hash || '#/links';
  for (const nav of document.querySelectorAll('[data-nav]')) {
    nav.classList.toggle('current', hash.startsWith('#/' + nav.dataset.nav));
  }
  for (const [pattern, render] of routes) {
    const m = hash.match(pattern);
    if (m) {
      cleanup = render(m) || null;
      return;
    }
  }
}

onUnauthorized(error => {
  if (signingIn) return;
  signingIn = true;
  if (cleanup) cleanup();
  cleanup = null;
  const reason = hasToken() ? 'The token was refused: ' + error.message + '.' : '';
  clearToken();
  document.getElementById('sign-out').hidden = true;
  renderSignIn(main, reason, route);
});

document.getElementById('sign-out').addEventListener('click', event => {
  event.preventDefault();
  clearToken();
  location.hash = '#/links';
  route();
});

// Firing alerts (link failed, lag above threshold) in a banner on every page.
async function pollAlerts() {
  const banner = document.getElementById('alerts');
  try {
    const alerts = signingIn ? [] : await api.alerts();
    fill(banner, alerts.map(a => h('div', {class: 'alert', dataset: {link: a.link, rule: a.rule}},
      h('strong', {}, a.rule === 'failed' ? 'Link failed' : a.rule === 'lag' ? 'Lag above threshold' : a.rule),
      ': ', h('a', {href: '#/links/' + encodeURIComponent(a.link)}, a.link), ' ',
      a.message || '', a.since ? ' (since ' + new Date(a.since).toLocaleString('sv-SE') + ')' : '',
      a.webhookError ? h('small', {}, ' webhook: ' + a.webhookError) : null)));
    banner.hidden = alerts.length === 0;
  } catch (e) {
    banner.hidden = true; // an older Sluice without alerts, or signed out: nothing to show
  }
}

window.addEventListener('hashchange', route);
route();
pollAlerts();
setInterval(pollAlerts, 2000);
