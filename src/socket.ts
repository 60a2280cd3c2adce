/**
 * The main-thread handle of one Lavalink node: the seed's `Socket` API. The connection itself
 * (the seed's protected `ws`, REST, reconnects, the send queue) lives in a worker-side
 * `Connection`; this handle mirrors its state from the event channel, so every getter is
 * synchronous, and forwards calls over the control port.
 */
import { inspect } from 'node:util';
import { fromWire, InvalidOptionError, LavalinkError, NoNodeError, SocketClosedError, WorkerExitedError, ErrorCode } from './errors.js';
import { internals, kCarry, kClose, kDecode, kHandleEvent, kResumeFrom, kTakeQueued, type ManagerInternals } from './internal.js';
import type { Outcome, SocketControl } from './ipc/control.js';
import { EventKind, type HostEvent, type SocketState } from './ipc/events.js';
import type { Manager } from './manager.js';
import { resolveSocketOptions, validateSocketData, type ResolvedSocketOptions, type SocketConfig, type SocketData } from './options.js';
import { emptyStats, type LavalinkMessage, type NodeStats } from './protocol/messages.js';
import { validateOp, type OutgoingOp } from './protocol/ops.js';
import { validateRequest, type JsonValue, type RestRequest, type RestResult, type Track } from './protocol/rest.js';
import { createSocketRest, type SocketRest } from './socket-rest.js';
import { unpackPayload } from './ipc/payload.js';
import type { WorkerLink } from './transport/worker-link.js';
import { backoff } from './backoff.js';
import { dropSupersededPlays } from './protocol/replay.js';
import { jsonData } from './protocol/json-data.js';

/** A host that ran this long before dying was not in a crash loop. */
const STABLE_HOST_MS = 10_000;

