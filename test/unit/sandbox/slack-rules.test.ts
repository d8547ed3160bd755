import { describe, expect, it } from 'vitest';
import { createTsClock } from '../../../sandbox/slack/channels.ts';
import { createChannelLimiter } from '../../../sandbox/slack/rate-limit.ts';
import { blocksOf, messageArgs, tokenOf } from '../../../sandbox/slack/validate.ts';

describe('slack simulator: per-channel post limit', () => {
  it('lets a burst through, then answers Retry-After until the bucket refills', () => {
    let t = 1_000_000;
    const admit = createChannelLimiter({ perSecond: 1, burst: 2 }, () => t);
    expect(admit('C1').ok).toBe(true);
    expect(admit('C1').ok).toBe(true);
    expect(admit('C1')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(admit('C2').ok).toBe(true);
    t += 1_000;
    expect(admit('C1').ok).toBe(true);
    expect(admit('C1').ok).toBe(false);
  });

  it('Retry-After is whole seconds, at least 1, and grows with a slower rate', () => {
    const admit = createChannelLimiter({ perSecond: 0.25, burst: 1 }, () => 0);
    admit('C1');
    expect(admit('C1')).toEqual({ ok: false, retryAfterSeconds: 4 });
  });
});

describe('slack simulator: arguments', () => {
  it('requires channel, and text or blocks', () => {
    expect(messageArgs({ text: 'x' })).toEqual({ ok: false, error: 'channel_not_found' });
    expect(messageArgs({ channel: 'C1' })).toEqual({ ok: false, error: 'no_text' });
    expect(messageArgs({ channel: 'C1', blocks: [] })).toEqual({ ok: false, error: 'no_text' });
    expect(messageArgs({ channel: 'C1', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }] }).ok).toBe(
      true,
    );
  });

  it('checks blocks as Slack does: an array (a JSON string in form posts) of at most 50 typed blocks', () => {
    expect(blocksOf('[{"type":"divider"}]')).toEqual({ ok: true, value: [{ type: 'divider' }] });
    expect(blocksOf('{not json')).toEqual({ ok: false, error: 'invalid_blocks_format' });
    expect(blocksOf({ type: 'divider' })).toEqual({ ok: false, error: 'invalid_blocks_format' });
    expect(blocksOf([{ text: 'no type' }])).toEqual({ ok: false, error: 'invalid_blocks' });
    expect(blocksOf(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toEqual({
      ok: false,
      error: 'invalid_blocks',
    });
  });

  it('takes the token from the bearer header or the form argument', () => {
    expect(tokenOf('Bearer xoxb-1', {})).toBe('xoxb-1');
    expect(tokenOf(undefined, { token: 'xoxb-2' })).toBe('xoxb-2');
    expect(tokenOf('Basic abc', {})).toBeUndefined();
  });

  it('ts values are unique and increasing even within one millisecond', () => {
    const next = createTsClock(() => 1_717_000_000_123);
    const [a, b] = [next(), next()];
    expect(a).toBe('1717000000.123000');
    expect(b).toBe('1717000000.123001');
  });
});
