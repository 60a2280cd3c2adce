/**
 * Options of the Manager and its sockets: their types, defaults and validation. Per-node options
 * are merged over the manager's defaults, which are merged over the library's (never replaced).
 */
import { pathToFileURL } from 'node:url';
import { CLIENT_NAME } from './constants.js';
import { InvalidOptionError } from './errors.js';
import type { Player } from './player.js';
import type { SessionStore } from './session-store/session-store.js';
import type { Socket } from './socket.js';

/** What a player needs a node for: a new player, or one whose node cannot keep it. */
export interface NodeRequest {
  readonly guildId: string;
  /** The voice region the player was created for (`manager.create(guild, { region })`), or null. */
  readonly region: string | null;
  /** The player moving (failover); null for one being created. */
  readonly player: Player | null;
  readonly reason: 'create' | 'failover';
}

/**
 * Picks the node for a player from `candidates`: the ready nodes, those serving the request's
 * region first, each group least loaded first (by penalties and the players placed on each).
 * Answer one of them; anything else (undefined, a node not in the list, a throw) means the first.
 */
export type NodeResolver = (request: NodeRequest, candidates: readonly Socket[]) => Socket | null | undefined;

/** A Lavalink node to connect to. */
export interface SocketData {
  /** The node's identifier; also the key in `manager.sockets`. */
  id: string;
  host: string;
  port: number | string;
  /** Sent only as the `Authorization` header. */
  password: string;
  /**
   * Use `wss://` and `https://`.
   * @default false
   */
  secure?: boolean;
  /**
   * Certificate authorities (PEM) to trust for `secure` connections, for a node with a private or
   * self-signed certificate. Left out, the system's trusted CAs apply.
   */
  ca?: string;
  /**
   * The node's protocol version; `'auto'` asks `GET /version` once.
   * @default 'auto'
   * @example { version: 4 }
   */
  version?: 3 | 4 | 'auto';
  /**
   * Discord voice regions this node serves well (`'us-east'`, `'rotterdam'`: a voice channel's
   * `rtcRegion`). A player created with a region goes to one of these nodes first.
   */
  regions?: readonly string[];
  /** Options for this node only, merged over `ManagerOptions.defaultSocketOptions`. */
  options?: SocketOptions;
}

export interface SocketOptions {
  /**
   * First delay before a reconnect, in ms; later delays grow exponentially (full jitter).
   * @default 1000
   */
  retryDelay?: number;
  /**
   * Upper bound of a reconnect delay, in ms.
   * @default 30000
   */
  maxRetryDelay?: number;
  /**
   * Reconnect attempts before the node is given up (`socketDisconnect`); -1 = never give up.
   * @default 5
   * @example { maxTries: -1 }
   */
  maxTries?: number;
  /**
   * The v3 resume key; a random one is made (once per socket) when left out.
   */
  resumeKey?: string;
  /**
   * How long the node keeps a session for us after a disconnect, in SECONDS (as on the wire).
   * @default 60
   */
  resumeTimeout?: number;
  /**
   * Milliseconds between WebSocket pings (also measures `socket.ping`).
   * @default 10000
   */
  pingInterval?: number;
  /**
   * A connection that has heard nothing for this many ms is dead (half-open) and is replaced.
   * @default 30000
   */
  deadAfter?: number;
  /**
   * The largest frame accepted from a node, in bytes; a bigger one closes the connection (1009),
   * reports LAVALINK_BAD_FRAME, and a reconnect follows.
   * @default 67108864 (64 MiB)
   */
  maxFrameBytes?: number;
}

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
   * back after its node was lost (instead of leaving it stopped). Both off by default.
   */
  autoDestroy?: { voiceLost?: boolean; nodeGone?: boolean };
  /**
   * The module that hosts sockets: a worker entry whose default export runs one socket task, as
   * `lavathread/worker` does (the default). With `workers: 0` it is imported on the main thread.
   * For instrumented hosts, such as `testWorker` from `lavathread/testing`.
   * @example { workerFile: testWorker } // crashWorker() and friends in a bot's own tests
   */
  workerFile?: string | URL;
}

export type ResolvedSocketOptions = Required<Omit<SocketOptions, 'resumeKey'>> & { resumeKey: string | null };

/** What a host needs to run one socket: plain data, so it crosses the thread boundary. */
export interface SocketConfig extends ResolvedSocketOptions {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly password: string;
  readonly secure: boolean;
  readonly ca: string | null;
  readonly version: 3 | 4 | 'auto';
  readonly shards: number;
  readonly clientName: string;
  readonly resuming: boolean;
  readonly restTimeout: number;
  readonly readyTimeout: number;
}

export const defaultSocketOptions: Readonly<ResolvedSocketOptions> = {
  retryDelay: 1000,
  maxRetryDelay: 30_000,
  maxTries: 5,
  resumeKey: null,
  resumeTimeout: 60,
  pingInterval: 10_000,
  deadAfter: 30_000,
  maxFrameBytes: 64 * 1024 * 1024,
};

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

function check(ok: boolean, name: string, expected: string, value: unknown): void {
  if (!ok) throw new InvalidOptionError(name, expected, value);
}

