/**
 * The main-thread handle of one Lavalink node: the seed's `Socket` API. The connection itself
 * (the seed's protected `ws`, REST, reconnects, the send queue) lives in a host-side
 * `Connection`; this handle mirrors its state from the host's events, so every getter is
 * synchronous, and hands calls to its HostSupervisor (transport/host-supervisor.ts).
 */
import { inspect } from 'node:util';
import { emitSocketError, publishDebug, publishReconnect, publishRest, publishSocketState } from './diagnostics.js';
import { penaltiesOf } from './manager/penalties.js';
import { NodeCounters } from './metrics/node-counters.js';
import { CloseDecision } from './protocol/close-codes.js';
import { ErrorCode, fromWire, InvalidOptionError, LavalinkError, SocketClosedError } from './errors.js';
import { EventKind, type HostEvent, type SocketState } from './ipc/events.js';
import { unpackPayload } from './ipc/payload.js';
import type { Manager } from './manager.js';
import { resolveSocketOptions, socketConfig, validateSocketData, type ResolvedSocketOptions, type SocketConfig, type SocketData } from './socket-options.js';
import { jsonData } from './protocol/json-data.js';
import { emptyStats, type NodeStats } from './protocol/messages.js';
import { validateOp, type OutgoingOp } from './protocol/ops.js';
import { validateRequest, type JsonValue, type RestRequest, type RestResult, type Track } from './protocol/rest.js';
import { checkPlugin } from './plugin-check.js';
import { createSocketRest, type SocketRest } from './socket-rest.js';
import { HostSupervisor } from './transport/host-supervisor.js';
import { Waiters } from './waiters.js';
import { hubOf, type ManagerHub, type SocketDriver } from './wiring.js';

/**
 * One Lavalink node's connection, as the bot sees it: `manager.sockets.get(id)`. The connection itself lives in a worker thread; the getters here are mirrored from it, so they are synchronous and lag it by a moment.
 *
 * @example
 * ```ts
 * const socket = manager.sockets.get('main')!;
 * await socket.onReady();
 * console.log(`${socket} is Lavalink v${socket.version}, ${socket.stats.playingPlayers} playing`);
 * const info = await socket.rest.info();
 * ```
 */
export class Socket {
  /** The manager this socket belongs to. */
  readonly manager: Manager;
  /** This socket's identifier. */
  readonly id: string;
  /** The host of the Lavalink node. */
  readonly host: string;
  /** The port of the Lavalink node, as a string. */
  readonly port: string;
  /** Whether the node is reached over wss/https. */
  readonly secure: boolean;
  /** The voice regions this node serves (SocketData.regions), lower case. */
  readonly regions: readonly string[];
  /** The effective options: this node's over the manager's defaults over the library's. */
  readonly options: ResolvedSocketOptions;
  /** Reconnect tries left; resets to `options.maxTries` on every successful open (-1 = unlimited). */
  remaining: number;
  /** The key a reconnect presents to resume: the v3 resume key, or the v4 session id. */
  resumeKey: string | undefined;
  /** The latest stats the node sent. */
  stats: NodeStats = emptyStats();
  /** The node's protocol version, once known (configured, or detected). */
  version: 3 | 4 | null;
  /** The node's session id (v4, v3.7). */
  sessionId: string | null = null;
  /** Round trip of the last WebSocket ping in ms; -1 before the first. */
  ping = -1;
  /** What happened to this node since the socket was made: reconnects, failovers, REST calls, the last error's code. */
  readonly counters = new NodeCounters();

  readonly #password: string;
  readonly #hub: ManagerHub;
  readonly #config: SocketConfig;
  readonly #supervisor: HostSupervisor;
  /** False once the node showed it cannot resume: a drop loses its players at once. */
  #resumable: boolean;
  #connected = false;
  #ready = false;
  #closed = false;
  readonly #readyWaiters = new Waiters();
  /** Set from a session store: the first start presents it to resume. */
  #resumeFrom: { version: 3 | 4; key: string; sessionId: string | null } | null = null;
  /** A session was open before: a new one (not resumed) means the node lost our players. */
  #hadSession = false;

