/**
 * A cluster id's lease in Redis: one process owns a cluster's sessions at a time. It is taken with
 * `SET NX PX` (a script: redis-scripts.ts), renewed every third of its TTL, fenced by a token that
 * every write checks, and given up by `release()` (a handover). A process killed without a goodbye
 * loses it when its TTL runs out; one that finds another token in place stops and says so.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, StoreLeasedError, StoreUnreachableError, type LavalinkError } from '../errors.js';
import { Fence } from './redis-scripts.js';

/** The lease scripts, bound to the cluster's keys (the store defines them on its client). */
export interface LeaseCommands {
  acquire(token: string, ttlMs: number): Promise<number>;
  renew(token: string, ttlMs: number): Promise<number>;
  release(token: string): Promise<number>;
}

export interface LeaseOptions {
  readonly clusterId: string;
  readonly ttlMs: number;
  /** How long `acquire` waits for another process's lease to end; 0 refuses at once. */
  readonly waitMs: number;
  /** The bound on each Redis command. */
  readonly commandTimeoutMs: number;
  /** Where Redis is (host:port), for messages; never its password. */
  readonly address: string;
}

/** Settles as `promise` does, or rejects with a StoreUnreachableError after `ms`. */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnreachableError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class Lease {
  /** Who holds it, as an operator reading the key sees it: host, pid and a random part. */
  readonly token = `${hostname()}:${process.pid}:${randomUUID()}`;
  readonly #commands: LeaseCommands;
  readonly #options: LeaseOptions;
  /** The lease expired or Redis lost its data, and this process took it again (`empty`: write everything). */
  readonly #retaken: (empty: boolean) => void;
  #held = false;
  #lost: ((error: LavalinkError) => void) | null = null;
  #timer: NodeJS.Timeout | undefined;

  constructor(commands: LeaseCommands, options: LeaseOptions, retaken: (empty: boolean) => void) {
    this.#commands = commands;
    this.#options = options;
    this.#retaken = retaken;
  }

  get held(): boolean {
    return this.#held;
  }

  /**
   * Takes the lease, waiting up to `waitMs` while another process holds it. Rejects with
   * `LAVALINK_STORE_LEASED` when it stays held, `LAVALINK_STORE_UNREACHABLE` when Redis does not
   * answer, or the signal's reason when aborted.
   */
  async acquire(signal: AbortSignal, lost: (error: LavalinkError) => void): Promise<void> {
    if (this.#held) return; // one renewal timer, however often it is asked
    const { ttlMs, waitMs, commandTimeoutMs, clusterId } = this.#options;
    const deadline = Date.now() + waitMs;
    for (;;) {
      signal.throwIfAborted();
      let left: number;
      try {
        left = await bounded(this.#commands.acquire(this.token, ttlMs), commandTimeoutMs, `Redis at ${this.#options.address}`);
      } catch (error) {
        if (Date.now() >= deadline) throw unreachable(error, this.#options.address);
        await sleep(Math.min(250, deadline - Date.now()), undefined, { signal });
        continue;
      }
      if (left === 0) break;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const ends = left > 0 ? `its lease ends in ${left} ms unless renewed` : 'its lease has no expiry';
        throw new StoreLeasedError(ErrorCode.StoreLeased, clusterId, `Another process holds the session store of cluster ${clusterId} (${ends}); this one takes none of its sessions`);
      }
      // Look again about when it would expire, never later than the wait allows.
      await sleep(Math.min(Math.max(left > 0 ? left : 1000, 25), 1000, remaining), undefined, { signal });
    }
    this.#held = true;
    this.#lost = lost;
    this.#schedule();
  }

  /** Another process holds it: stop renewing and tell the manager, once. */
  lose(): void {
    if (!this.#held) return;
    this.#held = false;
    clearTimeout(this.#timer);
    const lost = this.#lost;
    this.#lost = null;
    const { clusterId } = this.#options;
    lost?.(new StoreLeasedError(ErrorCode.StoreLeaseLost, clusterId, `Another process took the session store of cluster ${clusterId}; this one writes no more of it`));
  }

  /** Gives the lease up, if this process still holds it. */
  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    this.#lost = null;
    clearTimeout(this.#timer);
    await bounded(this.#commands.release(this.token), this.#options.commandTimeoutMs, `Redis at ${this.#options.address}`);
  }

  #schedule(): void {
    this.#timer = setTimeout(() => void this.#renew(), Math.max(1, Math.floor(this.#options.ttlMs / 3)));
    // A bot that forgot close() may still exit; the lease then ends with its TTL.
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    try {
      const status = await bounded(this.#commands.renew(this.token, this.#options.ttlMs), this.#options.commandTimeoutMs, 'renewal');
      if (!this.#held) return; // released or lost meanwhile
      if (status === Fence.Lost) return this.lose();
      if (status === Fence.Retaken || status === Fence.RetakenEmpty) this.#retaken(status === Fence.RetakenEmpty);
    } catch {
      // Redis is away: every write is fenced, and the next renewal (or write) learns what happened.
    }
    if (this.#held) this.#schedule();
  }
}

function unreachable(error: unknown, address: string): LavalinkError {
  if (error instanceof StoreUnreachableError) return error;
  // No `cause`: ioredis errors carry their command's arguments, and AUTH's is the password.
  return new StoreUnreachableError(`Redis at ${address} did not answer: ${error instanceof Error ? error.message : String(error)}`);
}
