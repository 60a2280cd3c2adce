/**
 * Promises waiting for one thing to happen (a session to open): all settled together, by the
 * thing or by a failure, or each on its own at a timeout. Timers never keep the process up.
 */
import type { LavalinkError } from './errors.js';

interface Waiter {
  resolve(): void;
  reject(error: LavalinkError): void;
}

export class Waiters {
  readonly #waiting = new Set<Waiter>();

  /** Resolves at `resolveAll()`; rejects at `rejectAll()`, or with `timeout()` after `timeoutMs` when given. */
  wait(timeoutMs?: number, timeout?: () => LavalinkError): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => waiter.reject(timeout!()), timeoutMs).unref();
      const settle = (): void => {
        clearTimeout(timer);
        this.#waiting.delete(waiter);
      };
      const waiter: Waiter = {
        resolve: () => (settle(), resolve()),
        reject: (error) => (settle(), reject(error)),
      };
      this.#waiting.add(waiter);
    });
  }

  resolveAll(): void {
    for (const waiter of [...this.#waiting]) waiter.resolve();
  }

  rejectAll(error: LavalinkError): void {
    for (const waiter of [...this.#waiting]) waiter.reject(error);
  }
}
