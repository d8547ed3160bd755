import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../../src/connectors/shared/scrub-secrets.ts';
import { errorDetail } from '../../../src/connectors/classify-http-error.ts';

describe('scrubSecrets', () => {
  it('blanks bearer and basic credentials, Slack tokens and credential-named JSON fields', () => {
    const echoed = JSON.stringify({
      headers: { authorization: 'Bearer xoxb-123-456-abc', 'x-api-key': 'k-999' },
      body: { routing_key: 'R0UT1NGKEY', password: 'hunter2' },
    });
    const out = scrubSecrets(echoed);
    for (const secret of ['xoxb-123-456-abc', 'k-999', 'R0UT1NGKEY', 'hunter2']) expect(out).not.toContain(secret);
    expect(scrubSecrets('Authorization: Basic dXNlcjpwYXNz')).toBe('Authorization: Basic [redacted]');
  });

  it('blanks the credentials of a URL, such as a proxy given as http://user:pass@host', () => {
    expect(scrubSecrets('connect ECONNREFUSED via http://mim:pr0xy-pass@proxy.corp:3128/')).toBe(
      'connect ECONNREFUSED via http://[redacted]@proxy.corp:3128/',
    );
    expect(scrubSecrets('see https://example.atlassian.net/rest/api/3/issue/PAY-1')).toBe(
      'see https://example.atlassian.net/rest/api/3/issue/PAY-1',
    );
  });

  it('is applied to every vendor error detail', () => {
    expect(errorDetail({ message: 'no match', headers: { authorization: 'Bearer s3cr3t-token' } })).not.toContain(
      's3cr3t-token',
    );
  });

  it('leaves ordinary error text alone', () => {
    expect(scrubSecrets('{"errorMessages":["Issue does not exist"]}')).toBe(
      '{"errorMessages":["Issue does not exist"]}',
    );
  });
});
