import { describe, expect, it } from 'vitest';
import { formatConnections } from '../../../src/cli/commands/doctor.ts';
import type { ConnectionResult } from '../../../src/connectors/checks.ts';
import { routingKeyProblems } from '../../../src/connectors/pagerduty/check.ts';
import { missingScopes, SLACK_REQUIRED_SCOPES } from '../../../src/connectors/slack/check.ts';
import { webhookShapeProblem } from '../../../src/connectors/teams/check.ts';

const result = (r: Partial<ConnectionResult>): ConnectionResult => ({
  vendor: 'servicenow',
  status: 'ok',
  detail: 'fine',
  durationMs: 1,
  ...r,
});

describe('the doctor table', () => {
  it('keeps every line within 120 columns, long details and unbroken words included', () => {
    const text = formatConnections([
      result({ status: 'failed', detail: 'x'.repeat(300), fix: `check ${'https://a.example/'.repeat(20)}` }),
      result({ vendor: 'email', status: 'failed', detail: 'word '.repeat(80), fix: 'set SMTP_URL' }),
    ]);
    const lines = text.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
    expect(text.replace(/\s+/g, '')).toContain('x'.repeat(300));
  });

  it('lists unconfigured connections without detail, and counts only the configured', () => {
    const text = formatConnections([
      result({}),
      result({ vendor: 'slack', status: 'not_configured', detail: 'not configured' }),
    ]);
    expect(text).toBe(
      'CONNECTION  RESULT          DETAIL\n' +
        'servicenow  ok              fine\n' +
        'slack       not configured\n' +
        '\n' +
        '1 configured connection(s) ok\n',
    );
  });
});

describe('the checks that need no network', () => {
  it('Slack: the scopes of the manifest the header lacks', () => {
    expect(missingScopes(SLACK_REQUIRED_SCOPES.join(', '))).toEqual([]);
    expect(missingScopes('chat:write')).toEqual(['channels:read', 'groups:read', 'channels:history', 'groups:history']);
    expect(missingScopes(undefined)).toEqual([...SLACK_REQUIRED_SCOPES]);
  });

  it('PagerDuty: unset keys first, then malformed ones, by variable name', () => {
    const good = { name: 'PAGERDUTY_ROUTING_KEY', key: 'a'.repeat(32) };
    expect(routingKeyProblems([good])).toBeUndefined();
    expect(routingKeyProblems([good, { name: 'MIM_ROUTE_X', key: 'a'.repeat(31) }])?.code).toBe(
      'ROUTING_KEY_MALFORMED',
    );
    expect(routingKeyProblems([{ name: 'MIM_ROUTE_Y', key: undefined }])?.code).toBe('ROUTING_KEY_UNSET');
  });

  it('Teams: the shapes a workflow URL cannot have', () => {
    const hook = (url: string | undefined) => webhookShapeProblem({ name: 'TEAMS_WEBHOOK_URL', url })?.code;
    expect(
      hook('https://prod-1.westus.logic.azure.com/workflows/a/triggers/manual/paths/invoke?sig=x'),
    ).toBeUndefined();
    expect(hook('https://x.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/a?sig=s')).toBe(
      undefined,
    );
    expect(hook('http://127.0.0.1:4000/webhook')).toBeUndefined();
    expect(hook('http://teams.example.com/webhook')).toBe('WEBHOOK_NOT_HTTPS');
    expect(hook('https://acme.webhook.office.com/webhookb2/a')).toBe('CONNECTOR_RETIRED');
    expect(hook('https://prod-1.westus.logic.azure.com/workflows/a')).toBe('WEBHOOK_INCOMPLETE');
    expect(hook('not a url')).toBe('WEBHOOK_MALFORMED');
    expect(hook(undefined)).toBe('WEBHOOK_UNSET');
  });
});
