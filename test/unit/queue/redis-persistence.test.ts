import { describe, expect, it } from 'vitest';
import { persistenceWarning } from '../../../src/queue/redis-persistence.ts';

describe('persistenceWarning', () => {
  it('says nothing for the AOF with appendfsync always', () => {
    expect(persistenceWarning({ aofEnabled: true, appendfsync: 'always' })).toBeUndefined();
  });
  it('names the policy and the fix for everysec and no', () => {
    for (const policy of ['everysec', 'no']) {
      expect(persistenceWarning({ aofEnabled: true, appendfsync: policy })).toMatch(
        new RegExp(`appendfsync ${policy}:.*Set appendfsync always`),
      );
    }
  });
  it('warns that everything since the snapshot is at risk without the AOF', () => {
    expect(persistenceWarning({ aofEnabled: false, appendfsync: 'everysec' })).toMatch(
      /without the AOF.*since its last snapshot/,
    );
  });
  it('does not guess when CONFIG GET is disabled', () => {
    expect(persistenceWarning({ aofEnabled: true, appendfsync: undefined })).toBeUndefined();
  });
});
