import type { MajorIncident, TimelineEntry } from '../../src/domain/major-incident.ts';
import type { Sandbox } from '../index.ts';
import type { RunningChild } from '../run-service.ts';
import type { SlackMessage } from '../slack/index.ts';

/** Read-only views over the simulators' state and the admin API, shared by the demo and the e2e tests. */

export interface MiDetail {
  readonly majorIncident: MajorIncident;
  readonly children: readonly { source: string; recordId: string; number?: string }[];
  readonly timeline: readonly TimelineEntry[];
}

export async function miDetail(service: RunningChild, id: string): Promise<MiDetail | undefined> {
  const res = await service.admin<MiDetail>('GET', `/admin/major-incidents/${encodeURIComponent(id)}`);
  return res.status === 200 ? res.body : undefined;
}

export async function majorIncidents(service: RunningChild, serviceId?: string): Promise<readonly MajorIncident[]> {
  const res = await service.admin<{ majorIncidents: MajorIncident[] }>(
    'GET',
    `/admin/major-incidents${serviceId ? `?service=${encodeURIComponent(serviceId)}` : ''}`,
  );
  if (res.status !== 200) throw new Error(`GET /admin/major-incidents answered ${res.status}`);
  return res.body.majorIncidents;
}

/** Every text a Slack channel shows or showed: top-level messages, their edits and thread replies. */
export function slackTexts(sandbox: Sandbox, channel: string): string[] {
  const out: string[] = [];
  const visit = (m: SlackMessage) => {
    out.push(m.text, ...m.edits.map((e) => e.text));
    m.replies.forEach(visit);
  };
  sandbox.slack.messages(channel).forEach(visit);
  return out;
}

/** How many Slack calls (posts and edits) reached a channel. */
export function slackCalls(sandbox: Sandbox, channel: string): number {
  const id = sandbox.slack.channel(channel)?.id;
  return sandbox.slack.requests.filter(
    (r) => /chat\.(postMessage|update)$/.test(r.path) && (r.body as { channel?: string } | undefined)?.channel === id,
  ).length;
}

export function emailsTo(sandbox: Sandbox, address: string) {
  return sandbox.email.messages.filter((m) => m.envelope.to.includes(address));
}

/** The Adaptive Cards a Teams webhook (named by its env var) received. */
export function teamsCards(sandbox: Sandbox, webhookEnv: string) {
  return sandbox.teams.cards(webhookEnv);
}

export const hasEntry = (d: MiDetail | undefined, kind: string, match: (e: TimelineEntry) => boolean = () => true) =>
  d?.timeline.find((e) => e.kind === kind && match(e));

export const short = (text: string, max = 60) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

/** The Service Portal announcement mim-bridge keeps for one audience of a major incident (its `name` is the marker). */
export function announcementOf(sandbox: Sandbox, miId: string, audience: string) {
  return sandbox.servicenow.announcements().find((a) => a.name === `mim-${miId}.${audience}`);
}

/** The public status feed's titles (GET /status.json), or undefined while it does not answer 200. */
export async function statusTitles(service: RunningChild): Promise<string[] | undefined> {
  const res = await fetch(`${service.url}/status.json`);
  if (!res.ok) return undefined;
  return ((await res.json()) as { items: Array<{ title: string }> }).items.map((i) => i.title);
}
