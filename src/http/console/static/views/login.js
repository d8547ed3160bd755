import { api, explain, token } from '../api.js';
import { h } from '../dom.js';

/** Paste a token; it is checked against GET /admin/rules (any role may read) before it is kept. */
export function login({ main, status, go }) {
  const input = h('input', { id: 'token', type: 'password', name: 'token', autocomplete: 'off', required: true, 'aria-describedby': 'token-help' });
  const error = h('p', { id: 'login-error', class: 'error', role: 'alert' });
  const form = h('form', {
    onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      const presented = input.value.trim();
      if (!presented) return void (error.textContent = 'Paste a token first.');
      status('Checking the token…');
      try {
        await api('GET', '/admin/rules', undefined, presented);
        token.set(presented);
        status('Logged in.', 'ok');
        go('#/board');
      } catch (err) {
        status('');
        error.textContent = explain(err);
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    },
  },
  h('label', { for: 'token' }, 'Admin token'),
  input,
  h('p', { id: 'token-help', class: 'muted' }, 'A token from MIM_ADMIN_TOKEN or MIM_ADMIN_TOKENS. It is kept in this tab only and sent as a bearer header.'),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Log in')),
  error);
  main.append(h('h1', {}, 'Log in'), form);
  input.focus();
}
