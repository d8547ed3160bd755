/**
 * The decoders a received message needs: RFC 2047 encoded words in headers, and the
 * quoted-printable / base64 transfer encodings of RFC 2045 §6.7–6.8. UTF-8 text assumed:
 * nodemailer, the only sender here, writes UTF-8.
 */

function qpBytes(text: string, underscoreIsSpace: boolean): Buffer {
  const src = underscoreIsSpace ? text.replace(/_/g, ' ') : text;
  const bytes: number[] = [];
  for (let i = 0; i < src.length; i += 1) {
    const hex = src[i] === '=' ? src.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes);
}

export function decodeQuotedPrintable(text: string): string {
  // `=` at the end of a line is a soft break.
  return qpBytes(text.replace(/=\r?\n/g, ''), false).toString('utf8');
}

export function decodeTransfer(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}

const ENCODED_WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;

/** `=?UTF-8?Q?Caf=C3=A9?=` → `Café`; whitespace between two encoded words is dropped. */
export function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(ENCODED_WORD, (_m, _charset: string, kind: string, text: string) =>
      (kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qpBytes(text, true)).toString('utf8'),
    );
}
