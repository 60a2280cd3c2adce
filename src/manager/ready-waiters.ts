/**
 * Calls that need a ready node (load, search, decode by the node) wait here for one, up to
 * `readyTimeout`: one set of waiters, woken by a session or failed by close(), with no listener
 * per call on the manager and no timer that keeps the process up.
 */
import { NoNodeError, type LavalinkError } from '../errors.js';

export class ReadyWaiters {
  readonly #waiters = new Set<{ resolve(): void; reject(error: LavalinkError): void }>();

  /** Resolves when `wake()` is called; rejects at `timeoutMs` with NoNodeError saying `state()`. */
  wait(timeoutMs: number, state: () => string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: LavalinkError) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new NoNodeError(`No node was ready within ${timeoutMs} ms: ${state()}`));
      }, timeoutMs);
      timer.unref();
      this.#waiters.add(waiter);
    });
  }

  wake(): void {
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters.clear();
  }

  fail(error: LavalinkError): void {
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters.clear();
  }
}
