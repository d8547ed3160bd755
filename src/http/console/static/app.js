import { explain, logout, session, whenSessionEnds } from './api.js';
import { configHistory } from './views/config-history.js';
import { connections } from './views/connections.js';
import { board } from './views/board.js';
import { deadLetters } from './views/dead-letters.js';
import { detail } from './views/detail.js';
import { login } from './views/login.js';
import { readiness } from './views/readiness.js';
import { simulator } from './views/simulator.js';

// A hash router: #/board, #/mi/<id>, #/simulator, #/dead-letters. Each view renders into
// <main> and may return a function that stops what it started (the board's refresh).

const main = document.getElementById('main');
const statusEl = document.getElementById('status');
const nav = document.getElementById('nav');
const logoutButton = document.getElementById('logout');
const who = document.getElementById('who');
let stop;
let keepStatus = false;
let notice;

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
  [/^#\/config$/, () => configHistory],
  [/^#\/connections$/, () => connections],
  [/^#\/readiness$/, () => readiness],
];

function render() {
  stop?.();
  stop = undefined;
  const me = session.get();
  const signedIn = Boolean(me);
  nav.hidden = !signedIn;
  logoutButton.hidden = !signedIn;
  who.textContent = me ? `${me.name} · ${me.role}` : '';
  if (!signedIn && location.hash !== '#/login') return void location.replace('#/login');
  const hash = location.hash || '#/board';
  if (signedIn && hash === '#/login') return void location.replace('#/board');
  for (const a of nav.querySelectorAll('a')) {
    const current =
      hash === a.getAttribute('href') || (hash.startsWith('#/mi/') && a.getAttribute('href') === '#/board');
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  let view = login;
  if (signedIn) {
    view = board;
    for (const [re, make] of routes) {
      const m = hash.match(re);
      if (m) {
        view = make(m);
        break;
      }
    }
  }
  main.replaceChildren();
  if (!keepStatus) status('');
  keepStatus = false;
  const ctx = {
    main,
    status,
    role: me?.role,
    notice,
    go: (to) => {
      keepStatus = true;
      location.hash = to;
    },
  };
  notice = undefined;
  const result = view(ctx);
  if (typeof result === 'function') stop = result;
  main.focus();
}

logoutButton.addEventListener('click', async () => {
  try {
    await logout();
    status('Logged out: the session is ended.', 'ok');
  } catch (err) {
    status(`Logged out here; the server said: ${explain(err)}`, 'error');
  }
  session.clear();
  keepStatus = true;
  location.hash = '#/login';
});

// A 401 after login: the session expired (8 h), was logged out elsewhere, or its token was removed.
whenSessionEnds(() => {
  if (!session.get()) return;
  session.clear();
  notice = 'Your session has ended (401): log in again.';
  location.hash = '#/login';
});
window.addEventListener('hashchange', render);
render();
