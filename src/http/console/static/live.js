import { ApiError } from './api.js';

// Live data without a reload: each view polls one cheap admin call (GET /admin/board, the detail) and
// re-renders only when the answer changed. The stale-data banner says when the last good answer is too
// old: a failed call, or one that hangs, shows it; the next good answer hides it.

export const REFRESH_MS = 5_000;
/** While the data is stale: try again sooner, so the banner goes as soon as the connection is back. */
const RETRY_MS = 2_000;
const STALE_AFTER_MS = 2 * REFRESH_MS + 1_000;

const banner = () => document.getElementById('stale');

function showStale(lastOk, why) {
  const el = banner();
  if (!el) return;
  const since = lastOk ? `data from ${new Date(lastOk).toLocaleTimeString()}` : 'no data yet';
  el.textContent = `Connection lost (${why}): showing ${since}. Retrying every ${RETRY_MS / 1000} s.`;
  el.hidden = false;
}

export function hideStale() {
  const el = banner();
  if (el) el.hidden = true;
}

/**
 * Calls `load(signal)` now and every REFRESH_MS (the signal gives up on a call that hangs); `render(data)` runs when
 * the answer differs from the last one.
 * Returns the stop function the router calls when the view goes away.
 */
export function poll(load, render, onError) {
  let alive = true;
  let lastOk = 0;
  let lastText;
  let why = 'no answer';
  const tick = async () => {
    try {
      const data = await load(AbortSignal.timeout(STALE_AFTER_MS));
      if (!alive) return;
      lastOk = Date.now();
      hideStale();
      const text = JSON.stringify(data);
      if (text !== lastText) {
        lastText = text;
        render(data);
      }
    } catch (err) {
      if (!alive) return;
      // A 401 ends the session (api.js sends the tab to the login form); a 404 is the view's to say.
      if (err instanceof ApiError && (err.status === 401 || err.status === 404)) return onError?.(err);
      why =
        err instanceof ApiError
          ? `HTTP ${err.status}`
          : err?.name === 'TimeoutError'
            ? 'no answer in time'
            : 'mim-bridge did not answer';
      showStale(lastOk, why);
      onError?.(err);
    }
  };
  // A timeout chain rather than an interval: the next call waits for this one, and comes sooner while stale.
  let next;
  const loop = async () => {
    await tick();
    if (alive) next = setTimeout(loop, banner()?.hidden === false ? RETRY_MS : REFRESH_MS);
  };
  void loop();
  // A call that hangs never fails: the banner also shows when the last good answer is too old.
  const watch = setInterval(() => {
    if (lastOk && Date.now() - lastOk > STALE_AFTER_MS) showStale(lastOk, why);
  }, 1_000);
  return () => {
    alive = false;
    clearTimeout(next);
    clearInterval(watch);
    hideStale();
  };
}

/** Keeps every `time[data-countdown]` under `root` counting, once a second, without a call to the server. */
export function countdowns(root, format) {
  const every = setInterval(() => {
    for (const el of root.querySelectorAll('time[data-countdown]')) el.textContent = format(el.dateTime);
  }, 1_000);
  return () => clearInterval(every);
}
