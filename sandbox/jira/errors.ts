/**
 * Jira's error body: `{"errorMessages": [...], "errors": {field: message}}`.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#status-codes
 */
export interface JiraFailure {
  readonly ok: false;
  readonly status: number;
  readonly errorMessages: readonly string[];
  readonly errors: Readonly<Record<string, string>>;
}

export const fieldErrors = (errors: Record<string, string>, status = 400): JiraFailure => ({
  ok: false,
  status,
  errorMessages: [],
  errors,
});
export const messageError = (status: number, message: string): JiraFailure => ({
  ok: false,
  status,
  errorMessages: [message],
  errors: {},
});
export const errorBody = (f: JiraFailure) => ({ errorMessages: f.errorMessages, errors: f.errors });

export const issueNotFound = () => messageError(404, 'Issue does not exist or you do not have permission to see it.');
/** What REST v3 says when a rich-text field is not an ADF document. */
export const NOT_ADF = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
