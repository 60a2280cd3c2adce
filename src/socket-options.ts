/**
 * A node's data and options: their types, defaults and validation. A node's own options are
 * merged over the manager's defaults, which are merged over the library's (never replaced).
 */
import { InvalidOptionError } from './errors.js';
import type { ResolvedManagerOptions } from './options.js';

/** A Lavalink node to connect to. */
export interface SocketData {
  /** The node's identifier; also the key in `manager.sockets`. */
  id: string;
  /** The node's host name or IP address. */
  host: string;
  /** The node's port (Lavalink's default is 2333). */
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
   * The node's protocol version; `'auto'` asks `GET /v4/info` once and speaks v3 when that route is missing.
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

/**
 * How a socket reconnects, resumes and detects a dead connection. Give them per node (`SocketData.options`) or for all (`ManagerOptions.defaultSocketOptions`).
 *
 * @example
 * ```ts
 * new Manager(nodes, { send, defaultSocketOptions: { maxTries: -1, resumeTimeout: 120 } });
 * ```
 */
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

/** The options a socket runs with: every option filled in, node over manager over library defaults. */
export type ResolvedSocketOptions = Required<Omit<SocketOptions, 'resumeKey'>> & {
  /** The v3 resume key in use; null before one is made. */
  resumeKey: string | null;
};

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

/** The host's copy of a node's settings: its data, its resolved options, the manager's. */
export function socketConfig(data: SocketData, options: ResolvedSocketOptions, manager: ResolvedManagerOptions): SocketConfig {
  const { shards, clientName, resuming, restTimeout, readyTimeout } = manager;
  return { ...options, id: data.id, host: data.host, port: Number(data.port), password: data.password, secure: data.secure ?? false, ca: data.ca ?? null, version: data.version ?? 'auto', shards, clientName, resuming, restTimeout, readyTimeout };
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

/** The longest a Node.js timer waits. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

export function check(ok: boolean, name: string, expected: string, value: unknown): void {
  if (!ok) throw new InvalidOptionError(name, expected, value);
}

export function validateSocketOptions(options: unknown, path: string): SocketOptions {
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
