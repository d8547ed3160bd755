/**
 * Text mim-bridge writes into tickets that it must never read back as a person's words: the
 * write-back of a communication (`mim-bridge sent "…" to …`), and comments mirrored from the
 * other system (`[ServiceNow INC0010042, fred.luddy] …`, comment-sync.ts). They are written by the
 * integration account and dropped by provenance first; this is the guard when that account is
 * not configured (JIRA_ACCOUNT_ID unset).
 */
export const WRITE_BACK_PREFIX = 'mim-bridge sent ';

const MIRRORED = /^\[(ServiceNow|Jira) [^\]\n]+\] /;

export function isOurNoteText(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith(WRITE_BACK_PREFIX) || MIRRORED.test(t);
}
