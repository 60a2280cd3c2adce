/**
 * Worker → main traffic on the event port: msgpack batches of {@link HostEvent}s. Main → worker on
 * the same port: acks. Both sides switch on `kind` and end with an exhaustive `never`.
 */
import type { WireError } from '../errors.js';
import type { CloseDecision } from '../protocol/close-codes.js';
import type { NodeFrame } from '../protocol/frames.js';
import type { NodeEvent } from '../protocol/node-events.js';

/** Mirrored socket state; each state event carries the fields that changed. */
export interface SocketState {
  connected: boolean;
  /** Reconnect tries left. */
  remaining: number;
  /** v3: the resume key; v4: the session id to resume. */
  resumeKey: string | null;
  sessionId: string | null;
  version: 3 | 4 | null;
  /** Round trip of the last WebSocket ping, ms; -1 before the first pong. */
  ping: number;
  /** Ops the host still holds (not yet written / acknowledged by the node). */
  queued: number;
  /** False once the node showed it cannot resume sessions (or resuming is off): a drop loses its players at once. */
  resumable: boolean;
}

export const EventKind = {
  /**
   * A frame from the node: `playerUpdate`, `stats`, `event`, or anything else it sent; with what
   * it means, read on the worker by the node's adapter.
   */
  Frame: 0,
  State: 1,
  /** The session is usable: v4 `ready`, v3 open. */
  Ready: 2,
  Close: 3,
  Error: 4,
  /** Reconnect tries ran out (the socket goes on probing), or the node refused us for good (`final`). */
  Disconnect: 5,
  Debug: 6,
  /** A run of plain playerUpdates from one socket, as columns (ipc/updates.ts). */
  Updates: 7,
  /** A REST call to the node ended (for metrics and the `lavathread:rest` channel); never urgent. */
  Rest: 8,
} as const;

export type HostEvent =
  /** `frame` exactly as the node sent it; `event` its meaning, null for `ready` and what the adapter does not know. */
  | { readonly kind: typeof EventKind.Frame; readonly socketId: string; readonly frame: NodeFrame; readonly event: NodeEvent | null }
  | { readonly kind: typeof EventKind.State; readonly socketId: string; readonly state: Partial<SocketState> }
  | { readonly kind: typeof EventKind.Ready; readonly socketId: string; readonly resumed: boolean; readonly sessionId: string | null }
  /** `decision`: what the host does about it (protocol/close-codes.ts); `failover` means the node lost our players. */
  | { readonly kind: typeof EventKind.Close; readonly socketId: string; readonly code: number; readonly reason: string; readonly decision: CloseDecision }
  | { readonly kind: typeof EventKind.Error; readonly socketId: string; readonly error: WireError }
  | { readonly kind: typeof EventKind.Disconnect; readonly socketId: string; readonly final: boolean; readonly error: WireError | null }
  | { readonly kind: typeof EventKind.Debug; readonly socketId: string; readonly message: string }
  | ({ readonly kind: typeof EventKind.Rest; readonly socketId: string } & RestCall)
  /** `values` holds FIELDS numbers per guild (ipc/updates.ts); order is the order they came in. */
  | {
      readonly kind: typeof EventKind.Updates;
      readonly socketId: string;
      readonly guilds: readonly string[];
      readonly values: Float64Array;
      /**
       * Main side only: each guild's slot in `table`, its port's guild table (the same array for
       * the port's life, a new one when it starts over), so lookups can be cached per slot.
       */
      readonly slots?: Uint32Array;
      readonly table?: readonly string[];
    };

/**
 * One REST call to a node, as the host saw it: the route is the path's template (ids and query
 * left out, protocol/rest-routes.ts), so it can name a metric and never carries a search or a key.
 */
export interface RestCall {
  /** The HTTP method (`GET`, `PATCH`, ...). */
  readonly method: string;
  /** The path's template, e.g. `/v4/sessions/:sessionId/players/:guildId`. */
  readonly route: string;
  /** The HTTP status; 0 when no answer came (network error, timeout). */
  readonly status: number;
  /** From the request going out to its answer read (or its failure), ms. */
  readonly durationMs: number;
  /** The error's code when the call failed (LAVALINK_REST, LAVALINK_TIMEOUT), else null. */
  readonly code: string | null;
}

/** A batch as it travels: sequence number (for acks) and events. */
export interface EventBatch {
  readonly seq: number;
  readonly events: readonly HostEvent[];
}

