/**
 * Time and timers for the host's parts. Tests pass a manual clock (test/helpers/manual-clock.ts)
 * to step through a window, an expiry or a silence instead of sleeping through it.
 */
export interface Clock {
  /** Milliseconds; which epoch is the clock's own (see each real clock). */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/** Wall-clock time (Date.now): op deadlines come from the main thread as epoch ms. */
export const wallClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};
