import { isAdfDoc, type AdfDoc } from './adf.ts';
import { LABEL_MAX_LENGTH, PRIORITIES, SUMMARY_MAX_LENGTH } from './catalogue.ts';
import { NOT_ADF } from './errors.ts';

/**
 * Field checks shared by create and edit, with Jira's messages (as far as known: the wording of
 * some is secondary). Each returns the error text for `errors[field]`, or undefined when valid.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function summaryError(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'You must specify a summary of the issue.';
  if (value.length > SUMMARY_MAX_LENGTH) return `Summary must be less than ${SUMMARY_MAX_LENGTH + 1} characters.`;
  return undefined;
}

export const adfError = (value: unknown): string | undefined => (isAdfDoc(value) ? undefined : NOT_ADF);

export function labelsError(value: unknown): string | undefined {
  if (!Array.isArray(value) || !value.every((l) => typeof l === 'string'))
    return 'Field labels must be an array of strings.';
  const spaced = value.find((l: string) => /\s/.test(l));
  if (spaced !== undefined) return `The label '${spaced}' contains spaces which is invalid.`;
  if (value.some((l: string) => l.length > LABEL_MAX_LENGTH || l === ''))
    return `The label must not be empty or longer than ${LABEL_MAX_LENGTH} characters.`;
  return undefined;
}

/** `{name}` or `{id}` of the priority scheme; returns the name. */
export function priorityName(value: unknown): { name: string } | { error: string } {
  if (!isObject(value)) return { error: "Could not find valid 'id' or 'name' in priority object." };
  if (typeof value.name === 'string')
    return Object.hasOwn(PRIORITIES, value.name)
      ? { name: value.name }
      : { error: `Priority name '${value.name}' is not valid` };
  if (typeof value.id === 'string') {
    const name = Object.keys(PRIORITIES).find((n) => PRIORITIES[n] === value.id);
    return name ? { name } : { error: `Priority with id '${value.id}' does not exist.` };
  }
  return { error: "Could not find valid 'id' or 'name' in priority object." };
}

export const asAdf = (value: unknown) => value as AdfDoc;
export { isObject };

/** Fields an edit or create may set besides the ones checked above; anything else is not on the screen. */
export const FREE_FIELDS = /^(?:customfield_\d+|environment|duedate|assignee|fixVersions|versions)$/;
export const notOnScreen = (id: string) =>
  `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
