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
import type { Socket } from './socket.js';
import type { LavalinkError } from './errors.js';

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

export const channels = {
  debug: diagnostics_channel.channel('lavathread:debug'),
  socketState: diagnostics_channel.channel('lavathread:socket:state'),
} as const;

export function publishDebug(manager: object, socketId: string | null, message: string): void {
  if (channels.debug.hasSubscribers) channels.debug.publish({ manager, socketId, message } satisfies DebugMessage);
}

export function publishSocketState(manager: object, socket: Socket, state: SocketStateMessage['state'], code: number | null = null, error: LavalinkError | null = null): void {
  if (channels.socketState.hasSubscribers) channels.socketState.publish({ manager, socket, state, code, error } satisfies SocketStateMessage);
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
