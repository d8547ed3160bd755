// The admin API, with the token the operator pasted. It stays in this tab's sessionStorage
// (gone when the tab closes) and is sent as a bearer header on every call.

const KEY = 'mim-bridge.admin-token';

export const token = {
  get: () => sessionStorage.getItem(KEY) ?? '',
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, body) {
    super(`${status} ${body?.error ?? ''}`.trim());
    this.status = status;
    this.body = body ?? {};
  }
}

export async function api(method, path, body, presented = token.get()) {
  const headers = { accept: 'application/json' };
  if (presented) headers.authorization = `Bearer ${presented}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = { error: 'not_json', message: text.slice(0, 200) }; }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** What an operator should read for a failed call. */
export function explain(err) {
  if (!(err instanceof ApiError)) return `Could not reach mim-bridge: ${err?.message ?? err}`;
  const b = err.body;
  switch (err.status) {
    case 401: return 'The token was not accepted (401 unauthorized): it is missing, mistyped or no longer configured.';
    case 403: return `This needs the ${b.required ?? 'a higher'} role (403 forbidden); your token's role cannot do it.`;
    case 429: return 'Too many requests (429): the admin API rate limit was reached; try again in a minute.';
    default: {
      const where = b.field ? ` (${b.field})` : '';
      const why = b.message ?? b.reason ?? b.issues?.[0]?.message ?? '';
      return `${err.status} ${b.error ?? 'error'}${where}${why ? `: ${why}` : ''}`;
    }
  }
}
