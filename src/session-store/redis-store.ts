/**
 * A SessionStore in Redis for clusters of bot processes: sessions, players and queues per cluster
 * id, owned by one process at a time through a lease (lease.ts). Writes carry only the fields that
 * changed since the last write (written-fields.ts), pipelined, each batch a fenced script
 * (redis-scripts.ts); one write is in flight at a time, and a failed one is tried again until
 * Redis is back, carrying everything changed meanwhile. Nothing here waits on the bot's commands.
 *
 * Imported only through `lavathread/redis`: ioredis is an optional peer dependency.
 *
 * @example
 * import { RedisSessionStore } from 'lavathread/redis';
 * const manager = new Manager(nodes, {
 *   send,
 *   sessionStore: new RedisSessionStore({ clusterId: `cluster-${cluster.id}`, redis: process.env.REDIS_URL, leaseWait: 60_000 }),
 * });
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis, RedisOptions } from 'ioredis';
import { ErrorCode, InvalidOptionError, StoreLeasedError, type LavalinkError } from '../errors.js';
import { bounded, Lease } from './lease.js';
import { addressOf, connected, hangUp, isClient, ownClient } from './redis-client.js';
import { WrittenFields } from './written-fields.js';
import { ACQUIRE, clusterKeys, Fence, RELEASE, RENEW, WRITE, writeCalls, type ClusterKeys } from './redis-scripts.js';
import type { SessionSnapshot, SessionStore } from './session-store.js';

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /**
   * The cluster this process serves: one process at a time owns a cluster id's sessions. Give
   * each group of shards its own (discord-hybrid-sharding's cluster id, a StatefulSet's ordinal).
   * @example { clusterId: `cluster-${getInfo().CLUSTER}` }
   */
  clusterId: string;
  /**
   * A Redis URL, ioredis options, or an ioredis client of your own (used as it is, and left open).
   * @default 'redis://127.0.0.1:6379'
   * @example { redis: process.env.REDIS_URL }
   */
  redis?: string | RedisOptions | Redis;
  /** Prefix of every key. @default 'lavathread' */
  prefix?: string;
  /**
   * Milliseconds a lease lasts without renewal (renewed every third of it). A process killed
   * without a goodbye keeps its cluster this long; a main thread stalled longer loses it.
   * @default 15000
   */
  leaseTtl?: number;
  /**
   * How long a starting process waits for another live process to give the cluster up (a rolling
   * deploy: the old one closes, the new one takes over); 0 refuses at once with `LAVALINK_STORE_LEASED`.
   * @default 0
   * @example { leaseWait: 120_000 }
   */
  leaseWait?: number;
  /** Milliseconds Redis has to answer at start before `LAVALINK_STORE_UNREACHABLE`. @default 10000 */
  connectTimeout?: number;
  /** The bound on each command (a write that takes longer is tried again). @default 5000 */
  commandTimeout?: number;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5000;

/** The scripts, as defineCommand adds them to a client or a pipeline. */
interface ScriptCommands {
  lavathreadAcquire(lease: string, owner: string, token: string, ttl: number): Promise<number>;
  lavathreadRenew(lease: string, owner: string, token: string, ttl: number): Promise<number>;
  lavathreadRelease(lease: string, owner: string, token: string): Promise<number>;
  lavathreadWrite(...args: (string | number)[]): unknown;
}

export class RedisSessionStore implements SessionStore {
  /** The cluster id whose sessions this store keeps (and whose lease it takes). */
  readonly clusterId: string;
  /** save() writes only the fields that changed: the manager need not compare snapshots first. */
  readonly comparesSnapshots = true;
  readonly #client: Redis;
  /** Made here (closed on release) or the bot's own (left open). */
  readonly #own: boolean;
  readonly #keys: ClusterKeys;
  readonly #lease: Lease;
  readonly #fields = new WrittenFields();
  readonly #ttlMs: number;
  readonly #connectTimeoutMs: number;
  readonly #commandTimeoutMs: number;
  readonly #address: string;
  /** The last snapshot the manager gave: written, or to be. */
  #latest: SessionSnapshot | null = null;
  #writing = false;
  /** Settles with the next write; saves that come during a write share it. */
  #next: { promise: Promise<void>; resolve(): void; reject(error: unknown): void } | null = null;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryMs = RETRY_MIN_MS;
  /** Whether what Redis holds is unknown (nothing loaded, or lost): the next write replaces it all. */
  #replace = true;

