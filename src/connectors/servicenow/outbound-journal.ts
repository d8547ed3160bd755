/**
 * Journal fields (`comments`, `work_notes`) escape HTML, except between `[code]` and `[/code]`,
 * which they render as HTML while `glide.ui.security.allow_codetag` is true, its default.
 * https://www.servicenow.com/docs/r/australia/platform-administration/render-journal-field-entries-as-html.html
 * https://www.servicenow.com/docs/r/australia/platform-security/instance-security-hardening-settings/sc-allow-embedded-html-code.html
 *
 * Everything mim-bridge writes to a journal carries someone else's words: a comment mirrored
 * from Jira, a message title in a write-back note, a rendered template. So every tag is broken
 * with a zero-width space after its `[`, whatever its case or spacing: it shows as typed and
 * renders nothing. An admin's template cannot use `[code]` in a journal either.
 */
const CODE_TAG = /\[(\s*\/?\s*code\s*)\]/gi;

export function neutraliseCodeTags(text: string): string {
  return text.replace(CODE_TAG, '[\u200B$1]');
}
