// The admin API through the browser session: login posts the token once to POST /admin/session,
// which answers with an HttpOnly, SameSite=Strict cookie; every later call carries the cookie,
// never the token (scripts cannot read it). This tab remembers only who is logged in.

const KEY = 'mim-bridge.session';

export const session = {
  /** `{ name, role }` of the token the session was opened with, or undefined. */
  get: () => {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) ?? 'null') ?? undefined;
    } catch {
      return undefined;
    }
  },
  set: (who) => sessionStorage.setItem(KEY, JSON.stringify({ name: who.name, role: who.role })),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, body) {
    super(`${status} ${body?.error ?? ''}`.trim());
    this.status = status;
    this.body = body ?? {};
  }
}

/** Called when a call answers 401 outside login: the session expired or was ended elsewhere. */
let onSessionEnded = () => {};
export const whenSessionEnds = (fn) => {
  onSessionEnded = fn;
};

/** `signal` aborts the call (live.js gives up on a call that hangs). */
export async function api(method, path, body, { signal } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(signal ? { signal } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = { error: 'not_json', message: text.slice(0, 200) };
  }
  if (!res.ok) {
    const err = new ApiError(res.status, json);
    if (res.status === 401 && path !== '/admin/session') onSessionEnded(err);
    throw err;
  }
  return json;
}

export const login = (token) => api('POST', '/admin/session', { token });
export const logout = () => api('DELETE', '/admin/session');

/** What an operator should read for a failed call. */
export function explain(err) {
  if (!(err instanceof ApiError)) return `Could not reach mim-bridge: ${err?.message ?? err}`;
  const b = err.body;
  switch (err.status) {
    case 401:
      return 'The token was not accepted (401 unauthorized): it is missing, mistyped or no longer configured.';
    case 403:
      return `This needs the ${b.required ?? 'a higher'} role (403 forbidden); your token's role cannot do it.`;
    case 429:
      return 'Too many requests (429): the admin API rate limit was reached; try again in a minute.';
    case 503: {
      const detail = b.message ? `: ${b.message}` : '';
      return `mim-bridge cannot answer right now (503 ${b.error ?? 'unavailable'})${detail}.`;
    }
    default: {
      const where = b.field ? ` (${b.field})` : '';
      const why = b.message ?? b.reason ?? b.issues?.[0]?.message ?? '';
      return `${err.status} ${b.error ?? 'error'}${where}${why ? `: ${why}` : ''}`;
    }
  }
}