  constructor(options: RedisSessionStoreOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object ({ clusterId, redis? })', options);
    const { clusterId, redis, prefix = 'lavathread', leaseTtl = 15_000, leaseWait = 0, connectTimeout = 10_000, commandTimeout = 5000 } = options;
    if (typeof clusterId !== 'string' || !/^[\w.:-]{1,100}$/.test(clusterId)) throw new InvalidOptionError('clusterId', 'a string of 1 to 100 letters, digits, `_`, `-`, `.` or `:`', clusterId);
    if (typeof prefix !== 'string' || !/^[\w.:-]{1,100}$/.test(prefix)) throw new InvalidOptionError('prefix', 'a string of 1 to 100 letters, digits, `_`, `-`, `.` or `:`', prefix);
    const ms = (name: string, value: unknown, min: number): number => {
      if (!Number.isInteger(value) || (value as number) < min || (value as number) > 2_147_483_647) throw new InvalidOptionError(name, `an integer of milliseconds from ${min} to 2147483647`, value);
      return value as number;
    };
    this.#ttlMs = ms('leaseTtl', leaseTtl, 100);
    this.#connectTimeoutMs = ms('connectTimeout', connectTimeout, 1);
    this.#commandTimeoutMs = ms('commandTimeout', commandTimeout, 1);
    this.clusterId = clusterId;
    this.#own = !isClient(redis);
    this.#client = isClient(redis) ? redis : ownClient(redis);
    this.#address = addressOf(this.#client);
    this.#keys = clusterKeys(prefix, clusterId);
    this.#define();
    const scripts = this.#client as unknown as ScriptCommands;
    const { lease, owner } = this.#keys;
    this.#lease = new Lease(
      {
        acquire: (token, ttl) => scripts.lavathreadAcquire(lease, owner, token, ttl),
        renew: (token, ttl) => scripts.lavathreadRenew(lease, owner, token, ttl),
        release: (token) => scripts.lavathreadRelease(lease, owner, token),
      },
      { clusterId, ttlMs: this.#ttlMs, waitMs: ms('leaseWait', leaseWait, 0), commandTimeoutMs: this.#commandTimeoutMs, address: this.#address },
      (empty) => this.#retaken(empty),
    );
  }

  /** Whether this process holds the cluster's lease now. */
  get leased(): boolean {
    return this.#lease.held;
  }

  async acquire(signal: AbortSignal, lost: (error: LavalinkError) => void): Promise<void> {
    try {
      await this.#connect(signal);
      await this.#lease.acquire(signal, (error) => this.#onLost(error, lost));
    } catch (error) {
      await this.#hangUp(); // a refused process may exit: no socket keeps it
      throw error;
    }
  }

  /** The stored snapshot; tried again while Redis does not answer, for up to `connectTimeout`. */
  async load(): Promise<SessionSnapshot | null> {
    const deadline = Date.now() + this.#connectTimeoutMs;
    for (;;) {
      try {
        return await this.#read();
      } catch (error) {
        // A manager goes on without a snapshot it could not read (and then writes over it): try hard.
        if (Date.now() >= deadline) throw error;
        await sleep(Math.min(250, Math.max(1, deadline - Date.now())));
      }
    }
  }

  async #read(): Promise<SessionSnapshot | null> {
    await this.#connect();
    const { meta, sessions, players, queues } = this.#keys;
    const read = this.#client.multi().hgetall(meta).hgetall(sessions).hgetall(players).hgetall(queues).exec();
    const results = await bounded(read, this.#commandTimeoutMs, `Redis at ${this.#address}`);
    const [m, s, p, q] = (results ?? []).map(([error, value]) => {
      if (error) throw error;
      return value as Record<string, string>;
    });
    this.#fields.reset();
    const snapshot = m && s && p && q ? this.#fields.read(m, { sessions: s, players: p, queues: q }) : null;
    this.#replace = false;
    return snapshot;
  }

