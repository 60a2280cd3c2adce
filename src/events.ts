/** The events of the Manager and of each Player, as labeled tuples. */
import type { LavalinkError } from './errors.js';
import type { Player } from './player.js';
import type { LavalinkMessage } from './protocol/messages.js';
import type { PlayerState, TrackEndReason, TrackExceptionInfo } from './protocol/node-events.js';
import type { PluginEvent } from './protocol/plugin-events.js';
import type { Track } from './protocol/rest.js';
import type { Socket } from './socket.js';

export type { TrackEndReason, TrackExceptionInfo } from './protocol/node-events.js';

/** Events a Player emits (the Manager emits them too, with the same arguments). */
export interface PlayerEvents {
  /** The node started playing a track (not repeated for a track taken over by failover or a restore). */
  trackStart: [player: Player, track: Track];
  /** `mayStartNext`: true for `finished` and `loadFailed`, when a queue should move on. */
  trackEnd: [player: Player, track: Track | null, reason: TrackEndReason, mayStartNext: boolean];
  /** A track failed while playing; a `trackEnd` with `loadFailed` follows. */
  trackException: [player: Player, track: Track | null, exception: TrackExceptionInfo];
  /** A track got stuck: no audio for `thresholdMs`. */
  trackStuck: [player: Player, track: Track | null, thresholdMs: number];
  /** Discord closed the node's voice WebSocket (4006 session invalid, 4014 disconnected...); code -1 when the server did not say. */
  voiceClosed: [player: Player, code: number, reason: string, byRemote: boolean];
  /** @deprecated The old name of `voiceClosed` (one letter from the manager's `socketClose`); still emitted. */
  socketClosed: [player: Player, code: number, reason: string, byRemote: boolean];
  /** The node reported where the player is (every few seconds while playing; `player.position` moves on between them). */
  playerUpdate: [player: Player, state: PlayerState];
  /** The bot's voice channel changed (null: it left). */
  move: [player: Player, from: string | null, to: string | null];
  /** The player moved to another node (moveTo, failover). */
  nodeMove: [player: Player, from: Socket, to: Socket];
  /**
   * The player could not be restored (after a failover or a lost session) on any node: `track`
   * was playing and now nothing plays; the player is `track: null`, not playing. Play it again,
   * or move on.
   */
  restoreFailed: [player: Player, track: Track | null, error: LavalinkError];
  /**
   * The player's queue ran dry: `track` (the last one) ended and neither the queue nor the
   * `autoplay` hook had another. Only for a player whose `queue` the bot used.
   */
  queueEnd: [player: Player, track: Track | null];
  /**
   * The queue could not go on by itself: playing its next track failed (a LavalinkError), or the
   * `autoplay` hook threw or answered something that is not tracks (its error). Nothing else is lost.
   */
  queueError: [player: Player, error: unknown];
  /**
   * A Lavalink plugin's event about this player: SponsorBlock's `SegmentsLoaded`, `SegmentSkipped`,
   * `ChaptersLoaded`, `ChapterStarted`; LavaLyrics' `LyricsFoundEvent`, `LyricsNotFoundEvent`,
   * `LyricsLineEvent`; any other as `unknown`, with its name and fields. Narrow on `event.type`.
   */
  pluginEvent: [player: Player, event: PluginEvent];
}

/**
 * Events the Manager emits: the sockets' own, and every player's (as `trackStart`, `queueEnd`... with the player first).
 *
 * @example
 * ```ts
 * manager.on('socketReady', (socket) => console.log(`${socket} ready (Lavalink v${socket.version})`));
 * manager.on('socketError', (socket, error) => console.warn(`${socket}: ${error.code} ${error.message}`));
 * manager.on('trackStart', (player, track) => announce(player.guildId, `Now playing ${track.info.title}`));
 * manager.on('queueEnd', (player) => player.destroy());
 * ```
 */
export interface ManagerEvents {
  /** A socket opened a new session and can take ops. */
  socketReady: [socket: Socket];
  /** A socket reconnected and the node resumed its session: players kept playing. */
  socketResumed: [socket: Socket];
  /** A socket's connection failed or broke. The socket retries by itself; a process warning is printed for an `LAVALINK_AUTH_FAILED` error when nobody listens here. */
  socketError: [socket: Socket, error: LavalinkError];
  /** The WebSocket closed; a reconnect follows unless the socket is finished. */
  socketClose: [socket: Socket, code: number, reason: string];
  /**
   * The node is gone: its reconnect tries ran out (it stays in `manager.sockets` and is probed
   * every `maxRetryDelay`; `socketReady` says when it is back), or it refused the password (it
   * leaves `manager.sockets`). Either way its players move to other nodes. Once per outage, with
   * the last attempt's error.
   */
  socketDisconnect: [socket: Socket, error: LavalinkError | null];
  /** Every frame a node sent, decoded, after the socket's own handling. */
  raw: [socket: Socket, message: LavalinkMessage];
  /** A line of the library's own diagnostics (also on the `lavathread:debug` diagnostics channel). Listening costs a little; leave it off in production. */
  debug: [message: string];
  /**
   * The session store refused this process (`LAVALINK_STORE_LEASED`: another live process with the
   * same cluster id owns it; `LAVALINK_STORE_UNREACHABLE`), so nothing was connected; or its lease
   * was lost while running (`LAVALINK_STORE_LEASE_LOST`), so nothing more is written. Without a
   * listener it is a process warning.
   */
  sessionStoreError: [error: LavalinkError];
  /** A player was made: by `create()`, or (`restored`) from the session store after a restart. */
  playerCreate: [player: Player, restored: boolean];
  /** A player was destroyed and left `manager.players`; `reason` says why (PlayerDestroyReason). */
  playerDestroy: [player: Player, reason: PlayerDestroyReason];
  /** A player's voice channel changed. */
  playerMove: [player: Player, from: string | null, to: string | null];
  /** A player moved to another node. */
  playerNodeMove: [player: Player, from: Socket, to: Socket];
  /** A player could not be restored on any node (see the Player's `restoreFailed`). */
  playerRestoreFailed: PlayerEvents['restoreFailed'];
  /** A player's `trackStart`. */
  trackStart: PlayerEvents['trackStart'];
  /** A player's `trackEnd`. */
  trackEnd: PlayerEvents['trackEnd'];
  /** A player's `trackException`. */
  trackException: PlayerEvents['trackException'];
  /** A player's `trackStuck`. */
  trackStuck: PlayerEvents['trackStuck'];
  /** A player's `voiceClosed`. */
  voiceClosed: PlayerEvents['voiceClosed'];
  /** @deprecated The old name of `voiceClosed`; still emitted. */
  socketClosed: PlayerEvents['socketClosed'];
  /** A player's `playerUpdate`. */
  playerUpdate: PlayerEvents['playerUpdate'];
  /** A player's `queueEnd`. */
  queueEnd: PlayerEvents['queueEnd'];
  /** A player's `queueError`. */
  queueError: PlayerEvents['queueError'];
  /** A player's `pluginEvent`. */
  pluginEvent: PlayerEvents['pluginEvent'];
}

/**
 * Why a player was destroyed: the bot did it (`player.destroy()`, `manager.destroy()`), or a
 * ManagerOptions `autoDestroy` rule did: Discord took the bot out of voice (`voiceLost`), or no
 * node could take the player back after its node was lost (`nodeGone`), or it had no track for
 * `autoDestroy.idle` ms (`idle`).
 */
export type PlayerDestroyReason = 'bot' | 'voiceLost' | 'nodeGone' | 'idle';
