/**
 * Options of the Manager: their types, defaults and validation (a node's own options:
 * socket-options.ts).
 */
import { pathToFileURL } from 'node:url';
import { CLIENT_NAME } from './constants.js';
import { check, isInt, MAX_TIMER_MS, resolveSocketOptions, validateSocketOptions, type SocketOptions } from './socket-options.js';
import type { Player } from './player.js';
import type { Track } from './protocol/rest.js';
import type { QueueInput } from './queue/player-queue.js';
import type { SessionStore } from './session-store/session-store.js';
import type { Socket } from './socket.js';

/** What a player needs a node for: a new player, or one whose node cannot keep it. */
export interface NodeRequest {
  /** The guild the player is for. */
  readonly guildId: string;
  /** The voice region the player was created for (`manager.create(guild, { region })`), or null. */
  readonly region: string | null;
  /** The player moving (failover); null for one being created. */
  readonly player: Player | null;
  /** `create`: a new player; `failover`: a player whose node is gone. */
  readonly reason: 'create' | 'failover';
}

/**
 * Picks the node for a player from `candidates`: the ready nodes, those serving the request's
 * region first, each group least loaded first (by penalties and the players placed on each).
 * Answer one of them; anything else (undefined, a node not in the list, a throw) means the first.
 */
export type NodeResolver = (request: NodeRequest, candidates: readonly Socket[]) => Socket | null | undefined;

/** Answers what a dry queue plays next (Tracks or encoded tracks; nothing: the queue ends). `last`: the track that ended. */
export type AutoplayHook = (player: Player, last: Track | null) => QueueInput | null | undefined | Promise<QueueInput | null | undefined>;


/**
 * The Manager's options: only `send` is required. Each option is checked when the Manager is made; a bad one throws `InvalidOptionError`.
 *
 * @example
 * ```ts
 * const manager = new Manager(nodes, {
 *   send: (guildId, payload) => client.guilds.cache.get(guildId)?.shard.send(payload),
 *   workers: 1,
 *   sessionStore: new FileSessionStore('./lavalink-sessions.json'),
 *   autoDestroy: { voiceLost: true, idle: 5 * 60_000 },
 * });
 * ```
 */