function validateSocketOptions(options: unknown, path: string): SocketOptions {
  if (options === undefined) return {};
  check(typeof options === 'object' && options !== null && !Array.isArray(options), path, 'an object', options);
  const o = options as Record<string, unknown>;
  const ms = (key: string, min: number): void => {
    if (o[key] !== undefined) check(isInt(o[key]) && (o[key]) >= min && (o[key]) <= 2 ** 31 - 1, `${path}.${key}`, `an integer of milliseconds from ${min} to 2147483647`, o[key]);
  };
  ms('retryDelay', 1);
  ms('maxRetryDelay', 0);
  ms('pingInterval', 1);
  ms('deadAfter', 1);
  if (o.maxFrameBytes !== undefined) check(isInt(o.maxFrameBytes) && (o.maxFrameBytes) >= 1024, `${path}.maxFrameBytes`, 'a whole number of bytes, at least 1024', o.maxFrameBytes);
  if (o.maxTries !== undefined) check(isInt(o.maxTries) && (o.maxTries) >= -1, `${path}.maxTries`, 'an integer of at least -1 (-1 = forever)', o.maxTries);
  if (o.resumeTimeout !== undefined) check(isInt(o.resumeTimeout) && (o.resumeTimeout) >= 1, `${path}.resumeTimeout`, 'a whole number of seconds of at least 1', o.resumeTimeout);
  if (o.resumeKey !== undefined) check(typeof o.resumeKey === 'string' && o.resumeKey !== '', `${path}.resumeKey`, 'a non-empty string', o.resumeKey);
  return o;
}

/** Merges node options over manager defaults over library defaults, and checks the result. */
export function resolveSocketOptions(defaults: SocketOptions | undefined, own: SocketOptions | undefined, path: string): ResolvedSocketOptions {
  const merged = { ...defaultSocketOptions, ...definedOnly(defaults), ...definedOnly(own) };
  check(merged.maxRetryDelay >= merged.retryDelay, `${path}.maxRetryDelay`, `at least retryDelay (${merged.retryDelay})`, merged.maxRetryDelay);
  check(merged.deadAfter > merged.pingInterval, `${path}.deadAfter`, `more than pingInterval (${merged.pingInterval})`, merged.deadAfter);
  return merged;
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
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
  readonly autoDestroy: { readonly voiceLost: boolean; readonly nodeGone: boolean };
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
  if (o.readyTimeout !== undefined) check(isInt(o.readyTimeout) && (o.readyTimeout) >= 1 && (o.readyTimeout) <= 2 ** 31 - 1, 'options.readyTimeout', 'an integer of milliseconds from 1 to 2147483647', o.readyTimeout);
  if (o.voiceTimeout !== undefined) check(isInt(o.voiceTimeout) && (o.voiceTimeout) >= 1 && (o.voiceTimeout) <= 2 ** 31 - 1, 'options.voiceTimeout', 'an integer of milliseconds from 1 to 2147483647', o.voiceTimeout);
  if (o.sessionStore !== undefined) {
    const store: unknown = o.sessionStore;
    const has = (name: string): boolean => typeof store === 'object' && store !== null && typeof (store as Record<string, unknown>)[name] === 'function';
    check(has('load') && has('save'), 'options.sessionStore', 'a SessionStore (load() and save())', store);
  }
  if (o.nodeResolver !== undefined) check(typeof o.nodeResolver === 'function', 'options.nodeResolver', 'a function (request, candidates) answering a Socket', o.nodeResolver);
  if (o.autoDestroy !== undefined) {
    const a = o.autoDestroy as Record<string, unknown>;
    check(typeof a === 'object' && a !== null && !Array.isArray(a), 'options.autoDestroy', 'an object ({ voiceLost?, nodeGone? })', a);
    for (const key of ['voiceLost', 'nodeGone']) if (a[key] !== undefined) check(typeof a[key] === 'boolean', `options.autoDestroy.${key}`, 'a boolean', a[key]);
  }
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
    },
    workerFile: o.workerFile === undefined ? null : o.workerFile instanceof URL ? o.workerFile.href : /^[a-z][a-z0-9+.-]*:/i.test(o.workerFile as string) ? (o.workerFile as string) : pathToFileURL(o.workerFile as string).href,
  };
}

/** Checks one node's data; `path` names it in messages (`nodes[2]`). */
export function validateSocketData(data: unknown, path: string): asserts data is SocketData {
  check(typeof data === 'object' && data !== null && !Array.isArray(data), path, 'an object', data);
  const d = data as Record<string, unknown>;
  check(typeof d.id === 'string' && d.id !== '', `${path}.id`, 'a non-empty string', d.id);
  check(typeof d.host === 'string' && /^[\w.-]+$|^\[[0-9a-fA-F:.]+\]$/.test(d.host), `${path}.host`, 'a host name or address (no scheme, no path)', d.host);
  const port = typeof d.port === 'string' && /^\d+$/.test(d.port) ? Number(d.port) : d.port;
  check(isInt(port) && (port) >= 1 && (port) <= 65535, `${path}.port`, 'a port from 1 to 65535', d.port);
  // The value is never shown: a wrong password must not end up in a log through this message.
  if (typeof d.password !== 'string') throw new InvalidOptionError(`${path}.password`, 'a string', typeof d.password === 'undefined' ? undefined : '[hidden]');
  // It travels as an HTTP header: visible ASCII or Latin-1 only, no line breaks.
  if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(d.password)) throw new InvalidOptionError(`${path}.password`, 'a valid HTTP header value (no control characters, Latin-1 only)', '[hidden]');
  if (d.secure !== undefined) check(typeof d.secure === 'boolean', `${path}.secure`, 'a boolean', d.secure);
  if (d.ca !== undefined) check(typeof d.ca === 'string' && d.ca.includes('-----BEGIN CERTIFICATE-----'), `${path}.ca`, 'PEM certificates (a string)', typeof d.ca === 'string' ? '[PEM?]' : d.ca);
  if (d.version !== undefined) check(([3, 4, 'auto'] as unknown[]).includes(d.version), `${path}.version`, "3, 4 or 'auto'", d.version);
  if (d.regions !== undefined) check(Array.isArray(d.regions) && d.regions.every((r) => typeof r === 'string' && r.trim() !== ''), `${path}.regions`, 'an array of region names', d.regions);
  validateSocketOptions(d.options, `${path}.options`);
}
