/**
 * Which nodes can take calls, and why the others cannot. Calls that need a ready node (load,
 * search, decode by the node) wait here for one, up to `readyTimeout`: one set of waiters, woken
 * by a session or failed by close(), with no listener per call on the manager. A NoNodeError
 * says each node's state.
 */
import { NoNodeError, type LavalinkError } from '../errors.js';
import type { Socket } from '../socket.js';
import { Waiters } from '../waiters.js';

export interface ReadinessContext {
  /** Every socket ever created (a stopped one is still described). */
  handles(): Iterable<Socket>;
  /** How many sockets may still become ready. */
  live(): number;
  /** The socket calls go to now, if one is ready. */
  ideal(): Socket | undefined;
  readonly timeoutMs: number;
}

export class NodeReadiness {
  /** Why sockets that stopped for good did (a refused password). */
  readonly #stopped = new Map<string, LavalinkError>();
  readonly #waiters = new Waiters();
  readonly #context: ReadinessContext;

  constructor(context: ReadinessContext) {
    this.#context = context;
  }

  isStopped(socket: Socket): boolean {
    return this.#stopped.has(socket.id);
  }

  /** The ideal ready socket; waits up to `timeoutMs` for one (right after init(), during an outage). */
  async readySocket(): Promise<Socket> {
    const ready = this.#context.ideal();
    if (ready) return ready;
    if (this.#context.live() === 0) throw new NoNodeError(`No node can become ready: ${this.describe()}`);
    const { timeoutMs } = this.#context;
    await this.#waiters.wait(timeoutMs, () => new NoNodeError(`No node was ready within ${timeoutMs} ms: ${this.describe()}`));
    const socket = this.#context.ideal();
    if (!socket) throw new NoNodeError(`No node is ready: ${this.describe()}`);
    return socket;
  }

  /** A session is ready: every waiting call goes on. */
  sessionReady(): void {
    this.#waiters.resolveAll();
  }

  /** The socket stopped for good; when it was the last, waiting calls fail now. */
  stopped(socket: Socket, error: LavalinkError | null): void {
    if (error) this.#stopped.set(socket.id, error);
    if (this.#context.live() === 0) this.fail(new NoNodeError(`No node can become ready: ${this.describe()}`));
  }

  fail(error: LavalinkError): void {
    this.#waiters.rejectAll(error);
  }

  /** Each node and why it cannot take calls, for NoNodeError messages. */
  describe(): string {
    const parts: string[] = [];
    for (const socket of this.#context.handles()) {
      const stopped = this.#stopped.get(socket.id);
      parts.push(`${socket.id}: ${stopped ? stopped.message : socket.ready ? 'ready' : socket.connected ? 'waiting for its session' : 'not connected'}`);
    }
    return parts.length > 0 ? parts.join('; ') : 'no nodes are configured';
  }
}
