import { ConnectorError, type SlackErrorCode } from '../connector-error.ts';
import { lookup } from '../shared/lookup.ts';

/**
 * Slack's `ok:false` error strings → retry decision. The Web API answers HTTP 200 for these, so
 * the HTTP classifier never sees them. Error lists per method:
 * https://docs.slack.dev/reference/methods/chat.postMessage#errors
 * https://docs.slack.dev/reference/methods/chat.update#errors
 * Unknown strings are permanent: an operator reads them in the dead-letter list rather than
 * having a message retried blindly.
 */
export type KnownSlackError =
  | 'ratelimited'
  | 'rate_limited'
  | 'internal_error'
  | 'fatal_error'
  | 'service_unavailable'
  | 'request_timeout'
  | 'team_added_to_org'
  | 'channel_not_found'
  | 'not_in_channel'
  | 'is_archived'
  | 'msg_too_long'
  | 'no_text'
  | 'too_many_attachments'
  | 'invalid_blocks'
  | 'invalid_blocks_format'
  | 'invalid_attachments'
  | 'message_not_found'
  | 'cant_update_message'
  | 'edit_window_closed'
  | 'restricted_action'
  | 'invalid_auth'
  | 'not_authed'
  | 'account_inactive'
  | 'token_revoked'
  | 'token_expired'
  | 'no_permission'
  | 'missing_scope'
  | 'invalid_arguments'
  | 'invalid_charset'
  | 'ekm_access_denied';

/** `true`: retryable. */
export const SLACK_ERROR_RETRYABLE = {
  ratelimited: true,
  rate_limited: true,
  internal_error: true,
  fatal_error: true,
  service_unavailable: true,
  request_timeout: true,
  // The workspace is migrating into an Enterprise Grid org; calls succeed again afterwards.
  team_added_to_org: true,
  channel_not_found: false,
  not_in_channel: false,
  is_archived: false,
  msg_too_long: false,
  no_text: false,
  too_many_attachments: false,
  invalid_blocks: false,
  invalid_blocks_format: false,
  invalid_attachments: false,
  message_not_found: false,
  cant_update_message: false,
  edit_window_closed: false,
  restricted_action: false,
  invalid_auth: false,
  not_authed: false,
  account_inactive: false,
  token_revoked: false,
  token_expired: false,
  no_permission: false,
  missing_scope: false,
  invalid_arguments: false,
  invalid_charset: false,
  ekm_access_denied: false,
} as const satisfies Record<KnownSlackError, boolean>;

/** `channel_not_found` → `SLACK_CHANNEL_NOT_FOUND`; anything odd in the string is dropped. */
export function slackErrorCode(error: string): SlackErrorCode {
  const cleaned = error
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '')
    .slice(0, 64);
  return `SLACK_${cleaned || 'UNKNOWN'}`;
}

export function classifySlackError(error: string | undefined, retryAfterMs: number | undefined): ConnectorError {
  const name = error ?? 'unknown';
  const retryable = lookup(SLACK_ERROR_RETRYABLE, name) ?? false;
  return new ConnectorError({
    code: slackErrorCode(name),
    vendor: 'slack',
    retryable,
    status: 200,
    retryAfterMs: retryable ? retryAfterMs : undefined,
    detail: name,
  });
}
