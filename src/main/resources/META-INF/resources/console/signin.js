// The sign-in form shown when the API answers 401. The token goes to sessionStorage and the Authorization header
// only: the form never submits (no GET with the token in the URL) and the page never shows it.
import {api, setToken, clearToken, ApiError} from './api.js';
import {h, fill} from './dom.js';

export function renderSignIn(main, reason, onSignedIn) {
  const input = h('input', {type: 'password', name: 'token', id: 'token', autocomplete: 'off', size: 40});
  const problem = h('p', {class: 'error', id: 'sign-in-error'}, reason || '');
  const form = h('form', {id: 'sign-in', onsubmit: async event => {
    event.preventDefault();
    const token = input.value.trim();
    input.value = '';
    if (!token) return;
    setToken(token);
    try {
      await api.links();
      onSignedIn();
    } catch (e) {
      clearToken();
      problem.textContent = e instanceof ApiError && e.status === 401
        ? 'The token was refused: ' + e.message + '.'
        : 'Cannot reach Sluice: ' + e.message;
      input.focus();
    }
  }},
  h('h1', {}, 'Sign in'),
  h('p', {}, 'This Sluice asks for its API token (sluice.api.token / SLUICE_API_TOKEN). It is kept in this tab only.'),
  h('label', {class: 'field'}, h('span', {class: 'title'}, 'API token'), input),
  h('button', {type: 'submit', id: 'sign-in-button'}, 'Sign in'),
  problem);
  fill(main, form);
  input.focus();
}
