/**
 * What an operator most likely has to fix for a dead letter, from its target and error code (the
 * ConnectorError code, a Slack `SLACK_<ERROR>`, `…_PAST_HORIZON`, `INVALID_JOB`). One line, naming
 * the setting or the vendor-side step; the letter's own detail says the rest. Pure. The codes come
 * from connectors/classify-http-error.ts, connectors/slack/errors.ts and
 * connectors/email/classify-smtp-error.ts; both may come from a malformed job, so tables are read by own keys only.
 */
import { lookup } from '../../connectors/shared/lookup.ts';

const CREDENTIALS: Readonly<Record<string, string>> = {
  servicenow: 'SERVICENOW_USERNAME and SERVICENOW_PASSWORD',
  jira: 'JIRA_EMAIL and JIRA_API_TOKEN',
  pagerduty: 'the routing key variable (MIM_ROUTE_PAGERDUTY_*)',
  slack: 'SLACK_BOT_TOKEN',
  teams: 'the webhook URL variable (TEAMS_WEBHOOK_URL or the audience’s teamsWebhookEnv)',
  email: 'the user and password in SMTP_URL',
};

const SLACK: Readonly<Record<string, string>> = {
  CHANNEL_NOT_FOUND: 'channel not found: invite the bot to the channel, or fix the channel in audiences.yaml',
  NOT_IN_CHANNEL: 'the bot is not in the channel: invite it (/invite @<bot>) in Slack',
  IS_ARCHIVED: 'the channel is archived: unarchive it, or point audiences.yaml at another channel',
  INVALID_AUTH: 'Slack does not accept the token: set a valid SLACK_BOT_TOKEN and restart the workers',
  NOT_AUTHED: 'no Slack token was sent: set SLACK_BOT_TOKEN and restart the workers',
  TOKEN_REVOKED: 'the Slack token was revoked: reinstall the app, set the new SLACK_BOT_TOKEN and restart',
  TOKEN_EXPIRED: 'the Slack token expired: set a new SLACK_BOT_TOKEN and restart the workers',
  ACCOUNT_INACTIVE: 'the Slack bot user was deactivated: reinstall the app and set its SLACK_BOT_TOKEN',
  MISSING_SCOPE: 'the Slack app lacks a scope (chat:write): add it and reinstall the app',
  NO_PERMISSION: 'the Slack app may not post there: check its scopes and the channel’s posting rights',
  RESTRICTED_ACTION: 'a workspace policy stops the bot posting in that channel: ask a Slack admin',
  MSG_TOO_LONG: 'the message is too long for Slack: shorten the chat template',
  INVALID_BLOCKS: 'Slack refused the message layout: check the chat template',
  MESSAGE_NOT_FOUND: 'the message to update was deleted in Slack: discard this letter',
  CANT_UPDATE_MESSAGE: 'Slack will not let the bot edit that message: discard this letter',
  EDIT_WINDOW_CLOSED: 'the message is too old to edit in Slack: discard this letter',
};

/** Per target, for the HTTP classes where the fix depends on the system. */
const BY_TARGET: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  servicenow: {
    NOT_FOUND: 'the ServiceNow record is gone, or the integration user cannot read it: check its ACLs',
    FORBIDDEN: 'the ServiceNow integration user lacks a role or ACL for this table or field',
    BAD_REQUEST: 'ServiceNow refused a field value: check mappings.yaml against the instance (see the detail)',
  },
  jira: {
    NOT_FOUND: 'the Jira project or issue moved, or the bot cannot see it: check services.yaml and its permissions',
    FORBIDDEN: 'the Jira account lacks a project permission (create, transition, comment)',
    BAD_REQUEST:
      'Jira refused a field (often a required field the screen lacks): see the detail, map it in mappings.yaml',
    UNPROCESSABLE: 'Jira refused a field value: see the detail, fix it in mappings.yaml',
    NO_TRANSITION: 'no Jira transition leads to the wanted status: check the workflow and mappings.yaml',
  },
  pagerduty: {
    BAD_REQUEST:
      'PagerDuty refused the event, usually an invalid routing key: check the MIM_ROUTE_PAGERDUTY_* variable',
    NOT_FOUND: 'the PagerDuty service or integration is gone: make a new integration and set its routing key',
  },
  teams: {
    NOT_FOUND: 'the Teams webhook is gone: create a new workflow webhook and set its variable',
    GONE: 'the Teams webhook is gone: create a new workflow webhook and set its variable',
    BAD_REQUEST: 'Teams refused the card: check the Teams template (see the detail)',
    FORBIDDEN: 'the Teams workflow refuses posts: check its owner and the channel’s settings',
  },
  email: {
    BAD_REQUEST: 'the mail server rejected the sender or a recipient: check MAIL_FROM and the lists in audiences.yaml',
    FORBIDDEN: 'the mail server refused the message (554): check MAIL_FROM may send through it and the recipients',
    PAYLOAD_TOO_LARGE: 'the mail server refused the size of the message: shorten the email template',
  },
};

const GENERIC: Readonly<Record<string, string>> = {
  BAD_REQUEST: 'the vendor refused the request: see the detail, fix the config value it names',
  NOT_FOUND: 'what the action writes to no longer exists, or the account cannot see it',
  GONE: 'the vendor says the target is gone for good: point the config at a new one, then discard these',
  UNPROCESSABLE: 'a required field is missing or a value is invalid: see the detail, fix it in mappings.yaml',
  CONFLICT: 'the record kept changing under us: replay',
  PAYLOAD_TOO_LARGE: 'the message is too large for the vendor: shorten the template',
  CLIENT_ERROR: 'the vendor refused the request: see the detail',
  INVALID_RESPONSE: 'the vendor answered with something it does not document: check its URL and version',
  INVALID_INPUT: 'a setting is missing (an unset routing-key or webhook variable, a missing recipient): see the detail',
  INVALID_JOB: 'a job this version cannot run (queued by another version): replay once that version runs, or discard',
  UNEXPECTED: 'a bug in mim-bridge: report it with the job id, then replay',
  UNEXPECTED_STATUS: 'the vendor answered with a redirect or odd status: check its URL (a proxy or login page?)',
};

/** Throttling or an outage that outlasted the retry horizon: nothing to fix but waiting. */
const PAST_HORIZON = 'the vendor was down or throttling longer than the retry horizon: replay once it answers';

export function likelyFix(target: string, code: string): string {
  if (code.endsWith('_PAST_HORIZON')) return PAST_HORIZON;
  if (code.startsWith('SLACK_')) {
    const error = code.slice('SLACK_'.length);
    return lookup(SLACK, error) ?? `Slack answered ${error.toLowerCase()}: see Slack's error list for the method`;
  }
  const credentials = lookup(CREDENTIALS, target) ?? 'its credentials';
  const own = lookup(BY_TARGET, target);
  const specific = own ? lookup(own, code) : undefined;
  if (specific) return specific;
  if (code === 'UNAUTHORIZED') return `the credentials are not accepted: check ${credentials} and restart the workers`;
  if (code === 'FORBIDDEN') return `the account may not do this: check the permissions behind ${credentials}`;
  return lookup(GENERIC, code) ?? 'see the detail; fix the cause before replaying';
}
