import { explain, login as openSession, session } from '../api.js';
import { h } from '../dom.js';

/** Paste a token; POST /admin/session checks it and answers with the session cookie. */
export function login({ main, status, go, notice }) {
  const input = h('input', {
    id: 'token',
    type: 'password',
    name: 'token',
    autocomplete: 'off',
    required: true,
    'aria-describedby': 'token-help',
  });
  const error = h('p', { id: 'login-error', class: 'error', role: 'alert' }, notice ?? '');
  const form = h(
    'form',
    {
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        const presented = input.value.trim();
        if (!presented) {
          error.textContent = 'Paste a token first.';
          return;
        }
        status('Checking the token…');
        try {
          const who = await openSession(presented);
          input.value = '';
          session.set(who);
          status(`Logged in as ${who.name} (${who.role}).`, 'ok');
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
    h(
      'p',
      { id: 'token-help', class: 'muted' },
      'A token from MIM_ADMIN_TOKEN or MIM_ADMIN_TOKENS. It is sent once to open a session (an HttpOnly cookie ' +
        'for 8 hours); the page never keeps it.',
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Log in')),
    error,
  );
  main.append(h('h1', {}, 'Log in'), form);
  input.focus();
}
