import type { LavalinkError } from '../errors.js';
import type { QueueSnapshot } from '../queue/queue.js';

/**
 * What a bot needs to take its Lavalink sessions back after its process restarts: each node's
 * session (resume key / session id) and a snapshot of every player.
 */

export interface StoredSession {
  /** The id of the node (`SocketData.id`) the session is on. */
  readonly socketId: string;
  /** The node's protocol version. */
  readonly version: 3 | 4;
  /** v3 resume key or v4 session id. */
  readonly resumeKey: string;
  /** The session id the node gave (v4, v3.7), as `socket.sessionId`; null when it gave none. */
  readonly sessionId: string | null;
}

/** One player as the bot left it, enough to take it back after a restart. */
export interface StoredPlayer {
  /** Its guild. */
  readonly guildId: string;
  /** The node (`SocketData.id`) it was on. */
  readonly socketId: string;
  /** Its voice channel; null when not in one. */
  readonly channel: string | null;
  /** The Discord voice credentials it had; null before it had both events. */
  readonly voice: {
    /** Discord's voice session id. */
    readonly sessionId: string;
    /** Discord's voice token. */
    readonly token: string;
    /** The voice server's host. */
    readonly endpoint: string;
  } | null;
  /** The encoded track it played; null when none. */
  readonly track: string | null;
  /** Position in the track when saved, ms. */
  readonly position: number;
  /** Whether it was paused. */
  readonly paused: boolean;
  /** Its volume, 0 to 1000. */
  readonly volume: number;
  /** Its filters. */
  readonly filters: Record<string, unknown>;
  /** The player's queue, when the bot used it. */
  readonly queue?: QueueSnapshot;
  /** What it asked its node's plugins to keep, when it asked for anything. */
  readonly plugins?: StoredPlugins;
}

/** What a player asked its node's plugins to keep: asked for again when it is rebuilt on a node. */
export interface StoredPlugins {
  /** SponsorBlock: the categories its node skips. */
  readonly sponsorBlock?: readonly string[];
  /** LavaLyrics: it subscribed to live lyrics. */
  readonly lyrics?: {
    /** The subscription's option: lyrics from other sources than the track's own. */
    readonly skipTrackSource: boolean;
  };
}

/** Everything a session store keeps: the open sessions and the players, saved as one. */
export interface SessionSnapshot {
  /** The snapshot's format, so a later lavathread can read an older file. */
  readonly format: 1;
  /** When it was saved, epoch ms. */
  readonly savedAt: number;
  /** One entry per node with an open session. */
  readonly sessions: readonly StoredSession[];
  /** Every player. */
  readonly players: readonly StoredPlayer[];
}

/**
 * Where snapshots live. Implement it for a database; `FileSessionStore` is the default and
 * `RedisSessionStore` (`lavathread/redis`) serves clusters of bot processes.
 */
export interface SessionStore {
  /** The last complete snapshot, or null when there is none. */
  load(): Promise<SessionSnapshot | null>;
  /** Keeps `snapshot`, replacing the last one. A store should write atomically, so a crash mid-write leaves the previous snapshot whole. */
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
   * of comparing it field by field with what it last wrote first.
   */
  readonly comparesSnapshots?: boolean;
  /** Optional: gives ownership up, after the manager's final save and once its sockets closed (a handover). */
  release?(): Promise<void>;
}
