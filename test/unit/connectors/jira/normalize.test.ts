import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jiraInbound } from '../../../../src/connectors/jira/index.ts';
import type { IncidentEvent } from '../../../../src/domain/incident-event.ts';
import { loadFixture, REMOVE, request, withMember } from '../fixtures.ts';

const DELIVERY = 'a7c3b2d0-5b7e-4a43-9a55-5f5e2d1f0c11';

function run(name: string, headers: Record<string, string> = { 'x-atlassian-webhook-identifier': DELIVERY }) {
  const { raw, body } = loadFixture('jira', name);
  return jiraInbound.normalize(body, request(raw, headers));
}
function eventOf(body: unknown): IncidentEvent {
  const result = jiraInbound.normalize(
    body,
    request(JSON.stringify(body), { 'x-atlassian-webhook-identifier': DELIVERY }),
  );
  if (result.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}
function issuePaths(body: unknown): string[] {
  const result = jiraInbound.normalize(body, request(JSON.stringify(body ?? null)));
  return result.kind === 'invalid' ? result.issues.map((i) => i.path) : [];
}
const fixture = (name: string) => loadFixture('jira', name).body;

const common = { source: 'jira', receivedAt: '2025-06-01T12:00:00.000Z' } as const;

/** From the signed body: event, issue, the changelog entry or comment, and the event's time (ms). */
const deliveryIds: Record<string, string> = {
  'comment_created.cloud': 'comment_created.10040.comment-10019@1550286678321',
  'comment_deleted.cloud': 'comment_deleted.10357.comment-10757@1570513345538',
  'comment_updated.cloud': 'comment_updated.10040.comment-10019@1550286728432',
  'issue_created.cloud': 'issue_created.10040.changelog-10222@1550286113023',
  'issue_created.many-fields': 'issue_created.10509.changelog-11627@1566935004475',
  'issue_deleted.cloud': 'issue_deleted.10303@1562177136176',
  'issue_updated.assigned': 'issue_updated.10040.changelog-10230@1550287081752',
  'issue_updated.commented-datacenter': 'issue_updated.10231.comment-10118@1561757536066',
  'issue_updated.custom-field': 'issue_updated.10368.changelog-11479@1565574553414',
  'issue_updated.priority-raised': 'issue_updated.10040.changelog-10235@1550351716080',
  'issue_updated.reopened': 'issue_updated.10040.changelog-10229@1550287026531',
  'issue_updated.resolved': 'issue_updated.10040.changelog-10228@1550286940507',
  'issue_updated.started-working': 'issue_updated.10040.changelog-10227@1550286862039',
};
/** TES-41 as the issue events show it (component COMP-1, High, reported by Test User). */
const tes41 = {
  ...common,
  vendorEvent: 'jira:issue_updated',
  kind: 'incident.updated',
  recordId: '10040',
  number: 'TES-41',
  title: 'Unit test summary 1',
  description: 'Unit test description, not that long, a little longer now',
  priority: 2,
  state: 'new',
  serviceName: 'COMP-1',
  caller: 'Test User',
  updatedBy: '5c5f880629be9642ba529340',
} as const;

const expected: Record<string, Partial<IncidentEvent>> = {
  'issue_created.cloud': {
    ...tes41,
    kind: 'incident.created',
    vendorEvent: 'jira:issue_created',
    title: 'Unit test summary',
    description: 'Unit test description, not that long',
    updatedAt: '2019-02-16T03:01:53.023Z',
    // `Status` is the display name; the id is `status`.
    changedFields: ['description', 'priority', 'reporter', 'status', 'summary'],
  },
  'issue_created.many-fields': {
    ...common,
    kind: 'incident.created',
    vendorEvent: 'jira:issue_created',
    recordId: '10509',
    number: 'KT-22',
    title: 'Lots of fields selected',
    description: 'The good description',
    priority: 3,
    state: 'new',
    serviceName: 'KT',
    assignmentGroup: 'Sample User',
    caller: 'Sample User',
    updatedAt: '2019-08-27T19:43:24.475Z',
    updatedBy: '5cedcb4355a88a0fc86388ba',
    changedFields: [
      'assignee',
      'customfield_10073',
      'customfield_10076',
      'description',
      'fixVersions',
      'priority',
      'reporter',
      'status',
      'summary',
    ],
  },
  'issue_deleted.cloud': {
    ...common,
    kind: 'incident.deleted',
    vendorEvent: 'jira:issue_deleted',
    recordId: '10303',
    number: 'IDT-19',
    title: 'hey',
    description: 'descxyvccfgf f+xbsdz 511f+',
    priority: 3,
    state: 'new',
    serviceName: 'IDT',
    caller: 'Test User',
    updatedAt: '2019-07-03T18:05:36.176Z',
    updatedBy: '5c5f880629be9642ba529340',
    changedFields: [],
  },
  'issue_updated.resolved': {
    ...tes41,
    state: 'resolved',
    updatedAt: '2019-02-16T03:15:40.507Z',
    changedFields: ['resolution', 'status'],
  },
  'issue_updated.reopened': {
    ...tes41,
    state: 'new',
    updatedAt: '2019-02-16T03:17:06.531Z',
    changedFields: ['resolution', 'status'],
  },
  'issue_updated.started-working': {
    ...tes41,
    state: 'in_progress',
    updatedAt: '2019-02-16T03:14:22.039Z',
    changedFields: ['status'],
  },
  'issue_updated.priority-raised': { ...tes41, updatedAt: '2019-02-16T21:15:16.080Z', changedFields: ['priority'] },
  'issue_updated.assigned': {
    ...tes41,
    assignmentGroup: 'Test User',
    updatedAt: '2019-02-16T03:18:01.752Z',
    changedFields: ['assignee'],
  },
  'issue_updated.custom-field': {
    ...common,
    kind: 'incident.updated',
    vendorEvent: 'jira:issue_updated',
    recordId: '10368',
    number: 'TES-14',
    title: 'v',
    description: ' s',
    priority: 3,
    state: 'new',
    serviceName: 'TES',
    assignmentGroup: 'Sample User',
    caller: 'Sample User',
    updatedAt: '2019-08-12T01:49:13.414Z',
    updatedBy: '5cedcb4355a88a0fc86388ba',
    changedFields: ['customfield_10072'],
  },
  'issue_updated.commented-datacenter': {
    ...common,
    kind: 'comment.created',
    vendorEvent: 'jira:issue_updated',
    recordId: '10231',
    number: 'PRJA-42',
    title: 'test for notifications',
    description:
      'test\n\n_Issue created from a [message in ' +
      'Mattermost|https://chrisp.ngrok.io/testteam/pl/449w553cajrbfewz581uoxmb8o]_.',
    priority: 3,
    state: 'new',
    serviceName: 'PRJA',
    assignmentGroup: 'Dylan H',
    caller: 'Creator User',
    updatedAt: '2019-06-28T21:32:16.066Z',
    // Data Center has no accountId: the user name identifies the actor.
    updatedBy: 'TestUser',
    changedFields: [],
    comment: {
      id: '10118',
      author: 'Test User',
      body: 'This is a test comment. We should act on it right away.',
      visibility: 'public',
    },
  },
  'comment_created.cloud': {
    ...tes41,
    kind: 'comment.created',
    vendorEvent: 'comment_created',
    // The slim issue of comment events has no description, component or reporter.
    description: undefined,
    serviceName: 'TES',
    caller: undefined,
    updatedAt: '2019-02-16T03:11:18.321Z',
    changedFields: [],
    comment: { id: '10019', author: 'Test User', body: 'Added a comment', visibility: 'public' },
  },
  'comment_updated.cloud': {
    ...tes41,
    kind: 'comment.updated',
    vendorEvent: 'comment_updated',
    description: undefined,
    serviceName: 'TES',
    caller: undefined,
    updatedAt: '2019-02-16T03:12:08.432Z',
    changedFields: [],
    comment: { id: '10019', author: 'Test User', body: 'Added a comment, then edited it', visibility: 'public' },
  },
  'comment_deleted.cloud': {
    ...common,
    kind: 'comment.deleted',
    vendorEvent: 'comment_deleted',
    recordId: '10357',
    number: 'KT-7',
    title: 's',
    priority: 2,
    state: 'new',
    serviceName: 'KT',
    assignmentGroup: 'Test User',
    updatedAt: '2019-10-08T05:42:25.538Z',
    updatedBy: '5cedcb4355a88a0fc86388ba',
    changedFields: [],
    comment: { id: '10757', author: 'Test User', body: 'wd\n\ndwd', visibility: 'public' },
  },
};

describe('jira normalize: fixtures', () => {
  it.each(Object.keys(expected))('%s', (name) => {
    const result = run(name);
    expect(result).toEqual({
      kind: 'event',
      event: { ...expected[name], deliveryId: deliveryIds[name] },
      timePath: 'timestamp',
    });
  });

  it('the delivery id comes from the signed body, never from X-Atlassian-Webhook-Identifier', () => {
    const id = (headers: Record<string, string>) => {
      const result = run('issue_updated.resolved', headers);
      return result.kind === 'event' ? result.event.deliveryId : undefined;
    };
    expect(id({})).toBe(deliveryIds['issue_updated.resolved']);
    expect(id({ 'x-atlassian-webhook-identifier': 'replayed-under-a-new-id' })).toBe(
      deliveryIds['issue_updated.resolved'],
    );
  });

  it('an update naming neither a changelog entry nor a comment is identified by its bytes', () => {
    const body = withMember(fixture('issue_updated.resolved'), ['changelog'], REMOVE);
    const raw = JSON.stringify(body);
    const result = jiraInbound.normalize(body, request(raw));
    expect(result.kind === 'event' && result.event.deliveryId).toBe(
      `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    );
  });

  it('names issue.fields.updated as the time when timestamp is absent', () => {
    const result = jiraInbound.normalize(
      withMember(fixture('issue_updated.resolved'), ['timestamp'], REMOVE),
      request('{}'),
    );
    expect(result).toMatchObject({
      kind: 'event',
      timePath: 'issue.fields.updated',
      event: { deliveryId: 'issue_updated.10040.changelog-10228@1550286940477' },
    });
  });
});

describe('jira normalize: mapping rules', () => {
  const updated = fixture('issue_updated.resolved');
  const created = fixture('comment_created.cloud');

  it.each([
    ['Highest', 1],
    ['High', 2],
    ['Medium', 3],
    ['Low', 4],
    ['Lowest', 5],
    ['Blocker', undefined],
    ['constructor', undefined],
  ])('priority %s → %s', (name, priority) => {
    expect(eventOf(withMember(updated, ['issue', 'fields', 'priority', 'name'], name)).priority).toBe(priority);
  });

  it.each([
    ['new', 'new'],
    ['indeterminate', 'in_progress'],
    ['done', 'resolved'],
    ['undefined', undefined],
  ])('status category %s → %s', (key, state) => {
    expect(eventOf(withMember(updated, ['issue', 'fields', 'status', 'statusCategory', 'key'], key)).state).toBe(state);
  });

  it('uses the field name when Data Center leaves out fieldId', () => {
    const body = withMember(
      updated,
      ['changelog', 'items'],
      [
        { field: 'Story Points', to: '2' },
        { fieldId: 'priority', field: 'priority' },
      ],
    );
    expect(eventOf(body).changedFields).toEqual(['Story Points', 'priority']);
  });

  it('detects changes by fieldId, not by the new value', () => {
    const body = withMember(
      updated,
      ['changelog', 'items'],
      [{ field: 'Story Points', fieldId: 'customfield_10016', toString: 'High' }],
    );
    expect(eventOf(body).changedFields).toEqual(['customfield_10016']);
  });

  it('falls back to issue.fields.updated when timestamp is absent', () => {
    expect(eventOf(withMember(updated, ['timestamp'], REMOVE)).updatedAt).toBe('2019-02-16T03:15:40.477Z');
  });

  it('uses the project key when the issue has no component', () => {
    expect(eventOf(withMember(updated, ['issue', 'fields', 'components'], [])).serviceName).toBe('TES');
  });

  it.each([
    ['jsdPublic false', { jsdPublic: false }, 'internal'],
    ['a role restriction', { visibility: { type: 'role', value: 'Administrators' } }, 'internal'],
    ['jsdPublic true', { jsdPublic: true }, 'public'],
    ['no JSM flag (Jira Software)', { jsdPublic: null }, 'public'],
  ])('a comment with %s is %s', (_label, change, visibility) => {
    const comment = { ...(created as { comment: object }).comment, ...change };
    expect(eventOf(withMember(created, ['comment'], comment)).comment?.visibility).toBe(visibility);
  });

  it('attributes a comment event to the comment author', () => {
    const body = withMember(created, ['comment', 'updateAuthor'], { accountId: 'editor-1', displayName: 'Editor' });
    expect(eventOf(body).updatedBy).toBe('editor-1');
    expect(eventOf(withMember(created, ['comment', 'updateAuthor'], REMOVE)).updatedBy).toBe(
      '5c5f880629be9642ba529340',
    );
  });

  it('an issue_commented update without a comment stays an issue update', () => {
    const body = withMember(fixture('issue_updated.commented-datacenter'), ['comment'], REMOVE);
    expect(eventOf(body).kind).toBe('incident.updated');
  });

  it('lets new fields through at every level', () => {
    let body = withMember(updated, ['brandNewTopLevel'], { a: 1 });
    body = withMember(body, ['issue', 'fields', 'customfield_99999'], [{ value: 'x' }]);
    body = withMember(body, ['changelog', 'items', 0, 'tmpFromAccountId'], 'abc');
    expect(eventOf(body).recordId).toBe('10040');
  });
});

describe('jira normalize: ignored and invalid deliveries', () => {
  it.each(['worklog_created', 'jira:version_released', 'sprint_started', 'issuelink_created', 'project_created'])(
    'ignores %s with the body digest as delivery id',
    (webhookEvent) => {
      const result = jiraInbound.normalize(
        { webhookEvent, timestamp: 1 },
        request('{}', { 'x-atlassian-webhook-identifier': DELIVERY }),
      );
      expect(result).toMatchObject({
        kind: 'ignored',
        deliveryId: `sha256:${createHash('sha256').update('{}').digest('hex')}`,
      });
    },
  );

  it.each([
    ['null', null, ['(root)']],
    ['an array', [], ['(root)']],
    ['no webhookEvent', {}, ['webhookEvent']],
    ['a numeric webhookEvent', { webhookEvent: 7 }, ['webhookEvent']],
  ])('rejects %s', (_label, body, paths) => {
    expect(issuePaths(body)).toEqual(paths);
  });

  const updated = fixture('issue_updated.resolved');
  it.each([
    [['issue'], REMOVE, 'issue'],
    [['issue', 'id'], 10040, 'issue.id'],
    [['timestamp'], '1550286940507', 'timestamp'],
    [['timestamp'], -1, 'timestamp'],
    [['timestamp'], 1e300, 'timestamp'],
    [['changelog', 'items'], 'status', 'changelog.items'],
    [['issue', 'fields', 'priority'], 'High', 'issue.fields.priority'],
    [['issue', 'fields', 'description'], { type: 'doc' }, 'issue.fields.description'],
    [['comment'], 'text', 'comment'],
  ])('names %j when it is %j', (path, value, expected) => {
    expect(issuePaths(withMember(updated, path, value))).toContain(expected);
  });

  it('rejects a comment event without its comment', () => {
    expect(issuePaths(withMember(fixture('comment_created.cloud'), ['comment'], REMOVE))).toEqual(['comment']);
  });

  it('rejects an issue event with no time at all', () => {
    const noTime = withMember(withMember(updated, ['timestamp'], REMOVE), ['issue', 'fields', 'updated'], REMOVE);
    expect(issuePaths(noTime)).toEqual(['timestamp']);
    for (const bad of ['yesterday', '1', '2019-02-15 19:01:52']) {
      expect(
        issuePaths(withMember(withMember(updated, ['timestamp'], REMOVE), ['issue', 'fields', 'updated'], bad)),
      ).toEqual(['issue.fields.updated']);
    }
  });
});
