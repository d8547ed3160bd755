/**
 * One line of text for a field that must hold one: a mail Subject (CR/LF would end the header:
 * RFC 5322 §2.2), a Jira summary (Jira answers 400 "The summary is invalid because it contains
 * newline characters", so a ticket title with a line break would stop the issue from being
 * created), a PagerDuty summary (read out in SMS and phone calls). Ticket titles are typed by
 * anyone, so every line break and other control character becomes one space.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are exactly what this replaces
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

export function singleLine(text: string): string {
  return text.replace(BREAKS, ' ');
}
