/**
 * Which TCP connection a request, handshake or frame came on: an id the simulator counts up, and
 * the client's address. Tests tell clients apart with it (two bot processes taking turns on one
 * session: whose commands came when).
 */
import type { Socket } from 'node:net';

/** The TCP connection a request, handshake or frame came on. */
export interface ClientConnection {
  /** Counted from 1 per simulator process, in the order connections were first seen. */
  readonly id: number;
  /** The client's `address:port`. */
  readonly remote: string;
}

const seen = new WeakMap<Socket, ClientConnection>();
let next = 0;

export function connectionOf(socket: Socket): ClientConnection {
  let connection = seen.get(socket);
  if (!connection) {
    connection = { id: ++next, remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}` };
    seen.set(socket, connection);
  }
  return connection;
}
