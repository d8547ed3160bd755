import { createHmac } from 'node:crypto';

export const hmacHex = (secret: string, body: string | Buffer) =>
  createHmac('sha256', secret).update(body).digest('hex');
export const hmacB64 = (secret: string, body: string | Buffer) =>
  createHmac('sha256', secret).update(body).digest('base64');

/** Headers each vendor sends, signed the way that vendor signs. */
export function signedHeaders(
  source: 'servicenow' | 'jira' | 'pagerduty',
  secret: string,
  body: string | Buffer,
): Record<string, string> {
  const base = { 'content-type': 'application/json' };
  switch (source) {
    case 'servicenow':
      return { ...base, 'x-mim-signature': `sha256=${hmacB64(secret, body)}` };
    case 'jira':
      return { ...base, 'x-hub-signature': `sha256=${hmacHex(secret, body)}` };
    case 'pagerduty':
      return { ...base, 'x-pagerduty-signature': `v1=${hmacHex(secret, body)}` };
  }
}
