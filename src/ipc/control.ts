/**
 * Main → host calls, carried by comlink over each socket's control port. Low volume only:
 * connect, send, configure, close, REST. Events never travel this way; bulk answers travel as
 * packed bytes (ipc/payload.ts), moved, not cloned.
 */
import type { WireError } from '../errors.js';
import type { SocketConfig } from '../socket-options.js';
import type { OutgoingOp } from '../protocol/ops.js';
import type { RestRequest } from '../protocol/rest.js';
import type { LoopDelay, LoopTime } from '../metrics/loop-probe.js';

/** What a socket task is started with. Plain data (it is structured-cloned into the worker). */
export interface SocketTaskInit {
  readonly config: SocketConfig;
  /** The user id to connect with; null = wait for `connect()`. */
  readonly userId: string | null;
  /** Resume this session on the first open: v3 key or v4 session id (after a worker crash). */
  readonly resume: { readonly version: 3 | 4; readonly key: string; readonly sessionId: string | null } | null;
  /** Batching window of the host's event channel, ms. */
  readonly flushWindowMs: number;
  /** What the main side knows: false once the node showed it cannot resume (kept across a worker restart). */
  readonly resumable: boolean;
}

/** A host thread's own figures (manager.metrics()): every socket it hosts answers the same. */
export interface ThreadReport {
  readonly threadId: number;
  /** Sockets the thread runs now. */
  readonly sockets: number;
  readonly loop: LoopTime;
  readonly delay: LoopDelay;
  /** The thread's V8 heap (a worker has an isolate of its own), bytes. */
  readonly heapUsed: number;
  readonly heapTotal: number;
}

/** Test-only faults that take the hosting worker down. */
export type CrashKind = 'exit' | 'throw';

/**
 * Errors do not survive comlink (it keeps only name and message), so every call answers with an
 * outcome and the main side rebuilds the typed error from its wire form.
 */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

export interface SocketControl {
  connect(userId: string): void;
  /**
   * Settles when the node took the op: frame written (v3), REST call answered 2xx (v4). Rejects
   * with NoNodeError if no session was open to take it by `deadline` (epoch ms).
   */
  send(op: OutgoingOp, deadline: number): Promise<Outcome<void>>;
  /** `send` for an op sent again after a worker crash: a `play` is checked against the node first. */
  replay(op: OutgoingOp, deadline: number): Promise<Outcome<void>>;
  /** Answers the key a reconnect will present (v3 key, v4 session id). */
  configureResuming(): Promise<Outcome<string | null>>;
  /** Takes back the queued ops of a guild (its player moved); answers how many. */
  cancel(guildId: string): number;
  /** Closes for good; queued ops reject with SocketClosedError. */
  close(code: number, reason: string): Promise<Outcome<void>>;
  /** A REST call to the node through the host (GET /v4/info, loadtracks...); the answer packed (ipc/payload.ts). */
  rest(method: string, path: string, body?: unknown): Promise<Outcome<Uint8Array>>;
  /** A typed REST request, answered packed in the version-neutral shapes of protocol/rest.ts. */
  request(request: RestRequest): Promise<Outcome<Uint8Array>>;
  /** Decodes tracks with the track codec on the host's thread; the Track[] packed. */
  decode(tracks: readonly string[]): Promise<Outcome<Uint8Array>>;
  /** The hosting thread's figures. */
  thread(): ThreadReport;
}

/** The test worker's control (lavathread/testing): the production one plus two faults. */
export interface TestControl extends SocketControl {
  /** Exits the worker, or throws an uncaught error in it. */
  crash(kind: CrashKind): void;
  /** Whether anything was added to this thread's Object.prototype. */
  prototypeTouched(): boolean;
}
