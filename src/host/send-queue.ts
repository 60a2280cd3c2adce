/**
 * The send queue of one connection: ops wait here, in order, until a session is open to take them,
 * and go one at a time. A delivery that may not have reached the node is tried again (a node that
 * answers 5xx or resets its REST connections for a while costs no command); an op still waiting
 * when its deadline passes with no session open is rejected. An op leaves the queue once the node
 * took it, by identity: ops put in front of it meanwhile stay.
 */
import { ErrorCode, LavalinkError, TimeoutError } from '../errors.js';
import type { OutgoingOp } from '../protocol/ops.js';
import { dropSupersededPlays } from '../protocol/replay.js';
import { wallClock, type Clock } from './clock.js';

export interface QueuedOp {
  readonly op: OutgoingOp | 'configureResuming';
  /** Sent again after a worker crash, a timeout or a reset link: a `play` is checked against the node first. */
  replay: boolean;
  tries: number;
  /** Epoch ms by which a session must be open to take it; Infinity: it waits however long. */
  readonly deadline: number;
  resolve(): void;
  reject(error: LavalinkError): void;
}

/** What the queue needs of the connection. */
export interface QueueHost {
  /** Whether a session is open to take ops now. */
  usable(): boolean;
  /** Carries one op to the node; rejects when it did not get there (or may not have). */
  deliver(item: QueuedOp): Promise<void>;
  /** Whether a failed delivery may not have reached the node, so another try is worth it. */
  isRetryable(error: LavalinkError): boolean;
  /** Whether a delivered op counts only once the node confirms it (v3 frames); then it goes to `written`. */
  needsConfirmation(item: QueuedOp): boolean;
  written(item: QueuedOp): void;
  /** The number of ops the queue holds changed. */
  changed(): void;
  /** The error of an op whose deadline passed with no session open. */
  expired(item: QueuedOp): LavalinkError;
}

/**
 * Deliveries of one op tried at least before it is rejected (5xx, timeouts, network), with growing
 * waits between them; more while its deadline has not passed.
 */
const MAX_DELIVERY_TRIES = 6;

export class SendQueue {
  readonly #host: QueueHost;
  readonly #retryDelay: number;
  readonly #clock: Clock;
  readonly #items: QueuedOp[] = [];
  /** The op being handed to the node right now: the one a cancel or an expiry cannot take back. */
  #delivering: QueuedOp | null = null;
  #flushing = false;
  #expiryTimer: unknown;
  #retryTimer: unknown;

  constructor(host: QueueHost, options: { readonly retryDelay: number }, clock: Clock = wallClock) {
    this.#host = host;
    this.#retryDelay = options.retryDelay;
    this.#clock = clock;
  }

  get length(): number {
    return this.#items.length;
  }

  some(predicate: (item: QueuedOp) => boolean): boolean {
    return this.#items.some(predicate);
  }

