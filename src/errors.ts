/**
 * Every error lavathread throws or rejects with is a {@link LavalinkError}: a stable `code` to
 * branch on, and a message meant for people. Subclasses add the fields their failure needs.
 */

/** Stable error codes. Branch on these, never on messages. */
export const ErrorCode = {
  /** An encoded track is not valid base64. */
  TrackBadBase64: 'LAVALINK_TRACK_BAD_BASE64',
  /** An encoded track ends before the field being read. */
  TrackTruncated: 'LAVALINK_TRACK_TRUNCATED',
  /** The size in an encoded track's header disagrees with its length. */
  TrackBadSize: 'LAVALINK_TRACK_BAD_SIZE',
  /** An encoded track names a message version this codec does not know. */
  TrackUnknownVersion: 'LAVALINK_TRACK_UNKNOWN_VERSION',
  /** A string in an encoded track is not valid modified UTF-8. */
  TrackBadString: 'LAVALINK_TRACK_BAD_STRING',
  /** A track cannot be encoded (a field is missing, out of range or too long). */
  TrackUnencodable: 'LAVALINK_TRACK_UNENCODABLE',
  /** An option or argument has the wrong type or value. */
  InvalidOption: 'LAVALINK_INVALID_OPTION',
  /** The node answered a REST call with an error status (or an unreadable body). */
  RestError: 'LAVALINK_REST_ERROR',
  /** A call took longer than its limit (REST timeout, an unanswered thread call). */
  Timeout: 'LAVALINK_TIMEOUT',
  /** The socket is closed for good, or closed before an op could be written. */
  SocketClosed: 'LAVALINK_SOCKET_CLOSED',
  /** The worker thread hosting the socket died while a call was pending. */
  WorkerExited: 'LAVALINK_WORKER_EXITED',
  /** The manager was closed. */
  ManagerClosed: 'LAVALINK_MANAGER_CLOSED',
  /** A frame from the node could not be read (not JSON, not an object, no `op`). */
  BadFrame: 'LAVALINK_BAD_FRAME',
  /** An op cannot be sent (unknown op, missing field). */
  BadOp: 'LAVALINK_BAD_OP',
  /** The WebSocket failed (handshake refused, network error). */
  Connection: 'LAVALINK_CONNECTION_ERROR',
  /** The node refused the password (401/403). Not retried: fix the configuration. */
  AuthFailed: 'LAVALINK_AUTH_FAILED',
  /** No node was ready within `readyTimeout` to take a command or REST call. */
  NoNode: 'LAVALINK_NO_NODE',
  /** `player.connect()` did not get the voice credentials to the node within `voiceTimeout`. */
  VoiceTimeout: 'LAVALINK_VOICE_TIMEOUT',
  /** A pending `player.connect()` was overtaken by another connect, a disconnect or a destroy. */
  VoiceCancelled: 'LAVALINK_VOICE_CANCELLED',
  /** The node lacks the Lavalink plugin a call needs (its `/v4/info` plugin list), or speaks v3. Nothing was sent. */
  PluginMissing: 'LAVALINK_PLUGIN_MISSING',
  /** Another live process holds the session store's lease for this cluster id (it was not freed in time). */
  StoreLeased: 'LAVALINK_STORE_LEASED',
  /** The session store (Redis) did not answer in time when it had to: at start, before any session was taken. */
  StoreUnreachable: 'LAVALINK_STORE_UNREACHABLE',
  /** The lease was lost while running (another process holds it now): this process no longer writes the store. */
  StoreLeaseLost: 'LAVALINK_STORE_LEASE_LOST',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Base class of every lavathread error. Branch on `code` (an {@link ErrorCode}), or on the
 * subclass; both survive the trip from the worker thread.
 *
 * @example
 * ```ts
 * import { ErrorCode, LavalinkError, RestError } from 'lavathread';
 *
 * try {
 *   await player.play(track);
 * } catch (error) {
 *   if (error instanceof RestError) console.warn(`node answered ${error.status} to ${error.method} ${error.path}`);
 *   else if (error instanceof LavalinkError && error.code === ErrorCode.NoNode) return reply('No music node is up right now.');
 *   else throw error;
 * }
 * ```
 */
export class LavalinkError extends Error {
  /** Stable, documented code; see {@link ErrorCode}. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The node answered a REST call with an error. */
export class RestError extends LavalinkError {
  constructor(
    message: string,
    /** HTTP status; 0 when no answer came (network failure). */
    readonly status: number,
    /** The request's HTTP method. */
    readonly method: string,
    /** The request's path (with its query), as sent to the node. */
    readonly path: string,
    /** The parsed error body (Lavalink's `{timestamp, status, error, message, path}`), or its text. */
    readonly body: unknown,
  ) {
    super(ErrorCode.RestError, message);
  }
}

/** The WebSocket closed (or never opened) before something could happen. */
export class SocketClosedError extends LavalinkError {
  constructor(
    message: string,
    /** The WebSocket close code, when there was one. */
    readonly closeCode: number | null = null,
  ) {
    super(ErrorCode.SocketClosed, message);
  }
}

/** The worker thread died; the call may or may not have taken effect. */
export class WorkerExitedError extends LavalinkError {
  constructor(message = 'The worker thread hosting this socket exited') {
    super(ErrorCode.WorkerExited, message);
  }
}

/** The node refused the password. The socket stops trying; the password is never shown. */
export class AuthFailedError extends LavalinkError {
  constructor(
    /** The node's id. */
    readonly node: string,
    /** The HTTP status the node answered (401 or 403). */
    readonly status: number,
  ) {
    super(ErrorCode.AuthFailed, `Node ${node} refused the password (HTTP ${status}); it will not be tried again`);
  }
}

/** No node could take a command or REST call in time. */
export class NoNodeError extends LavalinkError {
  constructor(
    message: string,
    /** Whether the op may have reached a node before it gave up (then its effect is unknown). */
    readonly sent = false,
  ) {
    super(ErrorCode.NoNode, message);
  }
}

/** A call did not finish in time. */
export class TimeoutError extends LavalinkError {
  constructor(message: string) {
    super(ErrorCode.Timeout, message);
  }
}

/**
 * `player.connect()` gave up: Discord's voice events or the node's acceptance of them did not come
 * in time. The player was taken out of the channel again.
 */
export class VoiceTimeoutError extends LavalinkError {
  constructor(
    message: string,
    /** What had come of Discord's two voice events. */
    readonly received: {
      /** Whether VOICE_STATE_UPDATE (the voice session id) had come. */
      readonly state: boolean;
      /** Whether VOICE_SERVER_UPDATE (token and endpoint) had come. */
      readonly server: boolean;
    },
  ) {
    super(ErrorCode.VoiceTimeout, message);
  }
}

/**
 * A call needs a Lavalink plugin (LavaSrc, LavaSearch, SponsorBlock, LavaLyrics) that the node does
 * not list in `/v4/info`, or the node speaks v3, where lavathread serves no plugin routes.
 */
export class PluginMissingError extends LavalinkError {
  constructor(
    /** The plugin's name as `/v4/info` lists it (`lavasrc-plugin`). */
    readonly plugin: string,
    /** The node's id. */
    readonly node: string,
    message = `Node ${node} does not have the ${plugin} plugin (its /v4/info does not list it)`,
  ) {
    super(ErrorCode.PluginMissing, message);
  }
}

/** An encoded track (lavaplayer's base64 track message) could not be decoded or encoded. */
export class TrackCodecError extends LavalinkError {}

/**
 * The session store is owned by another live process (its lease for `cluster`), or was taken from
 * this one: `code` says which (`LAVALINK_STORE_LEASED` at start, `LAVALINK_STORE_LEASE_LOST` later).
 */
export class StoreLeasedError extends LavalinkError {
  constructor(
    code: typeof ErrorCode.StoreLeased | typeof ErrorCode.StoreLeaseLost,
    /** The cluster id whose lease another process holds. */
    readonly cluster: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** The session store did not answer within its bound (the message names its address, never its password). */
export class StoreUnreachableError extends LavalinkError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.StoreUnreachable, message, options);
  }
}


/** An option or argument is invalid. Thrown synchronously where the API is synchronous. */
export class InvalidOptionError extends LavalinkError {
  /** The option's name, as the user spelled it (`nodes[0].port`). */
  readonly option: string;

  constructor(option: string, expected: string, received: unknown) {
    super(ErrorCode.InvalidOption, `Expected \`${option}\` to be ${expected}, got ${describe(received)}`);
    this.option = option;
  }
}

/**
 * The form an error takes across the thread boundary: structured clone and msgpack both drop the
 * class and the `code`, so errors travel as plain data and are rebuilt on the other side.
 */
export interface WireError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly status?: number;
  readonly method?: string;
  readonly path?: string;
  readonly body?: unknown;
  readonly closeCode?: number | null;
  readonly node?: string;
  readonly sent?: boolean;
  readonly plugin?: string;
  readonly option?: string;
}

