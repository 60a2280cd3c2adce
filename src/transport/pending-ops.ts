/**
 * The ops a socket's main side holds until its host says the node took them: in order, each with
 * its promise, across host restarts and player moves. While no live host holds them they wait
 * until their deadline, then fail with NoNodeError.
 */
import type { LavalinkError } from '../errors.js';
import { NoNodeError } from '../errors.js';
import type { OutgoingOp } from '../protocol/ops.js';
import { dropSupersededPlays } from '../protocol/replay.js';

export interface PendingOp {
  readonly op: OutgoingOp;
  resolve(): void;
  reject(error: LavalinkError): void;
  /** The host generation it was handed to; -1 = not yet handed to a host. */
  generation: number;
  /** Epoch ms by which a session must take it (`readyTimeout` after it was sent); else LAVALINK_NO_NODE. */
  readonly deadline: number;
}

export class PendingOps {
  readonly #ops: PendingOp[] = [];
  #expiryTimer: NodeJS.Timeout | undefined;

  /** Oldest first. */
  get ops(): readonly PendingOp[] {
    return this.#ops;
  }

  get size(): number {
    return this.#ops.length;
  }

  add(pending: PendingOp): void {
    this.#ops.push(pending);
  }

  /** Removes `pending`; false when it was settled (removed) already. */
  remove(pending: PendingOp): boolean {
    const at = this.#ops.indexOf(pending);
    if (at === -1) return false;
    this.#ops.splice(at, 1);
    return true;
  }

  /** Takes out a guild's ops (its player moved), destroys excepted: they are for this node. */
  take(guildId: string): PendingOp[] {
    const taken = this.#ops.filter((p) => p.op.guildId === guildId && p.op.op !== 'destroy');
    for (const pending of taken) this.remove(pending);
    return taken;
  }

  /** A dead host may have delivered only part of what it held: superseded plays go (replay.ts). */
  dropSupersededPlays(): void {
    dropSupersededPlays(this.#ops, (pending) => pending.generation !== -1);
  }

  /** Rejects (and removes) every op. */
  rejectAll(error: LavalinkError): void {
    clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    for (const pending of this.#ops.splice(0)) pending.reject(error);
  }

  /**
   * While `idle()` (no live host holds these ops), each fails at its deadline with NoNodeError
   * saying `why()`; `waitedMs` is the readyTimeout, for the message.
   */
  armExpiry(idle: () => boolean, why: () => string, waitedMs: number): void {
    if (!idle() || this.#expiryTimer !== undefined) return;
    let next = Infinity;
    for (const pending of this.#ops) next = Math.min(next, pending.deadline);
    if (next === Infinity) return;
    this.#expiryTimer = setTimeout(() => {
      this.#expiryTimer = undefined;
      if (!idle()) return;
      const now = Date.now();
      for (const pending of this.#ops.filter((p) => p.deadline <= now)) {
        this.remove(pending);
        pending.reject(new NoNodeError(`${why()}; the op waited ${waitedMs} ms`, pending.generation !== -1));
      }
      this.armExpiry(idle, why, waitedMs);
    }, Math.max(0, next - Date.now()));
  }

  stopExpiry(): void {
    clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
  }
}
