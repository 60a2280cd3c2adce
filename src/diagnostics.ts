/**
 * Diagnostics on `node:diagnostics_channel`, as undici publishes its own: a tool subscribes to
 * the channels it wants, and nothing is built for a channel nobody listens to. The Manager's
 * `debug` event is a convenience subscriber: it subscribes while it has listeners.
 *
 * @example
 * import diagnostics_channel from 'node:diagnostics_channel';
 * diagnostics_channel.subscribe('lavathread:debug', ({ socketId, message }) => log.debug({ socketId }, message));
 */
import diagnostics_channel from 'node:diagnostics_channel';
import type { EventEmitter } from 'node:events';
import type { Socket } from './socket.js';
import type { Player } from './player.js';
import { ErrorCode, type LavalinkError } from './errors.js';
import type { ManagerEvents } from './events.js';
import type { RestCall } from './ipc/events.js';
import type { CloseDecision } from './protocol/close-codes.js';

/** A debug line: `socketId` is the node's id, or null for the manager's own. */
export interface DebugMessage {
  /** The Manager that wrote the line. */
  readonly manager: object;
  /** The node's id; null for the manager's own lines. */
  readonly socketId: string | null;
  /** The line. */
  readonly message: string;
}

/** A node's session and connection changes. */
export interface SocketStateMessage {
  /** The Manager of the socket. */
  readonly manager: object;
  /** The socket. */
  readonly socket: Socket;
  /** `ready`: a new session; `resumed`: the old one kept; `closed`: the connection dropped (a reconnect follows); `gone`: tries ran out; `stopped`: it will not reconnect (a refused password, or closed). */
  readonly state: 'ready' | 'resumed' | 'closed' | 'gone' | 'stopped';
  /** The close code (closed), or the error that made the socket give up (gone, stopped). */
  readonly code: number | null;
  /** The error, for `gone` and `stopped`; otherwise null. */
  readonly error: LavalinkError | null;
}

/** A connection was lost and the socket reconnects: `decision` says how (close-codes). */
export interface SocketReconnectMessage {
  /** The Manager the socket belongs to. */
  readonly manager: object;
  /** The socket that lost its connection. */
  readonly socket: Socket;
  /** The WebSocket close code (1006 for a connection that broke without a close frame). */
  readonly code: number;
  /** `resume`: the node keeps the session, reconnect at once; `retry`: reconnect with backoff; `failover`: the node lost our players, they move. */
  readonly decision: Exclude<CloseDecision, 'giveUp'>;
}

/** A player moved to another node because its own could not keep it. */
export interface FailoverMessage {
  /** The Manager the player belongs to. */
  readonly manager: object;
  /** The player that moved. */
  readonly player: Player;
  /** The node that could not keep it. */
  readonly from: Socket;
  /** The node that took it. */
  readonly to: Socket;
}

/**
 * A REST call to a node ended. `route` is the path's template (`/v4/sessions/:sessionId/players/:guildId`):
 * no ids, no query, never the password.
 */
export interface RestMessage extends RestCall {
  /** The Manager whose socket made the call. */
  readonly manager: object;
  /** The id of the node called. */
  readonly socketId: string;
}

/** A batch of events reached the main thread from a host (a worker thread, or the inline host). */
export interface BatchMessage {
  /** The Manager that received it. */
  readonly manager: object;
  /** Events in it, each playerUpdate of a columnar run counted. */
  readonly events: number;
  /** Its size as it crossed from the host, bytes. */
  readonly bytes: number;
}

/** The channels, by name: `lavathread:debug`, `lavathread:socket:state`, `lavathread:socket:reconnect`, `lavathread:failover`, `lavathread:rest`, `lavathread:batch`. */
export const channels = {
  debug: diagnostics_channel.channel('lavathread:debug'),
  socketState: diagnostics_channel.channel('lavathread:socket:state'),
  reconnect: diagnostics_channel.channel('lavathread:socket:reconnect'),
  failover: diagnostics_channel.channel('lavathread:failover'),
  rest: diagnostics_channel.channel('lavathread:rest'),
  batch: diagnostics_channel.channel('lavathread:batch'),
} as const;

export function publishDebug(manager: object, socketId: string | null, message: string): void {
  if (channels.debug.hasSubscribers) channels.debug.publish({ manager, socketId, message } satisfies DebugMessage);
}

export function publishSocketState(manager: object, socket: Socket, state: SocketStateMessage['state'], code: number | null = null, error: LavalinkError | null = null): void {
  if (channels.socketState.hasSubscribers) channels.socketState.publish({ manager, socket, state, code, error } satisfies SocketStateMessage);
}

export function publishReconnect(manager: object, socket: Socket, code: number, decision: SocketReconnectMessage['decision']): void {
  if (channels.reconnect.hasSubscribers) channels.reconnect.publish({ manager, socket, code, decision } satisfies SocketReconnectMessage);
}

export function publishFailover(manager: object, player: Player, from: Socket, to: Socket): void {
  if (channels.failover.hasSubscribers) channels.failover.publish({ manager, player, from, to } satisfies FailoverMessage);
}

export function publishRest(manager: object, socketId: string, call: RestCall): void {
  if (channels.rest.hasSubscribers) channels.rest.publish({ manager, socketId, method: call.method, route: call.route, status: call.status, durationMs: call.durationMs, code: call.code } satisfies RestMessage);
}

export function publishBatch(manager: object, events: number, bytes: number): void {
  if (channels.batch.hasSubscribers) channels.batch.publish({ manager, events, bytes } satisfies BatchMessage);
}

/**
 * Emits `debug` on `emitter` for its own lines while it has `debug` listeners (subscribed when
 * the first comes, unsubscribed when the last goes or `stop()` is called).
 */
export function debugSubscriber(emitter: { on(event: 'newListener' | 'removeListener', listener: (name: string | symbol) => void): unknown; listenerCount(name: 'debug'): number; emit(name: 'debug', line: string): boolean }): { stop(): void } {
  let subscribed = false;
  const onMessage = (value: unknown): void => {
    const message = value as DebugMessage;
    if (message.manager === emitter) emitter.emit('debug', message.socketId === null ? `[manager] ${message.message}` : `[socket ${message.socketId}] ${message.message}`);
  };
  const set = (wanted: boolean): void => {
    if (wanted === subscribed) return;
    subscribed = wanted;
    if (wanted) channels.debug.subscribe(onMessage);
    else channels.debug.unsubscribe(onMessage);
  };
  // `newListener` comes before the listener is added: the first one subscribes at once.
  emitter.on('newListener', (name) => name === 'debug' && set(true));
  emitter.on('removeListener', (name) => name === 'debug' && set(emitter.listenerCount('debug') > 0));
  return {
    stop: () => set(false),
  };
}

/** Sockets whose refused password was already shown as a process warning. */
const warnedAuth = new WeakSet<Socket>();

/**
 * Emits `socketError`. A refused password is also shown once as a process warning when nobody
 * listens: a bot that listens to nothing must still learn why its node never comes up.
 */
export function emitSocketError(emitter: EventEmitter<ManagerEvents>, socket: Socket, error: LavalinkError): void {
  if (error.code === ErrorCode.AuthFailed && !warnedAuth.has(socket) && emitter.listenerCount('socketError') === 0) {
    warnedAuth.add(socket);
    process.emitWarning(error.message, { code: error.code });
  }
  emitter.emit('socketError', socket, error);
}
