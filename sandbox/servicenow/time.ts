/** `YYYY-MM-DD HH:mm:ss` in UTC, the Table API's stored date-time format. */
export function snDateTime(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}
