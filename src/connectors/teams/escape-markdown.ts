/**
 * Text anyone can type into a ticket (a title, a comment) → Adaptive Card Markdown that shows it
 * as typed. TextBlock, Fact.Title and Fact.Value render a Markdown subset: `**bold**`,
 * `_italic_`, `- ` and `1. ` lists, `[label](url)` links; HTML is not rendered.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format
 *
 * Each character that can open that syntax gets a CommonMark backslash escape
 * (https://spec.commonmark.org/0.31.2/#backslash-escapes); Teams mobile honours them since
 * microsoft/Teams-AdaptiveCards-Mobile#58 (Android) and #83 (iOS). A client that showed the
 * backslash still builds no link: `\]\(` is not `](`. HTML entities are not an option: mobile
 * shows them literally (MicrosoftDocs/msteams-docs#10997).
 *
 * An escape already in place is kept, so escaping twice changes nothing (a template's captured
 * text printed again); a lone backslash is doubled, so it cannot escape what follows it.
 */
const INLINE = /\\[!-/:-@[-`{-~]|[\\*_~`[\]()<>]/g;
/** List and heading markers only count at the start of a line. */
const LINE_START = /^([ \t]*)(?:([-+#])|(\d+)([.)]))(?=[ \t]|$)/gm;

export function escapeTeamsMarkdown(text: string): string {
  return text
    .replace(INLINE, (m) => (m.length === 2 ? m : `\\${m}`))
    .replace(LINE_START, (_m, indent: string, mark?: string, digits?: string, dot?: string) =>
      mark ? `${indent}\\${mark}` : `${indent}${digits}\\${dot}`,
    );
}
