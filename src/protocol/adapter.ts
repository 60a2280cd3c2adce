/**
 * One adapter per protocol version, with the same shape (undici's h1/h2 pattern): nothing outside
 * protocol/ asks which version a node speaks. Where the versions differ, the adapter says how
 * (a field, a method); `versions.ts` picks the adapter.
 */
import type { LavalinkError } from '../errors.js';
import type { SocketConfig } from '../socket-options.js';
import type { PlayOp } from './delivery.js';
import type { NodeFrame } from './frames.js';
import type { NodeEvent } from './node-events.js';
import type { OutgoingOp } from './ops.js';
import type { RestRequest } from './rest.js';

/** REST calls to the node (the host's client): the parsed answer, or a RestError/TimeoutError. */
export interface NodeRest {
  request(method: string, path: string, body?: unknown): Promise<unknown>;
}

/** What an adapter may use to carry an op. */
export interface AdapterContext {
  readonly rest: NodeRest;
  /** The current session id (v4 REST paths); null before `ready`. */
  readonly sessionId: string | null;
  /** Writes a text frame; resolves when written. */
  writeFrame(text: string): Promise<void>;
}

export interface ProtocolAdapter {
  readonly version: 3 | 4;
  /** The WebSocket path: `/` on v3 (3.7 also takes `/v3/websocket`), `/v4/websocket` on v4. */
  readonly wsPath: string;
  /** v3 is usable as soon as the socket opens; v4 only after `ready`. */
  readonly readyOnOpen: boolean;
  /**
   * v3 ops are frames: a written frame is not a received one (a link held, then reset, loses
   * it), so `send` counts only once a pong that left the node after it came back. v4 ops are
   * REST calls, answered.
   */
  readonly writesNeedConfirmation: boolean;
  /**
   * Whether the key to resume with outlives a session the node did not resume. A v4 key is the
   * session id, which names a session that is gone; a v3 key is ours, configured again anyway.
   */
  readonly keepsResumeKeyAfterNewSession: boolean;
  /** Whether resuming is configured on the session itself (v4: REST on its id), so not before `ready`. */
  readonly resumingNeedsSession: boolean;
  handshakeHeaders(config: SocketConfig, userId: string, resume: string | null): Record<string, string>;
  send(op: OutgoingOp, context: AdapterContext): Promise<void>;
  /**
   * Turns resuming on for the session; answers the key to present next time (v3: the key; v4:
   * the session id), or null when the node has no resuming (some Lavalink-compatible servers).
   */
  configureResuming(key: string, timeoutSeconds: number, context: AdapterContext): Promise<string | null>;
  /** A REST request, answered in the version-neutral shapes of rest.ts. */
  request(request: RestRequest, context: AdapterContext): Promise<unknown>;
  /**
   * Whether the node already plays this `play`'s track for its guild: a replayed play (after a
   * worker crash, a timed-out call) is asked about before it goes again. False when it cannot tell.
   */
  alreadyPlaying(op: PlayOp, context: AdapterContext): Promise<boolean>;
  /** Whether a failed delivery may not have reached the node, so that another try is worth it. */
  isRetryable(error: LavalinkError): boolean;
  /**
   * What a frame means (node-events.ts), in the shape both versions share; null for `ready` and
   * for ops and event types it does not know. Pure; never throws, whatever the frame holds.
   */
  readEvent(frame: NodeFrame): NodeEvent | null;
}