export interface PendingOp {
  readonly op: OutgoingOp;
  resolve(): void;
  reject(error: LavalinkError): void;
  /** The channel generation it was handed to; -1 = not yet handed to a host. */
  generation: number;
  /** Epoch ms by which a session must take it (`readyTimeout` after it was sent); else LAVALINK_NO_NODE. */
  readonly deadline: number;
}

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
  /** The effective options: this node's over the manager's defaults over the library's. */
  readonly options: ResolvedSocketOptions;
  /** Reconnect tries left; resets to `options.maxTries` on every successful open (-1 = unlimited). */
  remaining: number;
  /** The key a reconnect presents to resume: the v3 resume key, or the v4 session id. */
  resumeKey: string | undefined;
  /** The latest stats the node sent. */
  stats: NodeStats = emptyStats();
  /** The node's protocol version, once known (configured, or asked with `GET /version`). */
  version: 3 | 4 | null;
  /** The node's session id (v4, v3.7). */
  sessionId: string | null = null;
  /** Round trip of the last WebSocket ping in ms; -1 before the first. */
  ping = -1;

  readonly #password: string;
  readonly #internals: ManagerInternals;
  readonly #config: SocketConfig;
  readonly #pending: PendingOp[] = [];
  #channel: WorkerLink | null = null;
  /** The channel's host runs (false before the first start and between a host's death and its restart). */
  #hostLive = false;
  #generation = 0;
  /** Rejects ops that no live host holds once their deadline passes (a host enforces it for its own). */
  #expiryTimer: NodeJS.Timeout | undefined;
  /** A refused password was shown as a process warning (once), for bots that do not listen to socketError. */
  #warned = false;
  /** False once the node showed it cannot resume: a drop loses its players at once. */
  #resumable: boolean;
  #connected = false;
  #ready = false;
  #closed = false;
  #readyWaiters: { resolve(): void; reject(error: LavalinkError): void }[] = [];
  /** Hosts lost since the last ready: a worker that dies at once again is restarted ever more slowly. */
  #hostLosses = 0;
  /** Set from a session store: the first start presents it to resume. */
  #resumeFrom: { version: 3 | 4; key: string; sessionId: string | null } | null = null;
  /** A session was open before: a new one (not resumed) means the node lost our players. */
  #hadSession = false;
  #restartTimer: NodeJS.Timeout | undefined;
  /** When the current host last became ready; a crash loop is judged from it. */
  #readySince = 0;

  constructor(manager: Manager, data: SocketData, path = 'data') {
    const inside = internals.get(manager);
    if (!inside) throw new InvalidOptionError('manager', 'a lavathread Manager', manager);
    validateSocketData(data, path);
    this.manager = manager;
    this.#internals = inside;
    this.id = data.id;
    this.host = data.host;
    this.port = String(data.port);
    this.secure = data.secure ?? false;
    this.#password = data.password;
    this.options = resolveSocketOptions(inside.options.defaultSocketOptions, data.options, `${path}.options`);
    this.remaining = this.options.maxTries;
    this.resumeKey = undefined;
    this.#resumable = inside.options.resuming;
    this.version = data.version === 3 || data.version === 4 ? data.version : null;
    this.#config = {
      ...this.options,
      id: this.id,
      host: this.host,
      port: Number(this.port),
      password: this.#password,
      secure: this.secure,
      ca: data.ca ?? null,
      version: data.version ?? 'auto',
      shards: inside.options.shards,
      clientName: inside.options.clientName,
      resuming: inside.options.resuming,
      restTimeout: inside.options.restTimeout,
      readyTimeout: inside.options.readyTimeout,
    };
  }

  /** The node's password; read-only, not enumerable, never printed. */
  get password(): string {
    return this.#password;
  }

  /** Whether the WebSocket to the node is open. */
  get connected(): boolean {
    return this.#connected;
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
    return this.#pending.map((p) => p.op);
  }

  /**
   * Load score for node selection (lower is better): playing players, a CPU curve and the frame
   * deficit and nulled frames (lavaclient's balancer, spec §3.8). Infinite-ish when unusable.
   */
  get penalties(): number {
    if (!this.#ready) return Number.MAX_SAFE_INTEGER;
    const { playingPlayers, cpu, frameStats } = this.stats;
    // systemLoad is already a 0..1 share of all cores (spec §1).
    const cpuPenalty = 1.05 ** (100 * cpu.systemLoad) * 10 - 10;
    let framePenalty = 0;
    if (frameStats && frameStats.deficit !== -1) {
      const curve = (n: number): number => 1.03 ** ((500 * n) / 3000) * 600 - 600;
      framePenalty = curve(frameStats.deficit) + 2 * curve(frameStats.nulled);
    }
    return playingPlayers + cpuPenalty + framePenalty;
  }

  /** The socket's id. */
  toString(): string {
    return this.id;
  }

  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      host: this.host,
      port: this.port,
      secure: this.secure,
      version: this.version,
      connected: this.#connected,
      remaining: this.remaining,
      sessionId: this.sessionId,
      queued: this.#pending.length,
      stats: this.stats,
    };
  }

  [inspect.custom](): string {
    return `Socket ${inspect(this.toJSON())}`;
  }

  /**
   * Connects (or reconnects) to the node. Returns at once; `socketReady` (or `onReady()`) tells
   * when the session is usable.
   */
  connect(userId: string | undefined = this.#internals.userId()): this {
    if (this.#closed) throw new SocketClosedError(`Socket ${this.id} is closed`);
    if (userId === undefined) throw new InvalidOptionError('userId', 'the bot user id (pass it to connect() or init())', userId);
    if (this.#channel === null) this.#start(userId, this.#resumeFrom);
    else this.#channel.call((control) => control.connect(userId), null).catch(() => {});
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
    return new Promise((resolve, reject) => {
      // Voice credentials and a destroy must reach the node whenever it is back (a player without
      // voice plays silently; one never destroyed plays twice): they wait for it as long as it takes.
      const waitsForever = op.op === 'voiceUpdate' || op.op === 'destroy';
      const pending: PendingOp = { op, resolve, reject, generation: -1, deadline: waitsForever ? Infinity : Date.now() + this.#config.readyTimeout };
      this.#pending.push(pending);
      if (this.#hostLive) this.#dispatch(pending, false);
      else this.#armExpiry();
    });
  }

  /**
   * Turns on resuming for the current session (done after every open unless the manager's
   * `resuming` is false). The key argument is accepted for the seed's signature; the key used is
   * `options.resumeKey` or one made once per socket.
   */
  async configureResuming(_key?: string): Promise<void> {
    const key = await this.#call((control) => control.configureResuming(), null);
    // The state frame follows on the event channel; the caller sees the key at once.
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
    return new Promise((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
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
    return unpackPayload(await this.#call((control) => control.request(data), this.#config.restTimeout + 5000)) as RestResult<R['kind']>;
  }

  /**
   * Decodes tracks with the codec on the worker's thread: for a long list the main thread pays
   * only the unpacking (~0.4 µs a track against ~4 µs to decode one). Null when no host runs.
   */
  async [kDecode](tracks: readonly string[]): Promise<Track[] | null> {
    if (!this.#channel || this.#closed) return null;
    return unpackPayload(await this.#call((control) => control.decode(tracks), 30_000)) as Track[];
  }

  /** Whether a session is open: ops go out now rather than waiting. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Test hook: takes this socket's worker down (`exit`) or throws in it (`throw`). */
  async crashWorker(kind: 'exit' | 'throw'): Promise<void> {
    const channel = this.#channel;
    if (!channel) throw new SocketClosedError(`Socket ${this.id} has not started`);
    await channel.call((control) => control.crash(kind), null);
  }

  /** Test hook: whether the hosting thread's Object.prototype was touched (polluted). */
  async hostPrototypeTouched(): Promise<boolean> {
    const channel = this.#channel;
    if (!channel) throw new SocketClosedError(`Socket ${this.id} has not started`);
    return channel.call((control) => control.prototypeTouched(), 5000);
  }

  /** Hands ops not yet given to the current host over to it, in order. */
  protected flush(): Promise<void> {
    if (!this.#hostLive) return Promise.resolve();
    for (const pending of this.#pending) {
      // An op a dead host had taken may have reached the node: the new host replays it carefully.
      if (pending.generation !== this.#generation) this.#dispatch(pending, pending.generation !== -1);
    }
    return Promise.resolve();
  }

  /** Resume this stored session on the first connect (Manager, from its session store). */
  [kResumeFrom](stored: { version: 3 | 4; resumeKey: string; sessionId: string | null }): void {
    this.#resumeFrom = { version: stored.version, key: stored.resumeKey, sessionId: stored.sessionId };
    this.version = stored.version;
    this.resumeKey = stored.resumeKey;
    this.sessionId = stored.sessionId;
  }

  /**
   * A guild's player is moving to another node: takes back its ops not yet acknowledged here
   * (from this handle and from the host's queue), so they go to the new node, in order, with
   * their promises. The one on its way now may still reach this node.
   */
  [kTakeQueued](guildId: string): PendingOp[] {
    const taken = this.#pending.filter((p) => p.op.guildId === guildId && p.op.op !== 'destroy');
    if (taken.length === 0) return [];
    for (const pending of taken) this.#pending.splice(this.#pending.indexOf(pending), 1);
    this.#channel?.call((control) => control.cancel(guildId), null).catch(() => {});
    return taken;
  }

  /** Ops another node gave up for a player that moved here: sent as if sent here first. */
  [kCarry](taken: readonly PendingOp[]): void {
    for (const pending of taken) {
      pending.generation = -1;
      this.#pending.push(pending);
      if (this.#hostLive) this.#dispatch(pending, false);
    }
    this.#armExpiry();
  }

  /** Closes for good (Manager.close): no reconnect; queued ops reject. */
  async [kClose](): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#expiryTimer);
    const channel = this.#channel;
    const closed = new SocketClosedError(`Socket ${this.id} was closed`);
    this.#failWaiters(closed);
    if (channel) {
      // Calls still out settle now, not when (or if) the host answers them.
      channel.abandon(closed);
      const closing = channel.call((control) => control.close(1000, 'destroy'), 5000);
      await Promise.race([closing.catch(() => undefined), channel.done.catch(() => undefined)]);
      channel.release(closed);
    }
    for (const pending of this.#pending.splice(0)) pending.reject(new SocketClosedError(`Socket ${this.id} was closed`));
    this.#connected = false;
    this.#ready = false;
  }

  /** One event from the host, in order. */
  [kHandleEvent](event: HostEvent): void {
    const emitter = this.#internals.emitter;
    switch (event.kind) {
      case EventKind.Frame: {
        const message = event.frame as LavalinkMessage;
        if (message.op === 'stats') {
          this.stats = readStats(message as unknown as Record<string, unknown>);
        } else {
          this.#internals.route(this, message);
        }
        emitter.emit('raw', this, message);
        return;
      }
      case EventKind.State:
        return this.#applyState(event.state);
      case EventKind.Ready:
        this.#ready = true;
        this.#readySince = Date.now();
        this.sessionId = event.sessionId ?? this.sessionId;
        for (const waiter of this.#readyWaiters.splice(0)) waiter.resolve();
        emitter.emit(event.resumed ? 'socketResumed' : 'socketReady', this);
        this.#internals.sessionReady(this, event.resumed, this.#hadSession);
        this.#hadSession = true;
        return;
      case EventKind.Close:
        this.#ready = false;
        this.#connected = false;
        emitter.emit('socketClose', this, event.code, event.reason);
        this.#internals.connectionLost(this);
        return;
      case EventKind.Error: {
        const error = fromWire(event.error);
        if (error.code === ErrorCode.AuthFailed && !this.#warned && emitter.listenerCount('socketError') === 0) {
          // A bot that listens to nothing must still learn why its node never comes up.
          this.#warned = true;
          process.emitWarning(error.message, { code: error.code });
        }
        emitter.emit('socketError', this, error);
        return;
      }
      case EventKind.Disconnect: {
        this.#ready = false;
        this.#connected = false;
        const error = event.error ? fromWire(event.error) : null;
        if (event.final) {
          this.#closed = true;
          clearTimeout(this.#expiryTimer);
          const reason = error ?? new SocketClosedError(`Socket ${this.id} stopped`);
          this.#failWaiters(reason);
          for (const pending of this.#pending.splice(0)) pending.reject(reason);
        } else {
          // Those waiting learn of the outage; a later onReady() waits for the node's return.
          this.#failWaiters(new SocketClosedError(`Socket ${this.id}: the node is gone (its reconnect tries ran out); it is still probed`));
        }
        this.#internals.forget(this, event.final, error);
        emitter.emit('socketDisconnect', this, error);
        return;
      }
      case EventKind.Debug:
        emitter.emit('debug', `[socket ${this.id}] ${event.message}`);
        return;
      case EventKind.Updates:
        return this.#internals.routeUpdates(this, event);
      default:
        return assertNever(event);
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

  /** Starts (or restarts, after a worker died) this socket on a host. */
  #start(userId: string, resume: { version: 3 | 4; key: string; sessionId: string | null } | null): void {
    const channel = this.#internals.transport().start({ config: this.#config, userId, resume, flushWindowMs: this.#internals.options.flushWindowMs, resumable: this.#resumable });
    this.#channel = channel;
    this.#hostLive = true;
    this.#generation++;
    channel.done.then(
      () => undefined,
      (error: unknown) => this.#onHostLost(channel, userId, error),
    );
    void this.flush();
  }

  /** The worker died: show disconnected, come back on a new worker with the resume key, resend. */
  #onHostLost(channel: WorkerLink, userId: string, error: unknown): void {
    if (this.#closed || channel !== this.#channel) return;
    this.#hostLive = false;
    channel.release(new WorkerExitedError());
    this.#connected = false;
    this.#ready = false;
    const reason = error instanceof LavalinkError ? error : new WorkerExitedError();
    this.#internals.emitter.emit('socketError', this, reason);
    this.#internals.emitter.emit('debug', `[socket ${this.id}] worker lost; restarting on a new worker`);
    const resume = this.resumeKey !== undefined && this.version !== null ? { version: this.version, key: this.resumeKey, sessionId: this.sessionId } : null;
    // Ops the dead host had taken stay pending until the node confirmed them (v3: a pong after
    // the frame), so each one it may have lost goes again from the new host.
    dropSupersededPlays(this.#pending, (pending) => pending.generation !== -1);
    // A host that ran well for a while died by accident; one that keeps dying right after its
    // start is a crash loop: it backs off, and counts against maxTries like failed connections.
    if (this.#readySince !== 0 && Date.now() - this.#readySince > STABLE_HOST_MS) this.#hostLosses = 0;
    this.#readySince = 0;
    this.#armExpiry();
    if (this.options.maxTries !== -1 && this.#hostLosses >= this.options.maxTries) {
      this[kHandleEvent]({ kind: EventKind.Disconnect, socket: this.id, final: true, error: { name: 'WorkerExitedError', code: ErrorCode.WorkerExited, message: `Socket ${this.id}: its worker kept dying` } });
      return;
    }
    // The first restart is immediate (resume is time-bound); the next ones back off.
    const delay = this.#hostLosses++ === 0 ? 0 : backoff(this.#hostLosses, Math.max(this.options.retryDelay, 100), this.options.maxRetryDelay);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (!this.#closed) this.#start(userId, resume);
    }, delay);
  }

  #dispatch(pending: PendingOp, replay: boolean): void {
    const channel = this.#channel!;
    pending.generation = this.#generation;
    const call = channel.call((control) => (replay ? control.replay(pending.op, pending.deadline) : control.send(pending.op, pending.deadline)), null);
    call.then(
      (outcome) => {
        const index = this.#pending.indexOf(pending);
        if (index === -1) return; // settled already (closed)
        this.#pending.splice(index, 1);
        if (outcome.ok) {
          pending.resolve();
        } else {
          pending.reject(fromWire(outcome.error));
        }
      },
      (error: unknown) => {
        // The host died with the op in hand: it stays pending and is sent again (replayed) by
        // the next host, unless a newer host already took it. An op the host could never be
        // handed (a value that cannot be copied to it) fails alone.
        if (error instanceof WorkerExitedError || error instanceof SocketClosedError) return;
        const index = this.#pending.indexOf(pending);
        if (index === -1) return;
        this.#pending.splice(index, 1);
        pending.reject(error instanceof LavalinkError ? error : new LavalinkError(ErrorCode.BadOp, String(error)));
      },
    );
  }

  /** A control call raced against the host's death and a timeout (comlink never rejects on its own). */
  async #call<T>(call: (control: SocketControl) => Promise<Outcome<T>>, timeoutMs: number | null): Promise<T> {
    const channel = this.#channel;
    if (!channel || this.#closed) throw new SocketClosedError(`Socket ${this.id} is not running`);
    const outcome = await channel.call(call, timeoutMs, `Socket ${this.id}`);
    if (!outcome.ok) throw fromWire(outcome.error);
    return outcome.value;
  }

  /** Ops no live host holds wait until their deadline, then fail with NoNodeError. */
  #armExpiry(): void {
    if (this.#hostLive || this.#closed || this.#expiryTimer !== undefined) return;
    let next = Infinity;
    for (const pending of this.#pending) next = Math.min(next, pending.deadline);
    if (next === Infinity) return;
    this.#expiryTimer = setTimeout(() => {
      this.#expiryTimer = undefined;
      if (this.#hostLive || this.#closed) return;
      const now = Date.now();
      const why = this.#channel === null ? 'has not been started (call manager.init())' : 'is restarting on a new worker';
      for (const pending of this.#pending.filter((p) => p.deadline <= now)) {
        this.#pending.splice(this.#pending.indexOf(pending), 1);
        pending.reject(new NoNodeError(`Socket ${this.id} ${why}; the op waited ${this.#config.readyTimeout} ms`, pending.generation !== -1));
      }
      this.#armExpiry();
    }, Math.max(0, next - Date.now()));
  }

  #failWaiters(error: LavalinkError): void {
    for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(error);
  }
}

/** Stats from a frame, field by field: a malformed one must not break `penalties` or `ideal`. */
function readStats(frame: Record<string, unknown>): NodeStats {
  const n = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const part = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const memory = part(frame.memory);
  const cpu = part(frame.cpu);
  const frames = frame.frameStats === null || frame.frameStats === undefined ? null : part(frame.frameStats);
  return {
    players: n(frame.players),
    playingPlayers: n(frame.playingPlayers),
    uptime: n(frame.uptime),
    memory: { free: n(memory.free), used: n(memory.used), allocated: n(memory.allocated), reservable: n(memory.reservable) },
    cpu: { cores: n(cpu.cores), systemLoad: n(cpu.systemLoad), lavalinkLoad: n(cpu.lavalinkLoad) },
    frameStats: frames ? { sent: n(frames.sent), nulled: n(frames.nulled), deficit: n(frames.deficit) } : null,
  };
}

function assertNever(value: never): never {
  throw new LavalinkError(ErrorCode.BadFrame, `Unknown host event ${JSON.stringify(value)}`);
}
