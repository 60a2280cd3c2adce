/**
 * The WebSocket of one attempt to reach a node (the seed's protected `ws`): opened with the
 * adapter's path and headers, what happens to it told to the connection in the connection's
 * terms (text frames, a refused handshake, typed errors). One of these per attempt; the connection
 * ignores one it has replaced.
 */
import WebSocket, { type RawData } from 'ws';
import { ErrorCode, LavalinkError, SocketClosedError } from '../errors.js';

/** What happens to the socket, in the order ws reports it. */
export interface WsAttemptEvents {
  /** The node answered the handshake with `status` instead of upgrading (the socket is then ended). */
  refused(status: number): void;
  open(): void;
  /** A frame's bytes (a binary frame's too, which no Lavalink sends). */
  message(frame: Buffer, binary: boolean): void;
  pong(payload: string): void;
  /** Only reported: the `close` that always follows drives what comes next. */
  error(error: LavalinkError): void;
  close(code: number, reason: string): void;
}

export interface WsAttemptOptions {
  readonly headers: Record<string, string>;
  /** ms the opening handshake may take. */
  readonly handshakeTimeout: number;
  /** Frames over this many bytes end the connection (ws closes with 1009). */
  readonly maxFrameBytes: number;
  /** PEM certificates to trust (wss). */
  readonly ca: string | null;
}

/** How long a close waits for the peer's close frame before the connection is cut. */
const CLOSE_CUTOFF_MS = 2000;

export class WsAttempt {
  readonly #ws: WebSocket;
  /** The code it closed with; null while it has not. */
  closeCode: number | null = null;
  /** The node's `Session-Resumed` header on the handshake: it took the session back. */
  resumed = false;
  /** A frame came on it: the node took the connection (close-codes.ts). */
  heard = false;

  /** Throws at once when ws refuses the URL or the headers. */
  constructor(url: string, options: WsAttemptOptions, events: WsAttemptEvents) {
    const ws = new WebSocket(url, {
      headers: options.headers,
      handshakeTimeout: options.handshakeTimeout,
      maxPayload: options.maxFrameBytes,
      ...(options.ca ? { ca: options.ca } : {}),
      perMessageDeflate: false,
    });
    this.#ws = ws;
    ws.on('upgrade', (response) => (this.resumed = response.headers['session-resumed'] === 'true'));
    ws.on('unexpected-response', (request, response) => {
      request.destroy();
      events.refused(response.statusCode ?? 0);
    });
    ws.on('open', () => events.open());
    ws.on('message', (data, binary) => {
      this.heard = true;
      events.message(rawBytes(data), binary);
    });
    ws.on('pong', (data) => events.pong(data.toString('latin1')));
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes with 1009 after this one.
      const tooBig = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      events.error(tooBig ? new LavalinkError(ErrorCode.BadFrame, `The node sent a frame over maxFrameBytes (${options.maxFrameBytes})`) : new LavalinkError(ErrorCode.Connection, error.message));
    });
    ws.on('close', (code, reason) => {
      this.closeCode = code;
      events.close(code, reason.toString());
    });
  }

  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  get isClosed(): boolean {
    return this.#ws.readyState === WebSocket.CLOSED;
  }

  /** Sends a ping carrying `payload`; false when the socket is not open. */
  ping(payload: string): boolean {
    if (!this.isOpen) return false;
    this.#ws.ping(payload);
    return true;
  }

  /** Writes a text frame; resolves once written, rejects with SocketClosedError when it cannot be. */
  write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(new SocketClosedError('The WebSocket is not open', this.closeCode));
      this.#ws.send(text, (error) => (error ? reject(new SocketClosedError(`The frame was not written: ${error.message}`, this.closeCode)) : resolve()));
    });
  }

  /** Ends it without a close handshake (a dead peer, a refused handshake). */
  terminate(): void {
    this.#ws.terminate();
  }

  /** Closes it with `code`; resolves once closed. A peer that never answers the close frame is cut off. */
  async shutDown(code: number, reason: string): Promise<void> {
    if (this.isClosed) return;
    const closed = new Promise<void>((resolve) => this.#ws.once('close', () => resolve()));
    if (this.isOpen) this.#ws.close(code, reason);
    else this.#ws.terminate();
    const cutoff = setTimeout(() => this.#ws.terminate(), CLOSE_CUTOFF_MS);
    await closed;
    clearTimeout(cutoff);
  }
}

function rawBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