  /** Queues an op: it goes at once when a session is open, else it waits (until its deadline). */
  add(item: QueuedOp): void {
    this.#items.push(item);
    this.#host.changed();
    if (this.#host.usable()) void this.flush();
    else this.armExpiry();
  }

  /** Queues an op of the connection's own (resuming, after a session opened); the caller flushes. */
  push(item: QueuedOp): void {
    this.#items.push(item);
  }

  /**
   * Puts ops a closed link had not confirmed in front, in order; a replayed `play` that a later op
   * of its guild overrides is settled instead of played.
   */
  putFirst(items: readonly QueuedOp[]): void {
    if (items.length === 0) return;
    this.#items.unshift(...items);
    dropSupersededPlays(this.#items, (item) => item.replay);
  }

  /** Takes every op out (to reject them: the socket is closed for good). */
  takeAll(): QueuedOp[] {
    return this.#items.splice(0);
  }

  /**
   * Takes back the queued ops of a guild whose player moved to another node (they go there
   * instead); the one on its way now cannot be taken back. Answers how many were taken.
   */
  cancel(guildId: string): number {
    let taken = 0;
    for (let i = this.#items.length - 1; i >= 0; i--) {
      const item = this.#items[i]!;
      if (item === this.#delivering || item.op === 'configureResuming' || item.op.guildId !== guildId) continue;
      this.#items.splice(i, 1);
      item.resolve(); // settled here; the main side already moved its promise to the new node
      taken++;
    }
    if (taken > 0) this.#host.changed();
    return taken;
  }

  /** While no session is open, queued ops wait until their deadline, then fail. */
  armExpiry(): void {
    if (this.#host.usable() || this.#expiryTimer !== undefined) return;
    let next = Infinity;
    for (const item of this.#items) next = Math.min(next, item.deadline);
    if (next === Infinity) return;
    this.#expiryTimer = this.#clock.setTimeout(() => {
      this.#expiryTimer = undefined;
      if (this.#host.usable()) return;
      const now = this.#clock.now();
      const expired = this.#items.filter((item) => item.deadline <= now && item !== this.#delivering);
      if (expired.length > 0) {
        for (const item of expired) this.#items.splice(this.#items.indexOf(item), 1);
        this.#host.changed();
        for (const item of expired) item.reject(this.#host.expired(item));
      }
      this.armExpiry();
    }, Math.max(0, next - this.#clock.now()));
  }

  /** A session opened: nothing expires while it lasts. */
  disarmExpiry(): void {
    this.#clock.clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
  }

  stop(): void {
    this.disarmExpiry();
    this.#clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  /** Sends the queue in order, one op at a time, while a session is open. */
  async flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#host.usable() && this.#items.length > 0) {
        const item = this.#items[0]!;
        try {
          this.#delivering = item;
          await this.#host.deliver(item);
        } catch (error) {
          if (this.#failed(item, error)) return;
          continue;
        }
        // Ops may have been put in front of it meanwhile (a link that closed gives back what it
        // had not confirmed), or it may have been settled as superseded: it leaves by identity.
        const confirm = this.#host.needsConfirmation(item);
        if (confirm && !this.#host.usable()) {
          // Written on a link that has closed since: it goes again on the next one.
          item.replay = true;
          return;
        }
        if (!this.#take(item)) continue;
        if (confirm) {
          this.#host.written(item);
        } else {
          item.resolve();
          this.#host.changed();
        }
      }
    } finally {
      this.#flushing = false;
      this.#delivering = null;
    }
  }

  /** A delivery failed: answers true when the flush stops here (the op waits), false to go on. */
  #failed(item: QueuedOp, error: unknown): boolean {
    const failure = error instanceof LavalinkError ? error : new LavalinkError(ErrorCode.Connection, String(error));
    // The connection went while the op was on its way: it waits for the next session.
    if (!this.#host.usable()) return true;
    // Tries go on until the op's deadline has passed (at least MAX_DELIVERY_TRIES). An op that
    // waits for the node without a deadline still has only MAX_DELIVERY_TRIES once it is up.
    item.tries++;
    const mayTryAgain = item.tries < MAX_DELIVERY_TRIES || (Number.isFinite(item.deadline) && this.#clock.now() < item.deadline);
    if (this.#host.isRetryable(failure) && mayTryAgain) {
      // A timed-out call may have taken effect: check before playing twice.
      if (failure instanceof TimeoutError) item.replay = true;
      const wait = Math.min(2000, Math.max(100, this.#retryDelay) * 2 ** (item.tries - 1));
      this.#retryTimer = this.#clock.setTimeout(() => void this.flush(), wait);
      return true;
    }
    this.#take(item);
    item.reject(failure);
    this.#host.changed();
    return false;
  }

  /** Removes `item` from the queue; false when it is no longer there. */
  #take(item: QueuedOp): boolean {
    const at = this.#items.indexOf(item);
    if (at === -1) return false;
    this.#items.splice(at, 1);
    return true;
  }
}
