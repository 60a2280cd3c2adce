/**
 * Dead-peer detection for one open connection: a ping every `pingInterval`, and a connection that
 * has been silent for `deadAfter` (no frame, no pong) is ended, so a half-open TCP link never hangs
 * a socket. Its pongs also give the round trip shown as the socket's `ping`.
 */
import { wallClock, type Clock } from './clock.js';

/** What the heartbeat needs of the connection. */
export interface HeartbeatLink {
  /** Sends a heartbeat ping; false when the link is not open. */
  ping(): boolean;
  /** Ends a link found dead; its close drives the reconnect. */
  terminate(): void;
  debug(message: string): void;
}

export interface HeartbeatOptions {
  /** ms between pings. */
  readonly pingInterval: number;
  /** ms of silence after which the connection counts as dead. */
  readonly deadAfter: number;
}

export class Heartbeat {
  readonly #link: HeartbeatLink;
  readonly #options: HeartbeatOptions;
  readonly #clock: Clock;
  /** How often silence is judged: often enough to notice it soon after `deadAfter`. */
  readonly #period: number;
  #lastHeard = 0;
  #lastCheck = 0;
  /** When the ping now out was sent; 0 when none is out. */
  #pingSentAt = 0;
  #pingTimer: unknown;
  #checkTimer: unknown;
  #running = false;

  constructor(link: HeartbeatLink, options: HeartbeatOptions, clock: Clock = wallClock) {
    this.#link = link;
    this.#options = options;
    this.#clock = clock;
    this.#period = Math.max(20, Math.floor(options.deadAfter / 10));
  }

  /** Starts on a connection that just opened (it counts as heard now). */
  start(): void {
    this.stop();
    this.#running = true;
    this.#lastHeard = this.#lastCheck = this.#clock.now();
    this.#armPing();
    this.#armCheck();
  }

  stop(): void {
    this.#running = false;
    this.#pingSentAt = 0;
    this.#clock.clearTimeout(this.#pingTimer);
    this.#clock.clearTimeout(this.#checkTimer);
    this.#pingTimer = this.#checkTimer = undefined;
  }

  /** Something came from the node: it is alive. */
  heard(): void {
    this.#lastHeard = this.#clock.now();
  }

  /** The pong of a heartbeat ping came: answers the round trip in ms, or null when no ping was out. */
  ponged(): number | null {
    this.heard();
    if (this.#pingSentAt === 0) return null;
    const roundTrip = this.#lastHeard - this.#pingSentAt;
    this.#pingSentAt = 0;
    return roundTrip;
  }

  #armPing(): void {
    this.#pingTimer = this.#clock.setTimeout(() => {
      if (!this.#running) return;
      const sentAt = this.#clock.now();
      if (this.#link.ping()) this.#pingSentAt = sentAt;
      this.#armPing();
    }, this.#options.pingInterval);
  }

  #armCheck(): void {
    this.#checkTimer = this.#clock.setTimeout(() => {
      if (!this.#running) return;
      const now = this.#clock.now();
      const late = now - this.#lastCheck > this.#period * 3;
      this.#lastCheck = now;
      this.#armCheck();
      // A late check means this thread was stalled: what the node sent meanwhile is still unread
      // (timers run before I/O). Judge again next round, after it has been read.
      if (late) return;
      const silent = now - this.#lastHeard;
      if (silent > this.#options.deadAfter) {
        this.#link.debug(`nothing heard for ${silent} ms: the connection is dead`);
        this.stop();
        this.#link.terminate();
      }
    }, this.#period);
  }
}