export function toWire(error: unknown): WireError {
  if (error instanceof RestError) {
    return { name: error.name, code: error.code, message: error.message, status: error.status, method: error.method, path: error.path, body: error.body };
  }
  if (error instanceof SocketClosedError) return { name: error.name, code: error.code, message: error.message, closeCode: error.closeCode };
  if (error instanceof NoNodeError) return { name: error.name, code: error.code, message: error.message, sent: error.sent };
  if (error instanceof AuthFailedError) return { name: error.name, code: error.code, message: error.message, node: error.node, status: error.status };
  if (error instanceof PluginMissingError) return { name: error.name, code: error.code, message: error.message, node: error.node, plugin: error.plugin };
  if (error instanceof InvalidOptionError) return { name: error.name, code: error.code, message: error.message, option: error.option };
  if (error instanceof LavalinkError) return { name: error.name, code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'LavalinkError', code: ErrorCode.Connection, message };
}

const knownCodes = new Set<string>(Object.values(ErrorCode));

export function fromWire(wire: WireError): LavalinkError {
  const code = (knownCodes.has(wire.code) ? wire.code : ErrorCode.Connection) as ErrorCode;
  switch (code) {
    case ErrorCode.RestError:
      return new RestError(wire.message, wire.status ?? 0, wire.method ?? '', wire.path ?? '', wire.body);
    case ErrorCode.SocketClosed:
      return new SocketClosedError(wire.message, wire.closeCode ?? null);
    case ErrorCode.WorkerExited:
      return new WorkerExitedError(wire.message);
    case ErrorCode.Timeout:
      return new TimeoutError(wire.message);
    case ErrorCode.AuthFailed:
      return new AuthFailedError(wire.node ?? '', wire.status ?? 0);
    case ErrorCode.NoNode:
      return new NoNodeError(wire.message, wire.sent === true);
    case ErrorCode.PluginMissing:
      return new PluginMissingError(wire.plugin ?? '', wire.node ?? '', wire.message);
    default:
      if (code.startsWith('LAVALINK_TRACK_')) return new TrackCodecError(code, wire.message);
      // The message was composed where the option was checked; the class and `option` come back.
      if (code === ErrorCode.InvalidOption) return Object.assign(new InvalidOptionError(wire.option ?? '', '', undefined), { message: wire.message });
      return new LavalinkError(code, wire.message);
  }
}

