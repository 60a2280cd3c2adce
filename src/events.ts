/** The Manager's events, as labeled tuples. */
import type { LavalinkError } from './errors.js';
import type { LavalinkMessage } from './protocol/messages.js';
import type { Socket } from './socket.js';

export interface ManagerEvents {
  /** A socket opened a new session and can take ops. */
  socketReady: [socket: Socket];
  /** A socket reconnected and the node resumed its session: players kept playing. */
  socketResumed: [socket: Socket];
  socketError: [socket: Socket, error: LavalinkError];
  /** The WebSocket closed; a reconnect follows unless the socket is finished. */
  socketClose: [socket: Socket, code: number, reason: string];
  /** Reconnect tries ran out: the socket has left `manager.sockets`. */
  socketDisconnect: [socket: Socket];
  /** Every frame a node sent, decoded, after the socket's own handling. */
  raw: [socket: Socket, message: LavalinkMessage];
  debug: [message: string];
}
