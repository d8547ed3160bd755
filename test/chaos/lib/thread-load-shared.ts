/** What the load worker thread and its owner share (thread-load.ts, load-worker.ts). */
export interface LoadShared {
  readonly sentAt: SharedArrayBuffer;
  readonly doneAt: SharedArrayBuffer;
  readonly status: SharedArrayBuffer;
  /** Int32 slots: COUNT, OVERFLOWED, LOOP_MAX_US. */
  readonly count: SharedArrayBuffer;
}

/** Requests sent so far. */
export const COUNT = 0;
/** 1 once the arrays were full and the worker stopped sending. */
export const OVERFLOWED = 1;
/** The worker's own largest event-loop delay (µs) since the owner last took it. */
export const LOOP_MAX_US = 2;
export const COUNT_SLOTS = 3;

/** `status` of a request not answered yet. */
export const PENDING = -1;
/** `status` of a request the generator gave up on after its time-out (no answer). */
export const TIMED_OUT = -2;