export interface ManagerOptions {
  /** Sends a gateway payload (op 4) to Discord through the shard that owns the guild. */
  send: (guildId: string, payload: unknown) => unknown;
  /** The bot's user id; may also be given to `init()`. */
  userId?: string;
  /**
   * Shard count, sent as `Num-Shards` to v3 nodes.
   * @default 1
   */
  shards?: number;
  /** Options for every socket; each node's own options are merged over these. */
  defaultSocketOptions?: SocketOptions;
  /**
   * Configure resuming after every open, so a reconnect keeps the node's players.
   * @default true
   */
  resuming?: boolean;
  /**
   * Worker threads hosting the sockets; 0 runs them on the main thread (the inline transport).
   * @default 1
   */
  workers?: number;
  /**
   * How long a worker batches `playerUpdate`/`stats` before waking the main thread, in ms;
   * 0 = at the next turn of its event loop. Track events and state changes never wait.
   * Each wake-up costs the main thread 100–250 µs in steady state (cold caches after the thread
   * slept), measured here: at 5k events/s, 10 ms spends 17 ms of main CPU a second, 25 ms 11 ms,
   * 50 ms 8 ms. Position updates arrive every few seconds, so 25 ms of delay is invisible. Right
   * after a stall (the main thread behind for 100 ms or more) they go at once for one window.
   * @default 25
   */
  flushWindowMs?: number;
  /**
   * Sent as `Client-Name`.
   * @default 'lavathread/<version>'
   */
  clientName?: string;
  /**
   * Milliseconds a REST call to a node may take.
   * @default 10000
   */
  restTimeout?: number;
  /**
   * Milliseconds a command or REST call waits for a node to be ready (before `init()`, while its
   * node reconnects, while every node is down) before it rejects with `LAVALINK_NO_NODE`. A
   * command that a node has taken is bounded by `restTimeout` and its delivery tries instead.
   * @default 10000
   * @example { readyTimeout: 30_000 } // ride out longer outages, keep command handlers waiting
   */
  readyTimeout?: number;
  /**
   * Milliseconds `player.connect()` waits for Discord's two voice events and for the node to take
   * the credentials before it rejects with `LAVALINK_VOICE_TIMEOUT` (and leaves the channel).
   * @default 15000
   */
  voiceTimeout?: number;
  /**
   * Keeps session ids and player snapshots so a restarted process takes its sessions back.
   * @example { sessionStore: new FileSessionStore('./lavalink-sessions.json') }
   */
  sessionStore?: SessionStore;
  /**
   * Chooses the node of each new player and of each player that fails over (see NodeResolver);
   * by default the least loaded ready node.
   * @example { nodeResolver: ({ guildId }, candidates) => candidates.find((s) => s.id === nodeOfShard(guildId)) }
   */
  nodeResolver?: NodeResolver;
  /**
   * Players destroyed without the bot asking (each with `playerDestroy` and its reason):
   * `voiceLost` when Discord reports the bot out of the voice channel (kicked, the channel
   * deleted; not after the bot's own `disconnect()`), `nodeGone` when no node could take a player
   * back after its node was lost (instead of leaving it stopped), `idle` (ms) when a player had no
   * track that long (since it was made or its last track ended, so leave time to join and play;
   * paused counts as playing). All off by default.
   * @example { autoDestroy: { voiceLost: true, idle: 5 * 60_000 } }
   */
  autoDestroy?: {
    /** Destroy a player when Discord takes the bot out of its voice channel. */
    voiceLost?: boolean;
    /** Destroy a player that no node could take back after its node was lost. */
    nodeGone?: boolean;
    /** Destroy a player that has had no track for this many ms; null or absent: never. */
    idle?: number | null;
  };
  /**
   * Called once each time a player's queue runs dry (its last track ended with `mayStartNext`):
   * the tracks it answers are queued and play; with none, the bot hears `queueEnd`. Only for
   * players whose `queue` the bot used.
   * @example
   * autoplay: async (player, last) => {
   *   const found = last && (await player.manager.search(`${last.info.author} mix`));
   *   return found?.loadType === 'search' ? found.tracks.slice(0, 5) : null;
   * }
   */
  autoplay?: AutoplayHook;
  /**
   * The module that hosts sockets: a worker entry whose default export runs one socket task, as
   * `lavathread/worker` does (the default). With `workers: 0` it is imported on the main thread.
   * For instrumented hosts, such as `testWorker` from `lavathread/testing`.
   * @example { workerFile: testWorker } // crashWorker() and friends in a bot's own tests
   */
  workerFile?: string | URL;
}

export interface ResolvedManagerOptions {
  readonly send: ManagerOptions['send'];
  readonly userId: string | undefined;
  readonly shards: number;
  readonly defaultSocketOptions: SocketOptions | undefined;
  readonly resuming: boolean;
  readonly workers: number;
  readonly flushWindowMs: number;
  readonly clientName: string;
  readonly restTimeout: number;
  readonly readyTimeout: number;
  readonly voiceTimeout: number;
  readonly sessionStore: SessionStore | null;
  readonly nodeResolver: NodeResolver | null;
  readonly autoDestroy: { readonly voiceLost: boolean; readonly nodeGone: boolean; readonly idle: number | null };
  readonly autoplay: AutoplayHook | null;
  /** A file URL; null = the built-in host. */
  readonly workerFile: string | null;
}

