/**
 * One socket's control calls to its host, and the registry of those still out. Every call settles
 * exactly once: with the host's answer, at its timeout, when the host dies, or when the link is
 * released. comlink's own promise never settles once the worker is gone, so no call
 * may wait on it alone; and no call may hang a reaction on `done`, which outlives every call: one
 * `.then` per call there kept ~570 B of main-thread heap per command for the worker's whole life.
 */
import * as Comlink from 'comlink';
import type { MessagePort } from 'node:worker_threads';
import { ErrorCode, InvalidOptionError, LavalinkError, SocketClosedError, TimeoutError, WorkerExitedError } from '../errors.js';
import type { SocketControl } from '../ipc/control.js';
import { noTraffic, type Traffic } from './event-receiver.js';

interface PendingCall {
  reject(error: LavalinkError): void;
  timer: NodeJS.Timeout | undefined;
}

export class WorkerLink {
  /** Resolves when the socket's task ended (closed for good); rejects with WorkerExitedError when its host died. */
  readonly done: Promise<void>;
  /**
   * The host's control object as its own type: comlink turns every method into one that returns
   * a promise, which `call` awaits either way.
   */
  readonly #control: SocketControl;
  readonly #port: MessagePort;
  readonly #calls = new Set<PendingCall>();
  /** Why calls can no longer be answered; null while the host may still answer. */
  #ended: LavalinkError | null = null;

  /** What came through the event channel this socket's host was given (0 when its host already had one). */
  readonly traffic: Traffic;

  constructor(port: MessagePort, done: Promise<void>, socketId: string, traffic: Traffic = noTraffic()) {
    this.#port = port;
    this.traffic = traffic;
    this.#control = Comlink.wrap<SocketControl>(port) as unknown as SocketControl;
    this.done = done;
    const died = (): void => this.#end(new WorkerExitedError(`The worker hosting socket ${socketId} exited`));
    done.catch(died);
    // The port closes when the host is done with it (after its last answer) or when its thread
    // dies; which of the two, `done` tells.
    port.once('close', () => {
      done.then(() => this.#end(new SocketClosedError(`Socket ${socketId}'s host has ended`)), died);
    });
  }

  /** Calls still waiting for an answer. */
  get pending(): number {
    return this.#calls.size;
  }

  /**
   * Calls the host. Rejects with WorkerExitedError when the host dies first, SocketClosedError
   * when the link is released or the host ended, TimeoutError past `timeoutMs` (null: no limit),
   * and InvalidOptionError when an argument cannot be copied to the host's thread.
   */
  call<T>(invoke: (control: SocketControl) => T | Promise<T>, timeoutMs: number | null, what = 'the call'): Promise<T> {
    if (this.#ended) return Promise.reject(this.#ended);
    return new Promise<T>((resolve, reject) => {
      const entry: PendingCall = { reject, timer: undefined };
      const settle = (): boolean => {
        if (!this.#calls.delete(entry)) return false;
        clearTimeout(entry.timer);
        return true;
      };
      this.#calls.add(entry);
      if (timeoutMs !== null) {
        entry.timer = setTimeout(() => {
          if (settle()) reject(new TimeoutError(`${what}: the worker did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      // postMessage throws at once for a value it cannot copy: that too settles the call.
      const answer = (async () => invoke(this.#control))();
      answer.then(
        (value) => {
          if (settle()) resolve(value);
        },
        (error: unknown) => {
          // Only the host's death (#end) means "it may have been taken": an error the host threw is the call's own.
          if (settle()) reject(uncopyable(error) ?? (error instanceof LavalinkError ? error : new LavalinkError(ErrorCode.Connection, `The host failed the call: ${error instanceof Error ? error.message : String(error)}`)));
        },
      );
    });
  }

  /** Settles every call still out with `error`; the link takes new calls. */
  abandon(error: LavalinkError): void {
    for (const call of this.#calls) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    this.#calls.clear();
  }

  /** Settles every call still out with `error`, refuses new ones, and closes the main side of the control port. */
  release(error: LavalinkError): void {
    this.#end(error);
    this.#port.close();
  }

  #end(error: LavalinkError): void {
    if (this.#ended) return;
    this.#ended = error;
    this.abandon(error);
  }
}

/** postMessage refuses values the structured clone cannot copy (functions, symbols, deep nesting). */
function uncopyable(error: unknown): InvalidOptionError | null {
  if (!(error instanceof Error)) return null;
  if (error.name !== 'DataCloneError' && !(error instanceof RangeError)) return null;
  return new InvalidOptionError('argument', 'a value that can be copied to the worker thread (no functions, symbols or promises; not nested too deeply)', error.message);
}
