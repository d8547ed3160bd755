import { describe, expect, it } from 'vitest';
import { decodeQuotedPrintable, decodeWords } from '../../../sandbox/email/decode.ts';
import { parseMessage } from '../../../sandbox/email/parse-message.ts';

const RAW = [
  'From: MIM <mim@example.com>',
  'To: ops@example.com, "Exec, Team" <exec@example.com>',
  'Subject: =?UTF-8?Q?[MI-1]_Payroll_caf=C3=A9?= =?UTF-8?Q?_down?=',
  'Message-ID: <mim.MI-1.update-1@example.com>',
  'In-Reply-To: <mim.MI-1.declared@example.com>',
  'References: <mim.MI-1.declared@example.com>',
  'Content-Type: multipart/alternative;',
  ' boundary="--_b1"',
  '',
  '----_b1',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Payroll is d=',
  'own =E2=80=94 we are on it.',
  '----_b1',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('<p>Payroll is down</p>').toString('base64'),
  '----_b1--',
  '',
].join('\r\n');

describe('email simulator: message parsing', () => {
  it('keeps the headers mim-bridge threads by and both bodies', () => {
    expect(parseMessage(RAW)).toMatchObject({
      from: 'MIM <mim@example.com>',
      to: ['ops@example.com', 'exec@example.com'],
      subject: '[MI-1] Payroll café down',
      messageId: '<mim.MI-1.update-1@example.com>',
      inReplyTo: '<mim.MI-1.declared@example.com>',
      references: ['<mim.MI-1.declared@example.com>'],
      text: 'Payroll is down — we are on it.',
      html: '<p>Payroll is down</p>',
    });
  });

  it('a single-part message without transfer encoding', () => {
    const parsed = parseMessage('Subject: hi\nX-MIM-Id: MI-2\n\nline 1\nline 2\n');
    expect(parsed).toMatchObject({ subject: 'hi', text: 'line 1\nline 2', to: [] });
    expect(parsed.headers['x-mim-id']).toEqual(['MI-2']);
  });

  it('decodes encoded words and quoted-printable', () => {
    expect(decodeWords('=?utf-8?B?w6ljaG8=?= plain')).toBe('écho plain');
    expect(decodeQuotedPrintable('a=3Db=\r\nc')).toBe('a=bc');
  });
});
