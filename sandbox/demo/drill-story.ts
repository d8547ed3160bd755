import type { MajorIncident } from '../../src/domain/major-incident.ts';
import { observeAll } from './observe.ts';
import type { Step, StoryContext } from './story.ts';
import { hasEntry, miDetail, short, slackTexts } from './views.ts';

/**
 * The demo's drill: an operator exercises the Single Sign-On service through POST /admin/drills
 * (what `mim-bridge drill identity` and the console call). The real playbook runs with
 * everything marked [EXERCISE]; acknowledging, resolving and closing it writes its scorecard.
 */

const SERVICE = 'identity';
const PREFIX = '[EXERCISE]';
const ON_CALL = 'Dana Okafor (on call)';

const drillOf = (ctx: StoryContext) => {
  if (!ctx.state.drill) throw new Error('no drill started');
  return ctx.state.drill;
};

export const drillStory: readonly Step[] = [
  {
    title: 'An operator starts a drill for Single Sign-On',
    limitMs: 20_000,
    async run(ctx: StoryContext) {
      const { sandbox, service } = ctx;
      const res = await service.admin<{ majorIncident: MajorIncident }>('POST', '/admin/drills', { service: SERVICE });
      if (res.status !== 201) throw new Error(`POST /admin/drills answered ${res.status}`);
      ctx.state.drill = res.body.majorIncident;
      const { id } = ctx.state.drill;
      ctx.timeline.saw('mim-bridge', `POST /admin/drills {"service":"${SERVICE}"} → ${id}, exercise`);
      await observeAll(ctx.timeline, 18_000, [
        {
          system: 'Slack',
          what: 'the marked declaration in #it-status',
          probe: () => {
            const t = slackTexts(sandbox, '#it-status').find((x) => x.includes(PREFIX));
            return t ? `#it-status: "${short(t)}"` : undefined;
          },
        },
        {
          system: 'PagerDuty',
          what: 'the marked page',
          probe: () => {
            const page = sandbox.pagerduty.incident(id);
            return page?.title.includes(PREFIX) ? `"${short(page.title)}"` : undefined;
          },
        },
        {
          system: 'ServiceNow',
          what: 'a record with category exercise',
          probe: () => {
            const r = sandbox.servicenow.records().find((x) => x.category === 'exercise');
            return r ? `${r.number} category=exercise: "${short(r.short_description ?? '')}"` : undefined;
          },
        },
        {
          system: 'Jira',
          what: 'an issue labelled mim-exercise',
          probe: () => {
            const i = sandbox.jira.issues().find((x) => x.labels.includes('mim-exercise'));
            return i ? `${i.key} labels ${i.labels.join(', ')}` : undefined;
          },
        },
      ]);
      return 'the real declare playbook ran, every message, page and ticket marked as an exercise';
    },
  },
  {
    title: 'The drill is acknowledged, closed and scored',
    limitMs: 20_000,
    async run(ctx: StoryContext) {
      const { id } = drillOf(ctx);
      const { sandbox, service } = ctx;
      await sandbox.pagerduty.acknowledge(id, { as: ON_CALL });
      ctx.timeline.saw('PagerDuty', `${ON_CALL} acknowledged the drill page`);
      await observeAll(ctx.timeline, 8_000, [
        {
          system: 'mim-bridge',
          what: 'the acknowledgement on the drill',
          probe: async () =>
            hasEntry(await miDetail(service, id), 'page.acknowledged') ? 'page acknowledged' : undefined,
        },
      ]);
      for (const verb of ['resolve', 'close']) {
        const res = await service.admin('POST', `/admin/major-incidents/${id}/${verb}`, { reason: 'drill over' });
        if (res.status !== 200) throw new Error(`${verb} answered ${res.status}`);
      }
      ctx.timeline.saw('mim-bridge', `the operator resolved and closed ${id}`);
      let summary = '';
      await observeAll(ctx.timeline, 15_000, [
        {
          system: 'mim-bridge',
          what: 'the scorecard on the timeline',
          probe: async () => {
            const e = hasEntry(await miDetail(service, id), 'drill.scorecard');
            if (!e) return undefined;
            const card = e.detail as { acknowledge?: { text?: string }; summary?: string };
            summary = card.summary ?? '';
            return `drill.scorecard: acknowledged in ${card.acknowledge?.text ?? '?'}`;
          },
        },
      ]);
      return `scored: ${summary}`;
    },
  },
];