/** `1200` (number), `"x"` (string), `null`: what a validation message says it got. */
export function describe(value: unknown): string {
  try {
    return describeValue(value);
  } catch {
    // A Proxy or getter that throws when looked at: the message must still be made.
    return '`[unreadable]` (object)';
  }
}

/**
 * Whether a rejected op certainly never took effect on a node: refused by the client's own checks,
 * by the node (4xx), or expired before any node got it. Anything else may have reached it.
 */
export function neverApplied(error: unknown): boolean {
  if (!(error instanceof LavalinkError)) return false;
  if (error.code === ErrorCode.InvalidOption || error.code === ErrorCode.BadOp) return true;
  if (error instanceof RestError) return error.status >= 400 && error.status < 500;
  if (error instanceof NoNodeError) return !error.sent;
  return false;
}

/**
 * Reads a caller's argument: a getter or Proxy that throws while read is the caller's error
 * (InvalidOptionError naming the argument), never an exception of ours.
 */
export function readArgument<T>(name: string, expected: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof LavalinkError) throw error;
    throw new InvalidOptionError(name, expected, '[unreadable: reading it threw]');
  }
}

function describeValue(value: unknown): string {
  if (value === null) return '`null`';
  if (value === undefined) return '`undefined`';
  const type = Array.isArray(value) ? 'array' : typeof value;
  let shown: string;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') shown = String(value);
  else if (typeof value === 'symbol') shown = value.toString();
  else if (typeof value === 'function') shown = `[function ${value.name || 'anonymous'}]`;
  else {
    try {
      // A node object may carry its password: never print it.
      shown = JSON.stringify(value, (key, v: unknown) => (/^(password|authorization)$/i.test(key) ? '[hidden]' : v)) ?? type;
    } catch {
      shown = Object.prototype.toString.call(value);
    }
  }
  if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  return `\`${shown}\` (${type})`;
}
