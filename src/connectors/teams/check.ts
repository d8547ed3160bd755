import { createHttpClient } from '../shared/axios-call.ts';
import { failed, isOutcome, passed, request, type CheckOutcome } from '../shared/check.ts';

/**
 * The Teams connection check. A Workflows webhook URL cannot be called without posting a card to
 * the channel (it has no read or test call), so the check does what it can without posting: each
 * URL has a workflow's shape (HTTPS, signed with `sig=`, not a retired Office 365 connector), and
 * each host answers over TLS through the same HTTP stack. Only the root of the host is requested:
 * the URL itself is the credential and never travels anywhere but to its workflow.
 * Workflows (Microsoft Support, "Create incoming webhooks with Workflows for Microsoft Teams", linked from
 * docs/setup-teams.md) and the retirement of connectors:
 * https://devblogs.microsoft.com/microsoft365dev/retirement-of-office-365-connectors-within-microsoft-teams/
 */

export interface TeamsWebhook {
  /** TEAMS_WEBHOOK_URL or the MIM_ROUTE_* name audiences.yaml gives. */
  readonly name: string;
  /** Undefined when audiences.yaml names the variable but it is not set. */
  readonly url: string | undefined;
}

export interface TeamsCheckConfig {
  readonly webhooks: readonly TeamsWebhook[];
  readonly timeoutMs: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Hosts Workflows gives out: Logic Apps (`*.logic.azure.com`) and Power Platform (`*.powerplatform.com`). */
const WORKFLOW_HOST = /(^|\.)(logic\.azure\.com|powerplatform\.com)$/;

/** Why a URL cannot be a working workflow URL; undefined when its shape is right. */
export function webhookShapeProblem(hook: TeamsWebhook): CheckOutcome | undefined {
  if (hook.url === undefined)
    return failed('WEBHOOK_UNSET', `${hook.name} not set`, `set ${hook.name} (named in audiences.yaml)`);
  let url: URL;
  try {
    url = new URL(hook.url);
  } catch {
    return failed('WEBHOOK_MALFORMED', `${hook.name} is not a URL`, `copy the workflow's URL into ${hook.name} again`);
  }
  if (url.hostname.endsWith('webhook.office.com'))
    return failed(
      'CONNECTOR_RETIRED',
      `${hook.name} is an Office 365 connector URL (retired)`,
      `make a Workflows webhook for the channel and put its URL in ${hook.name} (docs/setup-teams.md)`,
    );
  if (url.protocol !== 'https:' && !LOOPBACK.has(url.hostname))
    return failed('WEBHOOK_NOT_HTTPS', `${hook.name} is not https`, `use the https URL the workflow shows`);
  if (WORKFLOW_HOST.test(url.hostname) && !url.searchParams.has('sig'))
    return failed(
      'WEBHOOK_INCOMPLETE',
      `${hook.name} has no sig= parameter`,
      `the URL in ${hook.name} was cut short: copy it whole, quoted`,
    );
  return undefined;
}

export async function checkTeams(config: TeamsCheckConfig): Promise<CheckOutcome> {
  const unset = config.webhooks.filter((h) => h.url === undefined).map((h) => h.name);
  if (unset.length)
    return failed('WEBHOOK_UNSET', `${unset.join(', ')} not set`, `set ${unset.join(', ')} (named in audiences.yaml)`);
  for (const hook of config.webhooks) {
    const problem = webhookShapeProblem(hook);
    if (problem) return problem;
  }
  const origins = [...new Set(config.webhooks.map((h) => new URL(h.url!).origin))];
  for (const origin of origins) {
    const http = createHttpClient({ baseURL: origin, timeoutMs: config.timeoutMs });
    const settings = { vendor: 'teams', urlVar: 'the Teams webhook URL', credentialVars: '' } as const;
    const res = await request(http, settings, { method: 'GET', url: '/' });
    if (isOutcome(res)) return { ...res, detail: `${new URL(origin).host}: ${res.detail}` };
  }
  return passed(
    `${config.webhooks.length} webhook URL(s) well-formed, ${origins.length} host(s) answer; ` +
      'a workflow cannot be tested without posting, so nothing was sent',
  );
}
