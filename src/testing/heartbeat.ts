/** The heartbeat fault: ping every client and drop the ones that miss a pong in time. */
import type { WebSocket } from 'ws';

/** How `sim.setHeartbeat()` pings clients. */
export interface HeartbeatOptions {
  /** ms between pings. */
  readonly intervalMs: number;
  /** A client that has not answered a ping within this long is dropped (close 1006). */
  readonly timeoutMs: number;
}

export class Heartbeat {
  readonly #options: HeartbeatOptions;
  readonly #clients: () => Iterable<WebSocket>;
  readonly #paused: () => boolean;
  readonly #deadlines = new Map<WebSocket, NodeJS.Timeout>();
  readonly #timer: NodeJS.Timeout;
  /** Clients dropped for a missed pong. */
  dropped = 0;

  constructor(options: HeartbeatOptions, clients: () => Iterable<WebSocket>, paused: () => boolean) {
    this.#options = options;
    this.#clients = clients;
    this.#paused = paused;
    this.#timer = setInterval(() => this.#beat(), options.intervalMs);
  }

  onPong(ws: WebSocket): void {
    clearTimeout(this.#deadlines.get(ws));
    this.#deadlines.delete(ws);
  }

  stop(): void {
    clearInterval(this.#timer);
    for (const deadline of this.#deadlines.values()) clearTimeout(deadline);
    this.#deadlines.clear();
  }

  #beat(): void {
    if (this.#paused()) return; // a silent server sends no pings either
    for (const ws of this.#clients()) {
      if (ws.readyState !== ws.OPEN || this.#deadlines.has(ws)) continue;
      ws.ping();
      this.#deadlines.set(
        ws,
        setTimeout(() => {
          this.#deadlines.delete(ws);
          this.dropped++;
          ws.terminate();
        }, this.#options.timeoutMs),
      );
    }
  }
}
