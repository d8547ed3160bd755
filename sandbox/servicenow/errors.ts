/**
 * The Table API's error body: `{"error": {"message", "detail"}, "status": "failure"}`.
 * https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_RESTAPI.html
 */
export interface SnFailure {
  readonly ok: false;
  readonly status: number;
  readonly message: string;
  readonly detail: string;
}

export const failure = (status: number, message: string, detail: string): SnFailure => ({
  ok: false,
  status,
  message,
  detail,
});
export const errorBody = (f: SnFailure) => ({ error: { message: f.message, detail: f.detail }, status: 'failure' });

export const notFound = () =>
  failure(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