  constructor(manager: Manager, data: SocketData, path = 'data') {
    const hub = hubOf(manager);
    if (!hub) throw new InvalidOptionError('manager', 'a lavathread Manager', manager);
    validateSocketData(data, path);
    this.manager = manager;
    this.#hub = hub;
    this.id = data.id;
    this.host = data.host;
    this.port = String(data.port);
    this.secure = data.secure ?? false;
    this.regions = Object.freeze((data.regions ?? []).map((r) => r.trim().toLowerCase()));
    this.#password = data.password;
    this.options = resolveSocketOptions(hub.options.defaultSocketOptions, data.options, `${path}.options`);
    this.remaining = this.options.maxTries;
    this.resumeKey = undefined;
    this.#resumable = hub.options.resuming;
    this.version = data.version === undefined || data.version === 'auto' ? null : data.version;
    this.#config = socketConfig(data, this.options, hub.options);
    this.#supervisor = new HostSupervisor({
      config: this.#config,
      flushWindowMs: hub.options.flushWindowMs,
      startHost: (init) => hub.transport().start(init),
      resumeState: () => (this.resumeKey !== undefined && this.version !== null ? { version: this.version, key: this.resumeKey, sessionId: this.sessionId } : null),
      resumable: () => this.#resumable,
      hostLost: (error) => {
        this.#connected = false;
        this.#ready = false;
        this.counters.lastErrorCode = error.code;
        hub.emitter.emit('socketError', this, error);
        publishDebug(manager, this.id, 'worker lost; restarting on a new worker');
      },
      gaveUp: (error) => this.#handle({ kind: EventKind.Disconnect, socketId: this.id, final: true, error: { name: error.name, code: error.code, message: error.message } }),
    });
    hub.attachSocket(this, this.#driver());
  }

  /** The node's password; read-only, not enumerable, never printed. */
  get password(): string {
    return this.#password;
  }

  /** Whether the WebSocket to the node is open. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Whether a session is open: ops go out now rather than waiting. */
  get ready(): boolean {
    return this.#ready;
  }

  /**
   * Whether a drop of this node keeps its players for `resumeTimeout` (resuming configured and
   * supported). Some Lavalink-compatible servers cannot resume; their players fail over at once.
   */
  get resumable(): boolean {
    return this.#resumable;
  }

  /** Ops sent but not yet acknowledged by the node, oldest first. */
  get queue(): readonly OutgoingOp[] {
    return this.#supervisor.queue;
  }

  /**
   * Load score for node selection (lower is better): playing players, a CPU curve and the frame
   * deficit and nulled frames (the formula of lavaclient's balancer). `Number.MAX_SAFE_INTEGER`
   * while no session is open.
   */
  get penalties(): number {
    return this.#ready ? penaltiesOf(this.stats) : Number.MAX_SAFE_INTEGER;
  }

  /** The socket's id. */
  toString(): string {
    return this.id;
  }

  /** A plain summary for logs and `JSON.stringify` (never the password). */
  toJSON(): Record<string, unknown> {
    const { id, host, port, secure, version, remaining, sessionId, stats } = this;
    return { id, host, port, secure, version, connected: this.#connected, remaining, sessionId, queued: this.#supervisor.queued, stats };
  }

  /** What `console.log` and `util.inspect` print: the id, host and state, never the password. */
  [inspect.custom](): string {
    return `Socket ${inspect(this.toJSON())}`;
  }

  /**
   * Connects (or reconnects) to the node. Returns at once; `socketReady` (or `onReady()`) tells
   * when the session is usable.
   */
  connect(userId: string | undefined = this.#hub.userId()): this {
    if (this.#closed) throw new SocketClosedError(`Socket ${this.id} is closed`);
    if (userId === undefined) throw new InvalidOptionError('userId', 'the bot user id (pass it to connect() or init())', userId);
    this.#supervisor.connect(userId, this.#resumeFrom);
    return this;
  }

  /**
   * Sends an op (v3 form; turned into REST on v4 nodes). Resolves once the node took it;
   * while the node is down it waits in the queue and goes out, in order, after the next open.
   * It survives a worker crash: it is sent again from the new worker.
   */
  send(data: OutgoingOp): Promise<void> {
    let op: OutgoingOp;
    try {
      // A plain copy: what was checked is what is sent, whatever the caller's object does later.
      op = validateOp(jsonData(data, 'op'));
    } catch (error) {
      return Promise.reject(error instanceof LavalinkError ? error : new LavalinkError(ErrorCode.BadOp, String(error)));
    }
    if (this.#closed) return Promise.reject(new SocketClosedError(`Socket ${this.id} is closed`));
    return this.#supervisor.send(op);
  }

  /**
   * Turns on resuming for the current session (done after every open unless the manager's
   * `resuming` is false). The key argument is accepted for the seed's signature; the key used is
   * `options.resumeKey` or one made once per socket.
   */
  async configureResuming(_key?: string): Promise<void> {
    const key = await this.#call((control) => control.configureResuming(), null);
    // The state event follows; the caller sees the key at once.
    if (key !== null) this.resumeKey = key;
  }

  /**
   * Resolves when the socket is ready (a session is open); rejects if it closes for good first, its
   * password is refused, or its reconnect tries run out (it is still probed: a later call waits
   * for its return).
   */
  onReady(): Promise<void> {
    if (this.#ready) return Promise.resolve();
    if (this.#closed) return Promise.reject(new SocketClosedError(`Socket ${this.id} is closed`));
    return this.#readyWaiters.wait();
  }

  /** The node's REST API, made by the worker: `rest.info()`, `rest.load(...)`, ..., or any route with `rest('GET', '/v4/info')`. */
  readonly rest: SocketRest = createSocketRest({
    request: (request) => this.request(request),
    raw: async (method, path, body) => unpackPayload(await this.#call((control) => control.rest(method, path, body), this.#config.restTimeout + 5000)) as JsonValue,
    resumeKey: () => this.resumeKey ?? null,
  });

  /** A typed REST request made by the worker, answered in one shape for both versions. */
  async request<R extends RestRequest>(request: R): Promise<RestResult<R['kind']>> {
    const data = validateRequest(jsonData(request, 'request'));
    await checkPlugin(this, data);
    return unpackPayload(await this.#call((control) => control.request(data), this.#config.restTimeout + 5000)) as RestResult<R['kind']>;
  }

  /** Hands ops not yet given to the current host over to it, in order. */
  protected flush(): Promise<void> {
    this.#supervisor.flush();
    return Promise.resolve();
  }

  #call: HostSupervisor['call'] = (call, timeoutMs) => {
    if (this.#closed) return Promise.reject(new SocketClosedError(`Socket ${this.id} is not running`));
    return this.#supervisor.call(call, timeoutMs);
  };

  /** What only the manager calls (wiring.ts). */
  #driver(): SocketDriver {
    return {
      handle: (event) => this.#handle(event),
      setStats: (stats) => (this.stats = stats),
      close: () => this.#close(),
      resumeFrom: (stored) => {
        this.#resumeFrom = { version: stored.version, key: stored.resumeKey, sessionId: stored.sessionId };
        this.version = stored.version;
        this.resumeKey = stored.resumeKey;
        this.sessionId = stored.sessionId;
      },
      // For a long list the main thread pays only the unpacking (~0.4 µs a track against ~4 µs to decode one).
      decode: async (tracks) => {
        if (!this.#supervisor.started || this.#closed) return null;
        return unpackPayload(await this.#call((control) => control.decode(tracks), 30_000)) as Track[];
      },
      takeQueued: (guildId) => this.#supervisor.takeQueued(guildId),
      carry: (taken) => this.#supervisor.carry(taken),
      link: () => this.#supervisor.link,
    };
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#readyWaiters.rejectAll(new SocketClosedError(`Socket ${this.id} was closed`));
    await this.#supervisor.close();
    this.#connected = false;
    this.#ready = false;
  }

  /** One event from the host about this socket, in order (frames go to the manager's router). */
  #handle(event: HostEvent): void {
    const hub = this.#hub;
    const emitter = hub.emitter;
    this.counters.record(event);
    switch (event.kind) {
      case EventKind.State:
        return this.#applyState(event.state);
      case EventKind.Ready:
        this.#ready = true;
        this.#supervisor.markReady();
        this.sessionId = event.sessionId ?? this.sessionId;
        this.#readyWaiters.resolveAll();
        emitter.emit(event.resumed ? 'socketResumed' : 'socketReady', this);
        publishSocketState(this.manager, this, event.resumed ? 'resumed' : 'ready');
        hub.sessionReady(this, event.resumed, this.#hadSession);
        this.#hadSession = true;
        return;
      case EventKind.Close:
        this.#ready = false;
        this.#connected = false;
        emitter.emit('socketClose', this, event.code, event.reason);
        publishSocketState(this.manager, this, 'closed', event.code);
        if (event.decision !== CloseDecision.GiveUp) publishReconnect(this.manager, this, event.code, event.decision);
        hub.connectionLost(this, event.decision);
        return;
      case EventKind.Error:
        return emitSocketError(emitter, this, fromWire(event.error));
      case EventKind.Disconnect: {
        this.#ready = false;
        this.#connected = false;
        const error = event.error ? fromWire(event.error) : null;
        if (event.final) {
          this.#closed = true;
          const reason = error ?? new SocketClosedError(`Socket ${this.id} stopped`);
          this.#readyWaiters.rejectAll(reason);
          this.#supervisor.stop(reason);
        } else {
          // Those waiting learn of the outage; a later onReady() waits for the node's return.
          this.#readyWaiters.rejectAll(new SocketClosedError(`Socket ${this.id}: the node is gone (its reconnect tries ran out); it is still probed`));
        }
        hub.socketGone(this, event.final, error);
        emitter.emit('socketDisconnect', this, error);
        publishSocketState(this.manager, this, event.final ? 'stopped' : 'gone', null, error);
        return;
      }
      case EventKind.Debug:
        publishDebug(this.manager, this.id, event.message);
        return;
      case EventKind.Rest:
        publishRest(this.manager, this.id, event);
        return;
      case EventKind.Frame:
      case EventKind.Updates:
        return; // the manager's router takes these
      default:
        throw new LavalinkError(ErrorCode.BadFrame, `Unknown host event ${JSON.stringify(event satisfies never)}`);
    }
  }

  #applyState(state: Partial<SocketState>): void {
    if (state.connected !== undefined) this.#connected = state.connected;
    if (state.remaining !== undefined) this.remaining = state.remaining;
    if (state.resumeKey !== undefined) this.resumeKey = state.resumeKey ?? undefined;
    if (state.sessionId !== undefined) this.sessionId = state.sessionId;
    if (state.version !== undefined && state.version !== null) this.version = state.version;
    if (state.ping !== undefined) this.ping = state.ping;
    if (state.resumable !== undefined) this.#resumable = state.resumable;
  }
}
