import { createHttpClient } from '../shared/axios-call.ts';
import { failed, isOutcome, passed, request, statusFailure, type CheckOutcome } from '../shared/check.ts';

/**
 * The Slack connection check: `auth.test`, which needs no scope, says whose token it is, and
 * lists the token's scopes in the `x-oauth-scopes` response header. Nothing is posted.
 * https://docs.slack.dev/reference/methods/auth.test · the header (secondary source):
 * https://github.com/slack-ruby/slack-ruby-client/issues/378
 */

/** The bot scopes of the app manifest in docs/setup-slack.md, one per Web API method the connector calls. */
export const SLACK_REQUIRED_SCOPES = [
  'chat:write',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
] as const;

export interface SlackCheckConfig {
  readonly apiUrl: string;
  readonly token: string;
  readonly timeoutMs: number;
}

export const SLACK_CHECK = { vendor: 'slack', urlVar: 'SLACK_API_URL', credentialVars: 'SLACK_BOT_TOKEN' } as const;

/** `ok:false` errors of an unusable token: https://docs.slack.dev/reference/methods/auth.test#errors */
const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

/** The scopes of docs/setup-slack.md that the header does not list. */
export function missingScopes(header: unknown): string[] {
  const held = new Set(
    (typeof header === 'string' ? header : '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  return SLACK_REQUIRED_SCOPES.filter((s) => !held.has(s));
}

export async function checkSlack(config: SlackCheckConfig): Promise<CheckOutcome> {
  const http = createHttpClient({
    baseURL: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`,
    timeoutMs: config.timeoutMs,
    headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${config.token}` },
  });
  const res = await request(http, SLACK_CHECK, { method: 'POST', url: 'auth.test', data: {} });
  if (isOutcome(res)) return res;
  if (res.status !== 200) return statusFailure(SLACK_CHECK, res.status);
  const body = res.data as { ok?: unknown; error?: unknown; team?: unknown; user?: unknown } | undefined;
  if (!body || typeof body !== 'object' || typeof body.ok !== 'boolean')
    return failed(
      'INVALID_RESPONSE',
      'HTTP 200 but not a Web API answer',
      'SLACK_API_URL must be https://slack.com/api',
    );
  if (!body.ok) {
    const error = typeof body.error === 'string' ? body.error : 'unknown';
    if (BAD_TOKEN.has(error))
      return failed(
        `SLACK_${error.toUpperCase()}`,
        `auth.test: ${error}`,
        'the token in SLACK_BOT_TOKEN is wrong, revoked or expired: copy the Bot User OAuth Token (xoxb-…) again',
      );
    return failed(`SLACK_${error.toUpperCase()}`, `auth.test: ${error}`, 'see docs/setup-slack.md');
  }
  const missing = missingScopes(res.headers['x-oauth-scopes']);
  if (missing.length)
    return failed(
      'MISSING_SCOPE',
      `the token lacks ${missing.join(', ')}`,
      `add scope ${missing.join(', ')} in the app manifest (docs/setup-slack.md), then reinstall the app`,
    );
  const who = [body.user, body.team].filter((v) => typeof v === 'string').join(' in ');
  return passed(`token of ${who || 'the bot'}, all ${SLACK_REQUIRED_SCOPES.length} scopes held`);
}