  /** Writes what changed since the last write; saves during a write are taken by the next one. */
  save(snapshot: SessionSnapshot): Promise<void> {
    if (!this.#lease.held) return Promise.reject(new StoreLeasedError(ErrorCode.StoreLeaseLost, this.clusterId, `This process does not hold the session store of cluster ${this.clusterId}; nothing was written`));
    this.#latest = snapshot;
    return this.#flush();
  }

  /** Gives the lease up (after the manager's final save) and closes the client this store made. */
  async release(): Promise<void> {
    clearTimeout(this.#retryTimer);
    try {
      await this.#lease.release();
    } finally {
      if (this.#own) await bounded(this.#client.quit(), this.#commandTimeoutMs, 'quit').catch(() => this.#hangUp());
    }
  }

  #flush(): Promise<void> {
    if (!this.#next) {
      let settle!: { resolve(): void; reject(error: unknown): void };
      const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      this.#next = { promise, ...settle };
    }
    const { promise } = this.#next;
    if (!this.#writing) void this.#drain();
    return promise;
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#next && this.#latest && this.#lease.held) {
      const waiting = this.#next;
      this.#next = null;
      try {
        await this.#write(this.#latest);
        this.#retryMs = RETRY_MIN_MS;
        waiting.resolve();
      } catch (error) {
        waiting.reject(error);
        this.#scheduleRetry();
      }
    }
    this.#writing = false;
    this.#next?.reject(new StoreLeasedError(ErrorCode.StoreLeaseLost, this.clusterId, `This process no longer holds the session store of cluster ${this.clusterId}`));
    this.#next = null;
  }

  /** Redis was away: try again, with growing waits, even if the manager has nothing new to save. */
  #scheduleRetry(): void {
    if (!this.#lease.held) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#flush().catch(() => {}), this.#retryMs);
    this.#retryTimer.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
  }

  async #write(snapshot: SessionSnapshot): Promise<void> {
    const replace = this.#replace;
    if (replace) this.#fields.reset();
    const changes = this.#fields.changes(snapshot);
    if (!changes) return;
    const pipeline = this.#client.pipeline();
    const { lease, owner, sessions, players, queues, meta } = this.#keys;
    writeCalls(changes).forEach((args, i) => {
      const empty = replace && i === 0 ? '1' : '0';
      (pipeline as unknown as ScriptCommands).lavathreadWrite(lease, owner, sessions, players, queues, meta, this.#lease.token, this.#ttlMs, changes.savedAt, empty, ...args);
    });
    const results = await bounded(pipeline.exec(), this.#commandTimeoutMs, `Redis at ${this.#address}`);
    const statuses = (results ?? []).map(([error, value]) => {
      if (error) throw error;
      return Number(value);
    });
    if (statuses.includes(Fence.Lost)) {
      this.#lease.lose();
      throw new StoreLeasedError(ErrorCode.StoreLeaseLost, this.clusterId, `Another process took the session store of cluster ${this.clusterId}; nothing was written`);
    }
    this.#fields.commit(changes);
    this.#replace = false;
    if (statuses.includes(Fence.RetakenEmpty)) this.#retaken(true);
  }

  /** The lease had run out and was taken again; `empty`: Redis lost its data, so everything is written again. */
  #retaken(empty: boolean): void {
    if (empty) this.#replace = true;
    if (this.#latest) void this.#flush().catch(() => {});
  }

  #onLost(error: LavalinkError, lost: (error: LavalinkError) => void): void {
    clearTimeout(this.#retryTimer);
    lost(error);
  }

  /** Connected, or StoreUnreachableError within `connectTimeout`. */
  #connect(signal?: AbortSignal): Promise<void> {
    return connected(this.#client, this.#own, this.#connectTimeoutMs, signal);
  }

  /** Closes the client this store made (the bot's own stays open). */
  async #hangUp(): Promise<void> {
    if (this.#own) await hangUp(this.#client, this.#commandTimeoutMs);
  }

  #define(): void {
    const client = this.#client;
    client.defineCommand('lavathreadAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    client.defineCommand('lavathreadRenew', { numberOfKeys: 2, lua: RENEW });
    client.defineCommand('lavathreadRelease', { numberOfKeys: 2, lua: RELEASE });
    client.defineCommand('lavathreadWrite', { numberOfKeys: 6, lua: WRITE });
  }
}
