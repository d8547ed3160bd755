// Elements built with textContent only (never innerHTML): values from the API and pasted
// payloads are shown, never interpreted.

/** h('a', { href: '#/x', class: 'y', onclick: fn }, 'text', child, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const table = (headers, rows, caption) =>
  h(
    'table',
    {},
    caption ? h('caption', { class: 'muted' }, caption) : null,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h('tbody', {}, rows),
  );

/** "3 min ago", "in 12 min", from an ISO time. */
export function relative(iso, now = Date.now()) {
  const ms = Date.parse(iso) - now;
  if (Number.isNaN(ms)) return '—';
  const abs = Math.abs(ms);
  const text =
    abs < 60_000
      ? `${Math.round(abs / 1000)} s`
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 86_400_000
          ? `${(abs / 3_600_000).toFixed(1)} h`
          : `${(abs / 86_400_000).toFixed(1)} d`;
  return ms < 0 ? `${text} ago` : `in ${text}`;
}

export const time = (iso) => h('time', { datetime: iso, title: iso }, new Date(iso).toLocaleString());

export const stateBadge = (state) => h('span', { class: `badge state-${state}` }, state);

/** A compact one-line JSON of a value, for detail cells. */
export const compact = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
