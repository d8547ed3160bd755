import { token } from './api.js';
import { board } from './views/board.js';
import { deadLetters } from './views/dead-letters.js';
import { detail } from './views/detail.js';
import { login } from './views/login.js';
import { simulator } from './views/simulator.js';

// A hash router: #/board, #/mi/<id>, #/simulator, #/dead-letters. Each view renders into
// <main> and may return a function that stops what it started (the board's refresh).

const main = document.getElementById('main');
const statusEl = document.getElementById('status');
const nav = document.getElementById('nav');
const logoutButton = document.getElementById('logout');
let stop;

/** Tells the operator (and screen readers, through aria-live) what happened. */
export function status(text, kind = 'info') {
  statusEl.textContent = text;
  statusEl.className = `status ${kind}`;
}

const routes = [
  [/^#\/board$/, () => board],
  [/^#\/mi\/([^/]+)$/, (m) => (ctx) => detail(ctx, decodeURIComponent(m[1]))],
  [/^#\/simulator$/, () => simulator],
  [/^#\/dead-letters$/, () => deadLetters],
];

function render() {
  stop?.();
  stop = undefined;
  const signedIn = Boolean(token.get());
  nav.hidden = !signedIn;
  logoutButton.hidden = !signedIn;
  if (!signedIn && location.hash !== '#/login') return void location.replace('#/login');
  const hash = location.hash || '#/board';
  if (signedIn && hash === '#/login') return void location.replace('#/board');
  for (const a of nav.querySelectorAll('a')) {
    const current = hash === a.getAttribute('href') || (hash.startsWith('#/mi/') && a.getAttribute('href') === '#/board');
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  let view = login;
  if (signedIn) {
    view = board;
    for (const [re, make] of routes) {
      const m = hash.match(re);
      if (m) { view = make(m); break; }
    }
  }
  main.replaceChildren();
  status('');
  const ctx = { main, status, go: (to) => { location.hash = to; } };
  const result = view(ctx);
  if (typeof result === 'function') stop = result;
  main.focus();
}

logoutButton.addEventListener('click', () => {
  token.clear();
  location.hash = '#/login';
  status('Logged out.', 'ok');
});
window.addEventListener('hashchange', render);
render();
