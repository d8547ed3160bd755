/**
 * Rejects with `onTimeout()` when `promise` has not settled in `ms`; the timer never keeps the
 * process alive. The expiry waits one turn of the event loop (setImmediate runs after the I/O
 * phase): on a busy process the timer can come due in the same turn as the reply it waits for,
 * and timers run before I/O, so a reply already in the socket would otherwise count as late.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let late: NodeJS.Immediate | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late = setImmediate(() => reject(onTimeout()));
      late.unref();
    }, ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
    if (late) clearImmediate(late);
  });
}
