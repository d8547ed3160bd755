/** Why the rules sandbox did not answer; each a stable `code` the admin API maps to a 503. */

export class SandboxBusyError extends Error {
  readonly code = 'SANDBOX_BUSY';
  constructor(reason = 'too many simulations or validations are waiting') {
    super(`the rules sandbox is busy: ${reason}`);
    this.name = 'SandboxBusyError';
  }
}

export class SandboxTimeoutError extends Error {
  readonly code = 'SANDBOX_TIMEOUT';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`did not finish within ${timeoutMs} ms and was stopped`);
    this.name = 'SandboxTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

export class SandboxFailedError extends Error {
  readonly code = 'SANDBOX_FAILED';
  constructor(cause: unknown) {
    super(`the rules sandbox's worker failed: ${(cause as Error).message}`, { cause });
    this.name = 'SandboxFailedError';
  }
}