export function resolveManagerOptions(options: unknown): ResolvedManagerOptions {
  check(typeof options === 'object' && options !== null && !Array.isArray(options), 'options', 'an object', options);
  const o = options as Record<string, unknown>;
  check(typeof o.send === 'function', 'options.send', 'a function (guildId, payload) that sends to Discord', o.send);
  if (o.userId !== undefined) check(typeof o.userId === 'string' && /^\d{1,20}$/.test(o.userId), 'options.userId', 'a user id (a string of digits)', o.userId);
  if (o.shards !== undefined) check(isInt(o.shards) && (o.shards) >= 1, 'options.shards', 'an integer of at least 1', o.shards);
  if (o.resuming !== undefined) check(typeof o.resuming === 'boolean', 'options.resuming', 'a boolean', o.resuming);
  if (o.workers !== undefined) check(isInt(o.workers) && (o.workers) >= 0 && (o.workers) <= 64, 'options.workers', 'an integer from 0 to 64', o.workers);
  if (o.flushWindowMs !== undefined) check(isInt(o.flushWindowMs) && (o.flushWindowMs) >= 0 && (o.flushWindowMs) <= 1000, 'options.flushWindowMs', 'an integer of milliseconds from 0 to 1000', o.flushWindowMs);
  if (o.clientName !== undefined) check(typeof o.clientName === 'string' && /^\S+$/.test(o.clientName), 'options.clientName', 'a NAME/VERSION string without spaces', o.clientName);
  if (o.restTimeout !== undefined) check(isInt(o.restTimeout) && (o.restTimeout) >= 1, 'options.restTimeout', 'an integer of milliseconds of at least 1', o.restTimeout);
  if (o.readyTimeout !== undefined) check(isInt(o.readyTimeout) && (o.readyTimeout) >= 1 && (o.readyTimeout) <= MAX_TIMER_MS, 'options.readyTimeout', 'an integer of milliseconds from 1 to 2147483647', o.readyTimeout);
  if (o.voiceTimeout !== undefined) check(isInt(o.voiceTimeout) && (o.voiceTimeout) >= 1 && (o.voiceTimeout) <= MAX_TIMER_MS, 'options.voiceTimeout', 'an integer of milliseconds from 1 to 2147483647', o.voiceTimeout);
  if (o.sessionStore !== undefined) {
    const store: unknown = o.sessionStore;
    const has = (name: string): boolean => typeof store === 'object' && store !== null && typeof (store as Record<string, unknown>)[name] === 'function';
    check(has('load') && has('save'), 'options.sessionStore', 'a SessionStore (load() and save())', store);
  }
  if (o.nodeResolver !== undefined) check(typeof o.nodeResolver === 'function', 'options.nodeResolver', 'a function (request, candidates) answering a Socket', o.nodeResolver);
  if (o.autoDestroy !== undefined) {
    const a = o.autoDestroy as Record<string, unknown>;
    check(typeof a === 'object' && a !== null && !Array.isArray(a), 'options.autoDestroy', 'an object ({ voiceLost?, nodeGone?, idle? })', a);
    for (const key of ['voiceLost', 'nodeGone']) if (a[key] !== undefined) check(typeof a[key] === 'boolean', `options.autoDestroy.${key}`, 'a boolean', a[key]);
    if (a.idle !== undefined && a.idle !== null) check(isInt(a.idle) && a.idle >= 1 && a.idle <= MAX_TIMER_MS, 'options.autoDestroy.idle', `milliseconds, from 1 to ${MAX_TIMER_MS}`, a.idle);
  }
  if (o.autoplay !== undefined && o.autoplay !== null) check(typeof o.autoplay === 'function', 'options.autoplay', 'a function (player, lastTrack) answering tracks', o.autoplay);
  if (o.workerFile !== undefined) check(o.workerFile instanceof URL || (typeof o.workerFile === 'string' && o.workerFile !== ''), 'options.workerFile', 'a module path or file URL', o.workerFile);
  const defaults = validateSocketOptions(o.defaultSocketOptions, 'options.defaultSocketOptions');
  resolveSocketOptions(defaults, undefined, 'options.defaultSocketOptions');
  return {
    send: o.send as ManagerOptions['send'],
    userId: o.userId as string | undefined,
    shards: (o.shards as number | undefined) ?? 1,
    defaultSocketOptions: defaults,
    resuming: (o.resuming as boolean | undefined) ?? true,
    workers: (o.workers as number | undefined) ?? 1,
    flushWindowMs: (o.flushWindowMs as number | undefined) ?? 25,
    clientName: (o.clientName as string | undefined) ?? CLIENT_NAME,
    restTimeout: (o.restTimeout as number | undefined) ?? 10_000,
    readyTimeout: (o.readyTimeout as number | undefined) ?? 10_000,
    voiceTimeout: (o.voiceTimeout as number | undefined) ?? 15_000,
    sessionStore: (o.sessionStore as SessionStore | undefined) ?? null,
    nodeResolver: (o.nodeResolver as NodeResolver | undefined) ?? null,
    autoDestroy: {
      voiceLost: (o.autoDestroy as { voiceLost?: boolean } | undefined)?.voiceLost ?? false,
      nodeGone: (o.autoDestroy as { nodeGone?: boolean } | undefined)?.nodeGone ?? false,
      idle: (o.autoDestroy as { idle?: number | null } | undefined)?.idle ?? null,
    },
    autoplay: (o.autoplay as AutoplayHook | null | undefined) ?? null,
    workerFile: o.workerFile === undefined ? null : o.workerFile instanceof URL ? o.workerFile.href : /^[a-z][a-z0-9+.-]*:/i.test(o.workerFile as string) ? (o.workerFile as string) : pathToFileURL(o.workerFile as string).href,
  };
}
