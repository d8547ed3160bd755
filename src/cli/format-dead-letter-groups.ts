import type { DeadLetterGroup } from '../queue/actions/dead-letter-groups.ts';

/** `dead-letters groups` as text: one block per group, the likely fix on its own line. */
export function formatDeadLetterGroups(groups: readonly DeadLetterGroup[], scanned: number, total: number): string {
  if (groups.length === 0) return 'no dead letters\n';
  const blocks = groups.map((g) =>
    [
      `${g.target} ${g.code}: ${g.count} letter(s), first ${g.firstSeen}, last ${g.lastSeen}`,
      `  fix: ${g.likelyFix}`,
      g.channels.length ? `  channels: ${g.channels.join(', ')}` : undefined,
      `  actions: ${g.actions.join(', ') || '?'} · major incidents: ${g.majorIncidents.join(', ') || '?'}`,
      g.detail ? `  detail: ${g.detail}` : undefined,
    ]
      .filter((line) => line !== undefined)
      .join('\n'),
  );
  const more = scanned < total ? `\n(the newest ${scanned} of ${total} letters were grouped)\n` : '';
  return `${blocks.join('\n\n')}\n${more}`;
}
