import type { LavalinkError } from '../errors.js';
import type { QueueSnapshot } from '../queue/queue.js';

/**
 * What a bot needs to take its Lavalink sessions back after its process restarts: each node's
 * session (resume key / session id) and a snapshot of every player.
 */

export interface StoredSession {
  readonly socketId: string;
  readonly version: 3 | 4;
  /** v3 resume key or v4 session id. */
  readonly resumeKey: string;
  readonly sessionId: string | null;
}

export interface StoredPlayer {
  readonly guildId: string;
  readonly socketId: string;
  readonly channel: string | null;
  readonly voice: { readonly sessionId: string; readonly token: string; readonly endpoint: string } | null;
  readonly track: string | null;
  readonly position: number;
  readonly paused: boolean;
  readonly volume: number;
  readonly filters: Record<string, unknown>;
  /** The player's queue, when the bot used it. */
  readonly queue?: QueueSnapshot;
}

export interface SessionSnapshot {
  readonly format: 1;
  readonly savedAt: number;
  readonly sessions: readonly StoredSession[];
  readonly players: readonly StoredPlayer[];
}

/**
 * Where snapshots live. Implement it for a database; `FileSessionStore` is the default and
 * `RedisSessionStore` (`lavathread/redis`) serves clusters of bot processes.
 */
export interface SessionStore {
  /** The last complete snapshot, or null when there is none. */
  load(): Promise<SessionSnapshot | null>;
  save(snapshot: SessionSnapshot): Promise<void>;
  /**
   * Optional: takes ownership of the stored sessions (a lease) before the manager loads them and
   * connects its sockets. Rejects (a `LavalinkError`, such as `LAVALINK_STORE_LEASED` or
   * `LAVALINK_STORE_UNREACHABLE`) when this process must not use them; the manager then connects
   * nothing. `signal` aborts a wait when the manager closes. `lost` is called, once, if ownership
   * is lost later: the manager stops writing and reports it.
   */
  acquire?(signal: AbortSignal, lost: (error: LavalinkError) => void): Promise<void>;
  /**
   * Optional: true when `save` finds out itself what changed since its last write (the Redis
   * store does, field by field): the manager then hands it every snapshot, once a second, instead
   * of comparing the whole snapshot's JSON with the last one first.
   */
  readonly comparesSnapshots?: boolean;
  /** Optional: gives ownership up, after the manager's final save and once its sockets closed (a handover). */
  release?(): Promise<void>;
}
