/**
 * When a connection tries again: exponential backoff with full jitter from `retryDelay` up to
 * `maxRetryDelay`, `remaining` counting down (and starting over on every open; `maxTries: -1` is
 * forever). An outage's first failed attempt is an error the bot sees, the next ones debug lines.
 * When the tries run out, the node is gone (one socketDisconnect: its players move) and is probed
 * every `maxRetryDelay` until it answers.
 */
import { ErrorCode, LavalinkError } from '../errors.js';
import { backoff } from '../backoff.js';
import type { Report } from './report.js';

export interface ReconnectOptions {
  readonly maxTries: number;
  readonly retryDelay: number;
  readonly maxRetryDelay: number;
}

export class Reconnects {
  readonly #options: ReconnectOptions;
  readonly #report: Report;
  readonly #open: () => void;
  #attempt = 0;
  /** The tries ran out (socketDisconnect was sent): the node is probed at the capped backoff. */
  #gone = false;
  /** The current outage's first failed attempt was reported; the next ones go to debug only. */
  #outageReported = false;
  /** The last failed attempt's error, told with socketDisconnect. */
  #lastFailure: LavalinkError | null = null;
  #timer: NodeJS.Timeout | undefined;

  /** `open` starts the next attempt. */
  constructor(options: ReconnectOptions, report: Report, open: () => void) {
    this.#options = options;
    this.#report = report;
    this.#open = open;
  }

  /** An attempt is scheduled. */
  get waiting(): boolean {
    return this.#timer !== undefined;
  }

  /** The tries ran out and the node is being probed. */
  get gone(): boolean {
    return this.#gone;
  }

  /** A connection opened: the outage is over, and the tries start over (the caller resets `remaining`). */
  opened(): void {
    this.#attempt = 0;
    this.#gone = false;
    this.#outageReported = false;
    this.#lastFailure = null;
  }

  /** An attempt to connect failed. */
  failed(error: unknown): void {
    const failure = error instanceof LavalinkError ? error : new LavalinkError(ErrorCode.Connection, error instanceof Error ? error.message : String(error));
    this.#lastFailure = failure;
    if (this.#outageReported) return this.#report.debug(`attempt failed: ${failure.message}`);
    this.#outageReported = true;
    this.#report.error(failure);
  }

  /** Schedules the next attempt. */
  schedule(): void {
    const { maxTries, retryDelay, maxRetryDelay } = this.#options;
    const forever = maxTries === -1;
    const remaining = this.#report.state.remaining;
    if (!forever && remaining <= 0) {
      if (!this.#gone) {
        // Its players go to other nodes; the node itself is still probed, and rejoins when it answers.
        this.#gone = true;
        this.#report.debug('no tries left: the node is gone; probing it every maxRetryDelay');
        this.#report.disconnected(false, this.#lastFailure);
      }
      this.#arm(maxRetryDelay);
      return;
    }
    if (!forever) this.#report.set({ remaining: remaining - 1 });
    this.#attempt++;
    const delay = backoff(this.#attempt, retryDelay, maxRetryDelay);
    this.#report.debug(`reconnecting in ${Math.round(delay)} ms (attempt ${this.#attempt}${forever ? '' : `, ${remaining - 1} left`})`);
    this.#arm(delay);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#open();
    }, ms);
  }
}
