import { describe, expect, it } from 'vitest';
import { adaptiveCard, teamsEnvelope } from '../../../src/connectors/teams/card.ts';
import { validateEnvelope } from '../../../sandbox/teams/validate-envelope.ts';

/** The envelope as a test may break it: any field of the card replaced by a wrong value, or removed. */
interface EditableEnvelope {
  type: string;
  attachments: Array<{ contentType: string; content: Record<string, unknown> }>;
}

const envelope = (): EditableEnvelope =>
  structuredClone(
    teamsEnvelope(
      adaptiveCard({
        title: 'MI-1 Payroll down',
        text: 'a\n\nb',
        facts: [{ title: 'Status', value: 'Open' }],
        links: [{ title: 'OPS-1', url: 'https://jira.example/browse/OPS-1' }],
      }),
    ),
  ) as unknown as EditableEnvelope;

describe('teams simulator: Adaptive Card envelope', () => {
  it("accepts mim-bridge's own envelope", () => {
    expect(validateEnvelope(envelope())).toMatchObject({ ok: true, cards: [{ type: 'AdaptiveCard', version: '1.4' }] });
  });

  it.each([
    ['not an object', () => 'hello', /object/],
    ['type other than message', () => ({ ...envelope(), type: 'card' }), /type/],
    ['no attachments', () => ({ ...envelope(), attachments: [] }), /attachments/],
    [
      'a hero card',
      () => {
        const e = envelope();
        e.attachments[0]!.contentType = 'application/vnd.microsoft.card.hero';
        return e;
      },
      /contentType/,
    ],
    [
      'content not an AdaptiveCard',
      () => {
        const e = envelope();
        e.attachments[0]!.content.type = 'MessageCard';
        return e;
      },
      /content\.type/,
    ],
    [
      'no version',
      () => {
        const e = envelope();
        delete e.attachments[0]!.content.version;
        return e;
      },
      /version/,
    ],
    [
      'body not an array',
      () => {
        const e = envelope();
        e.attachments[0]!.content.body = { type: 'TextBlock' };
        return e;
      },
      /body/,
    ],
    [
      'an element without type',
      () => {
        const e = envelope();
        const body = e.attachments[0]!.content.body;
        if (Array.isArray(body)) body.push({ text: 'x' });
        return e;
      },
      /body\[\d+\]/,
    ],
    [
      'an action without type',
      () => {
        const e = envelope();
        e.attachments[0]!.content.actions = [{ title: 'x' }];
        return e;
      },
      /actions/,
    ],
  ])('rejects %s', (_name, make, field) => {
    const checked = validateEnvelope(make());
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toMatch(field);
  });
});
