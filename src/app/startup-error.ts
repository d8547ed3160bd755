/** The service refuses to start, with a message that says what to fix (main.ts prints it, exit 1). */
export class StartupError extends Error {
  readonly code = 'STARTUP_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
