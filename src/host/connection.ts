/**
 * The worker-side engine of one socket: owns the WebSocket (the seed's protected `ws`), the REST
 * client, the send queue, reconnects with backoff, dead-peer detection and resuming. It talks to
 * the main thread only through the events it emits and the calls of its control port.
 */
import { randomUUID } from 'node:crypto';
import WebSocket, { type RawData } from 'ws';
import { AuthFailedError, ErrorCode, LavalinkError, NoNodeError, RestError, SocketClosedError, TimeoutError, toWire } from '../errors.js';
import type { SocketTaskInit } from '../ipc/control.js';
import { EventKind, type HostEvent, type SocketState } from '../ipc/events.js';
import type { SocketConfig } from '../options.js';
import type { AdapterContext, ProtocolAdapter } from '../protocol/adapter.js';
import { parseFrame } from '../protocol/frames.js';
import type { OutgoingOp } from '../protocol/ops.js';
import { dropSupersededPlays } from '../protocol/replay.js';
import type { RestRequest } from '../protocol/rest.js';
import { v3Adapter } from '../protocol/v3/adapter.js';
import { isSessionGone, v4Adapter, toPlayerUpdate } from '../protocol/v4/adapter.js';
import { backoff } from '../backoff.js';
import { RestClient } from './rest-client.js';

export type Emit = (event: HostEvent, urgent: boolean) => void;

interface QueuedOp {
  readonly op: OutgoingOp | 'configureResuming';
  /** Sent again after a worker crash or a timeout: a `play` is checked against the node first. */
  replay: boolean;
  tries: number;
  /** Epoch ms by which a session must be open to take it; else it rejects with NoNodeError. */
  readonly deadline: number;
  /** v3: the write count when it was written (a pong covering it confirms it). */
  seq?: number;
  resolve(): void;
  reject(error: LavalinkError): void;
}

/**
 * Deliveries of one op tried at least before it is rejected (5xx, timeouts, network), with growing
 * waits between them; more while its readyTimeout has not passed.
 */
const MAX_DELIVERY_TRIES = 6;

/** How long close() waits for the node to confirm v3 frames already written. */
const CLOSE_CONFIRM_MS = 1000;

export class Connection {
  readonly config: SocketConfig;
  readonly #emit: Emit;
  readonly #rest: RestClient;
  readonly #state: SocketState;
  readonly #queue: QueuedOp[] = [];
  #adapter: ProtocolAdapter | null;
  #userId: string | null;
  /** The WebSocket (the seed's protected `ws`); null between connections. */
  #ws: WebSocket | null = null;
  #usable = false;
  #closedForGood = false;
  #attempt = 0;
  /** The tries ran out (socketDisconnect was sent): the node is probed at the capped backoff. */
  #gone = false;
  /** The current outage's first failed attempt was reported; the next ones go to debug only. */
  #outageReported = false;
  /** The last failed attempt's error, told with socketDisconnect. */
  #lastFailure: LavalinkError | null = null;
  #expiryTimer: NodeJS.Timeout | undefined;
  /** What the next handshake presents to resume: v3 key or v4 session id. */
  #resumeWith: string | null;
  /** v3 resume keys configured so far: each session gets its own (see #nextV3Key). */
  #v3Keys = 0;
  /**
   * v3: ops written but not yet known to have been read by the node, oldest first. A pong that
   * answers a ping sent after them confirms them (the node reads a connection in order); the
   * ones a reset link took are written again on the next connection, resumed or not.
   */
  readonly #unconfirmed: QueuedOp[] = [];
  #written = 0;
  /** A ping asking the node to confirm what was written is out. */
  #confirming = false;
  #drainWaiters: (() => void)[] = [];
  #resumedHeader = false;
  /** Between the start of an attempt and its WebSocket existing (version detection runs there). */
  #opening = false;
  #lastDeadCheck = 0;
  #flushing = false;
  /** The op being handed to the node right now: the one a cancel cannot take back. */
  #delivering: QueuedOp | null = null;
  #lastHeard = 0;
  #pingSentAt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #retryFlushTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #deadTimer: NodeJS.Timeout | undefined;
  readonly #done: Promise<void>;
  #finish!: () => void;

  constructor(init: SocketTaskInit, emit: Emit) {
    this.config = init.config;
    this.#emit = emit;
    const scheme = init.config.secure ? 'https' : 'http';
    this.#rest = new RestClient({
      baseUrl: `${scheme}://${init.config.host}:${init.config.port}`,
      password: init.config.password,
      timeoutMs: init.config.restTimeout,
      clientName: init.config.clientName,
      ca: init.config.ca,
    });
    this.#adapter = init.config.version === 3 ? v3Adapter : init.config.version === 4 ? v4Adapter : null;
    if (init.resume) this.#adapter = init.resume.version === 3 ? v3Adapter : v4Adapter;
    this.#userId = init.userId;
    this.#resumeWith = init.resume?.key ?? null;
    this.#state = {
      connected: false,
      remaining: init.config.maxTries,
      resumeKey: init.resume?.key ?? null,
      sessionId: init.resume?.sessionId ?? null,
      version: this.#adapter?.version ?? null,
      ping: -1,
      queued: 0,
      resumable: init.config.resuming && init.resumable,
    };
    this.#done = new Promise((resolve) => (this.#finish = resolve));
    this.#emitState(this.#state);
    if (this.#userId !== null) this.connect(this.#userId);
  }

  /** Settles when the socket is closed for good. */
  get done(): Promise<void> {
    return this.#done;
  }

  connect(userId: string): void {
    if (this.#closedForGood) return;
    this.#userId = userId;
    if (this.#opening || this.#ws || this.#reconnectTimer) return; // already connecting or waiting to
    void this.#open();
  }

  send(op: OutgoingOp, deadline: number, replay = false): Promise<void> {
    return this.#enqueue(op, replay, deadline);
  }

  /** Turns resuming on now (it is also done after every open when `resuming` is set); answers the key. */
  async configureResuming(): Promise<string | null> {
    await this.#enqueue('configureResuming', false, Date.now() + this.config.readyTimeout);
    return this.#state.resumeKey;
  }

  rest(method: string, path: string, body?: unknown): Promise<unknown> {
    return this.#rest.request(method, path, body);
  }

  /** A typed REST request; needs the protocol version, so it waits for detection if need be. */
  async request(request: RestRequest): Promise<unknown> {
    if (!this.#adapter) {
      this.#adapter = await this.#detectVersion();
      this.#setState({ version: this.#adapter.version });
    }
    return this.#adapter.request(request, this.#context());
  }

  /** Closes for good: no reconnect; queued ops reject; resolves once the socket is closed. */
  async close(code: number, reason: string): Promise<void> {
    if (this.#closedForGood) return this.#done;
    this.#closedForGood = true;
    this.#clearTimers();
    // v3: what was written is worth a last confirmation before the link goes.
    if (this.#unconfirmed.length > 0) await this.#allConfirmed(CLOSE_CONFIRM_MS);
    this.#rejectQueue(new SocketClosedError('The socket was closed'));
    const ws = this.#ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
      else ws.terminate();
      // A peer that never answers the close frame is cut off.
      const cutoff = setTimeout(() => ws.terminate(), 2000);
      await closed;
      clearTimeout(cutoff);
    } else {
      this.#end();
    }
    return this.#done;
  }

  // ---------------------------------------------------------------- connecting

  async #open(): Promise<void> {
    this.#reconnectTimer = undefined;
    if (this.#closedForGood || this.#userId === null || this.#opening) return;
    this.#opening = true;
    try {
      if (!this.#adapter) {
        this.#adapter = await this.#detectVersion();
        this.#setState({ version: this.#adapter.version });
      }
      if (this.#closedForGood) return;
      this.#createSocket(this.#adapter, this.#userId);
    } catch (error) {
      // Detection failed, or `ws` refused the URL or headers at once: one failed attempt.
      this.#ws = null;
      if (error instanceof RestError && (error.status === 401 || error.status === 403)) return this.#authFailed(error.status);
      this.#attemptFailed(error);
      this.#retry();
    } finally {
      this.#opening = false;
    }
  }

  #createSocket(adapter: ProtocolAdapter, userId: string): void {
    const url = `${this.config.secure ? 'wss' : 'ws'}://${this.config.host}:${this.config.port}${adapter.wsPath}`;
    this.#debug(`connecting to ${url}${this.#resumeWith !== null ? ' (resuming)' : ''}`);
    this.#resumedHeader = false;
    const ws = new WebSocket(url, {
      headers: adapter.handshakeHeaders(this.config, userId, this.#resumeWith),
      handshakeTimeout: this.config.deadAfter,
      maxPayload: this.config.maxFrameBytes,
      ...(this.config.ca ? { ca: this.config.ca } : {}),
      perMessageDeflate: false,
    });
    this.#ws = ws;
    ws.on('upgrade', (res) => (this.#resumedHeader = res.headers['session-resumed'] === 'true'));
    // A refused handshake: the password is wrong (never retried), or the node is not ready yet.
    ws.on('unexpected-response', (request, response) => {
      const status = response.statusCode ?? 0;
      request.destroy();
      if (ws !== this.#ws) return;
      if (status === 401 || status === 403) {
        this.#ws = null;
        ws.terminate();
        this.#authFailed(status);
        return;
      }
      this.#attemptFailed(new LavalinkError(ErrorCode.Connection, `The node refused the WebSocket handshake (HTTP ${status})`));
      ws.terminate();
    });
    ws.on('open', () => this.#onOpen(ws));
    // Every handler checks it is about the current socket: a replaced one must not speak.
    ws.on('message', (data, binary) => {
      if (ws === this.#ws) this.#onMessage(data, binary);
    });
    ws.on('pong', (data) => {
      if (ws === this.#ws) this.#onPong(data);
    });
    // `error` only reports; the `close` that always follows drives the reconnect.
    ws.on('error', (error: Error & { code?: string }) => {
      if (ws !== this.#ws) return;
      // ws closes with 1009 after this; the close drives the reconnect.
      const tooBig = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      const failure = tooBig ? new LavalinkError(ErrorCode.BadFrame, `The node sent a frame over maxFrameBytes (${this.config.maxFrameBytes})`) : new LavalinkError(ErrorCode.Connection, error.message);
      if (this.#state.connected) this.#emitError(failure);
      else this.#attemptFailed(failure);
    });
    ws.on('close', (code, reason) => this.#onClose(ws, code, reason.toString()));
  }

  /**
   * The v4 routes first: every v4 server has `GET /v4/info`, Lavalink or not, while `/version`
   * answers the server's own version (NodeLink says 2.x). Only a node without them (404) is v3.
   */
  async #detectVersion(): Promise<ProtocolAdapter> {
    try {
      const info = (await this.#rest.request('GET', '/v4/info')) as { version?: { semver?: unknown } } | null;
      const semver = info?.version?.semver;
      this.#debug(`node speaks v4 (version ${typeof semver === 'string' ? semver : 'unknown'})`);
      return v4Adapter;
    } catch (error) {
      if (!(error instanceof RestError) || error.status !== 404) throw error;
    }
    this.#debug('node has no /v4 routes: speaking v3');
    return v3Adapter;
  }

  #onOpen(ws: WebSocket): void {
    if (ws !== this.#ws) return;
    this.#attempt = 0;
    this.#gone = false;
    this.#outageReported = false;
    this.#lastFailure = null;
    this.#lastHeard = Date.now();
    this.#setState({ connected: true, remaining: this.config.maxTries });
    this.#debug('connected');
    this.#startHeartbeat();
    if (this.#adapter!.readyOnOpen) this.#onSessionReady(this.#resumedHeader, this.#state.sessionId);
  }

  #onMessage(data: RawData, binary: boolean): void {
    this.#lastHeard = Date.now();
    const message = parseFrame(binary ? '' : rawText(data), binary);
    if (message instanceof LavalinkError) return this.#emitError(message);
    if (message.op === 'ready') {
      const sessionId = typeof message.sessionId === 'string' ? message.sessionId : null;
      if (this.#adapter!.readyOnOpen) this.#setState({ sessionId });
      else this.#onSessionReady(message.resumed === true, sessionId);
    }
    const lowPriority = message.op === 'playerUpdate' || message.op === 'stats';
    this.#emit({ kind: EventKind.Frame, socket: this.config.id, frame: message }, !lowPriority);
  }

  #onSessionReady(resumed: boolean, sessionId: string | null): void {
    this.#usable = true;
    clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    if (!resumed && this.#adapter!.version === 4) this.#resumeWith = null; // that session is gone
    this.#setState({ sessionId });
    this.#emit({ kind: EventKind.Ready, socket: this.config.id, resumed, sessionId }, true);
    this.#debug(resumed ? `session ${sessionId ?? ''} resumed` : `session ${sessionId ?? '(v3)'} ready`);
    // Ops queued while down go first, then resuming is configured (spec lavaclient §3.3).
    if (this.config.resuming && !this.#queue.some((item) => item.op === 'configureResuming')) this.#queue.push(this.#internal('configureResuming'));
    void this.#flushQueue();
  }

  #onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.#ws) return;
    this.#ws = null;
    const wasOpen = this.#state.connected;
    this.#usable = false;
    this.#stopHeartbeat();
    this.#requeueUnconfirmed();
    this.#setState({ connected: false });
    this.#armExpiry();
    // Only a connection that was open closes; a failed attempt was told as such.
    if (wasOpen) this.#emit({ kind: EventKind.Close, socket: this.config.id, code, reason }, true);
    this.#debug(`closed (${code}${reason ? `, ${reason}` : ''})`);
    if (this.#closedForGood) return this.#end();
    this.#retry();
  }

  /**
   * An attempt to connect failed. The first failure of an outage is an error the bot sees; the
   * next ones, one per attempt, are detail for `debug`.
   */
  #attemptFailed(error: unknown): void {
    const failure = error instanceof LavalinkError ? error : new LavalinkError(ErrorCode.Connection, error instanceof Error ? error.message : String(error));
    this.#lastFailure = failure;
    if (this.#outageReported) return this.#debug(`attempt failed: ${failure.message}`);
    this.#outageReported = true;
    this.#emitError(failure);
  }

  /** One reconnect path: every failed or lost connection comes here. */
  #retry(): void {
    if (this.#closedForGood) return;
    const forever = this.config.maxTries === -1;
    if (!forever && this.#state.remaining <= 0) {
      if (!this.#gone) {
        // Its players go to other nodes; the node itself is still probed, and rejoins when it answers.
        this.#gone = true;
        this.#debug('no tries left: the node is gone; probing it every maxRetryDelay');
        this.#emit({ kind: EventKind.Disconnect, socket: this.config.id, final: false, error: this.#lastFailure ? toWire(this.#lastFailure) : null }, true);
      }
      this.#reconnectTimer = setTimeout(() => void this.#open(), this.config.maxRetryDelay);
      return;
    }
    if (!forever) this.#setState({ remaining: this.#state.remaining - 1 });
    this.#attempt++;
    const delay = backoff(this.#attempt, this.config.retryDelay, this.config.maxRetryDelay);
    this.#debug(`reconnecting in ${Math.round(delay)} ms (attempt ${this.#attempt}${forever ? '' : `, ${this.#state.remaining} left`})`);
    this.#reconnectTimer = setTimeout(() => void this.#open(), delay);
  }

  /** The node refused the password: trying again cannot help, so the socket stops for good. */
  #authFailed(status: number): void {
    const error = new AuthFailedError(this.config.id, status);
    this.#closedForGood = true;
    this.#usable = false;
    this.#clearTimers();
    this.#setState({ connected: false });
    this.#emitError(error);
    this.#rejectQueue(error);
    this.#emit({ kind: EventKind.Disconnect, socket: this.config.id, final: true, error: toWire(error) }, true);
    this.#end();
  }

  #end(): void {
    this.#clearTimers();
    void this.#rest.close().catch(() => {});
    this.#finish();
  }

  // ---------------------------------------------------------------- dead peers

  #startHeartbeat(): void {
    this.#stopHeartbeat();
    this.#pingTimer = setInterval(() => {
      if (this.#ws?.readyState !== WebSocket.OPEN) return;
      this.#pingSentAt = Date.now();
      // Its pong confirms what was written before it, as a confirmation ping's does.
      this.#ws.ping(`h${this.#written}`);
    }, this.config.pingInterval);
    // Checked often so a half-open connection is noticed soon after `deadAfter` of silence.
    const period = Math.max(20, Math.floor(this.config.deadAfter / 10));
    this.#lastDeadCheck = Date.now();
    this.#deadTimer = setInterval(() => {
      const now = Date.now();
      const late = now - this.#lastDeadCheck > period * 3;
      this.#lastDeadCheck = now;
      // A late check means this thread was stalled: what the node sent meanwhile is still unread
      // (timers run before I/O). Judge again next round, after it has been read.
      if (late) return;
      const silent = now - this.#lastHeard;
      if (silent > this.config.deadAfter && this.#ws) {
        this.#debug(`nothing heard for ${silent} ms: the connection is dead`);
        this.#ws.terminate();
      }
    }, period);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#pingTimer);
    clearInterval(this.#deadTimer);
    this.#pingTimer = this.#deadTimer = undefined;
  }

  #onPong(data: Buffer): void {
    this.#lastHeard = Date.now();
    const payload = data.toString('latin1');
    const kind = payload[0];
    if (kind === 'h' && this.#pingSentAt > 0) {
      this.#setState({ ping: this.#lastHeard - this.#pingSentAt });
      this.#pingSentAt = 0;
    }
    if (kind !== 'h' && kind !== 'c') return;
    this.#confirm(Number(payload.slice(1)));
    if (kind === 'c') {
      this.#confirming = false;
      this.#askConfirmation();
    }
  }

  /** v3: ops written up to write `seq` reached the node. */
  #confirm(seq: number): void {
    if (!(seq > 0)) return;
    let confirmed = 0;
    while (this.#unconfirmed.length > 0 && this.#unconfirmed[0]!.seq! <= seq) {
      this.#unconfirmed.shift()!.resolve();
      confirmed++;
    }
    if (confirmed > 0) this.#setState({ queued: this.#held() });
    if (this.#unconfirmed.length === 0) for (const wake of this.#drainWaiters.splice(0)) wake();
  }

  /** Resolves once nothing written is unconfirmed, or after `ms`. */
  #allConfirmed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#drainWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.#askConfirmation();
    });
  }

  /** v3: one ping at a time asks the node to confirm everything written before it. */
  #askConfirmation(): void {
    if (this.#confirming || this.#unconfirmed.length === 0 || this.#ws?.readyState !== WebSocket.OPEN) return;
    this.#confirming = true;
    this.#ws.ping(`c${this.#written}`);
  }

  /** Ops this host still holds: queued, and (v3) written but unconfirmed. */
  #held(): number {
    return this.#queue.length + this.#unconfirmed.length;
  }

  // ---------------------------------------------------------------- sending

  #enqueue(op: QueuedOp['op'], replay: boolean, deadline: number): Promise<void> {
    if (this.#closedForGood) return Promise.reject(new SocketClosedError('The socket is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ op, replay, tries: 0, deadline, resolve, reject });
      this.#setState({ queued: this.#held() });
      if (this.#usable) void this.#flushQueue();
      else this.#armExpiry();
    });
  }

  #internal(op: 'configureResuming'): QueuedOp {
    const report = (error: LavalinkError): void => this.#emitError(error);
    return { op, replay: false, tries: 0, deadline: Infinity, resolve: () => {}, reject: report };
  }

  /** While no session is open, queued ops wait until their deadline, then fail with NoNodeError. */
  #armExpiry(): void {
    if (this.#usable || this.#expiryTimer !== undefined) return;
    let next = Infinity;
    for (const item of this.#queue) next = Math.min(next, item.deadline);
    if (next === Infinity) return;
    this.#expiryTimer = setTimeout(() => {
      this.#expiryTimer = undefined;
      if (this.#usable) return;
      const now = Date.now();
      const expired = this.#queue.filter((item) => item.deadline <= now && item !== this.#delivering);
      if (expired.length > 0) {
        for (const item of expired) this.#queue.splice(this.#queue.indexOf(item), 1);
        this.#setState({ queued: this.#held() });
        const why = this.#gone ? 'is gone (its reconnect tries ran out)' : this.#state.connected ? 'has no session yet' : 'is not connected';
        for (const item of expired) item.reject(new NoNodeError(`Node ${this.config.id} ${why}; the op waited ${this.config.readyTimeout} ms`, item.tries > 0 || item.replay));
      }
      this.#armExpiry();
    }, Math.max(0, next - Date.now()));
  }

  /** Sends the queue in order, one op at a time; an op leaves the queue once the node took it. */
  async #flushQueue(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#usable && this.#queue.length > 0) {
        const item = this.#queue[0]!;
        try {
          this.#delivering = item;
          await this.#deliver(item);
        } catch (error) {
          const failure = error instanceof LavalinkError ? error : new LavalinkError(ErrorCode.Connection, String(error));
          // The connection went while the op was on its way: it waits for the next session.
          if (!this.#usable) return;
          // A node that answers 5xx or resets its REST connections for a while costs no command:
          // tries go on until the op's readyTimeout has passed (at least MAX_DELIVERY_TRIES).
          item.tries++;
          // (An op that waits for the node without a deadline still has only MAX_DELIVERY_TRIES once it is up.)
          if (retryable(failure) && (item.tries < MAX_DELIVERY_TRIES || (Number.isFinite(item.deadline) && Date.now() < item.deadline))) {
            // A timed-out call may have taken effect: check before playing twice.
            if (failure instanceof TimeoutError) item.replay = true;
            this.#retryFlushTimer = setTimeout(() => void this.#flushQueue(), Math.min(2000, Math.max(100, this.config.retryDelay) * 2 ** (item.tries - 1)));
            return;
          }
          this.#take(item);
          item.reject(failure);
          this.#setState({ queued: this.#held() });
          continue;
        }
        // Ops may have been put in front of it meanwhile (a link that closed gives back what it
        // had not confirmed), or it may have been settled as superseded: it leaves by identity.
        const frame = this.#adapter!.writesNeedConfirmation && item.op !== 'configureResuming';
        if (frame && !this.#usable) {
          // Written on a link that has closed since: it goes again on the next one.
          item.replay = true;
          return;
        }
        if (!this.#take(item)) continue;
        if (frame) {
          item.seq = ++this.#written;
          this.#unconfirmed.push(item);
          this.#askConfirmation();
        } else {
          item.resolve();
          this.#setState({ queued: this.#held() });
        }
      }
    } finally {
      this.#flushing = false;
      this.#delivering = null;
    }
  }

  /** Removes `item` from the queue; false when it is no longer there. */
  #take(item: QueuedOp): boolean {
    const at = this.#queue.indexOf(item);
    if (at === -1) return false;
    this.#queue.splice(at, 1);
    return true;
  }

  /**
   * Takes back the queued ops of a guild whose player moved to another node (they go there
   * instead); the one on its way now cannot be taken back. Answers how many were taken.
   */
  cancel(guildId: string): number {
    let taken = 0;
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const item = this.#queue[i]!;
      if (item === this.#delivering || item.op === 'configureResuming' || item.op.guildId !== guildId) continue;
      this.#queue.splice(i, 1);
      item.resolve(); // settled here; the main side already moved its promise to the new node
      taken++;
    }
    if (taken > 0) this.#setState({ queued: this.#held() });
    return taken;
  }

  async #deliver(item: QueuedOp): Promise<void> {
    const adapter = this.#adapter!;
    const context = this.#context();
    if (item.op === 'configureResuming') {
      if (this.#state.sessionId === null && adapter.version === 4) return;
      const key = await adapter.configureResuming(this.#nextV3Key(), this.config.resumeTimeout, context);
      if (key === null) {
        if (this.#state.resumable) this.#debug('the node cannot resume sessions: when it drops, its players move to another node at once');
        this.#resumeWith = null;
        this.#setState({ resumable: false, resumeKey: null });
        return;
      }
      this.#resumeWith = key;
      this.#setState({ resumeKey: key, resumable: true });
      return;
    }
    if (item.replay && item.op.op === 'play' && (await this.#alreadyPlaying(item.op))) {
      this.#debug(`replayed play for guild ${item.op.guildId} skipped: the node already plays it`);
      return;
    }
    await adapter.send(item.op, context);
  }

  /** After a crash, a `play` may already have reached the node: ask before playing it twice. */
  async #alreadyPlaying(op: Extract<OutgoingOp, { op: 'play' }>): Promise<boolean> {
    const sessionId = this.#state.sessionId;
    if (sessionId === null || toPlayerUpdate(op) === null) return false;
    const prefix = this.#adapter!.version === 4 ? '/v4' : '/v3';
    try {
      const player = (await this.#rest.request('GET', `${prefix}/sessions/${sessionId}/players/${op.guildId}`)) as { track?: { encoded?: unknown } | null };
      return player?.track?.encoded === op.track;
    } catch {
      return false; // 3.3 has no player REST, or the player is gone: play it
    }
  }

  #context(): AdapterContext {
    return {
      rest: this.#rest,
      sessionId: this.#state.sessionId,
      writeFrame: (text) =>
        new Promise((resolve, reject) => {
          const ws = this.#ws;
          if (!ws || ws.readyState !== WebSocket.OPEN) return reject(new SocketClosedError('The WebSocket is not open'));
          ws.send(text, (error) => (error ? reject(new SocketClosedError(`The frame was not written: ${error.message}`)) : resolve()));
        }),
    };
  }

  #rejectQueue(error: LavalinkError): void {
    for (const item of [...this.#unconfirmed.splice(0), ...this.#queue.splice(0)]) item.reject(error);
    this.#setState({ queued: 0 });
  }

  /**
   * v3: the link closed before the node confirmed these: they go first on the next connection,
   * in order, whether the session is resumed or not (a `play` is checked before it is replayed).
   */
  #requeueUnconfirmed(): void {
    this.#confirming = false;
    if (this.#unconfirmed.length === 0) return;
    const again = this.#unconfirmed.splice(0);
    for (const item of again) item.replay = true;
    this.#queue.unshift(...again);
    dropSupersededPlays(this.#queue, (item) => item.replay);
    this.#debug(`${again.length} ops written but unconfirmed when the link closed go again`);
    for (const wake of this.#drainWaiters.splice(0)) wake();
  }

  /**
   * A resume key per v3 session: one key for every session lets a node that kept an older
   * session under it resume that one, whose players are stale. A configured `resumeKey` is
   * used as it is for the first session.
   */
  #nextV3Key(): string {
    const n = this.#v3Keys++;
    const base = this.config.resumeKey;
    if (base === null) return randomUUID();
    return n === 0 ? base : `${base}-${n}`;
  }

  // ---------------------------------------------------------------- plumbing

  #clearTimers(): void {
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#retryFlushTimer);
    clearTimeout(this.#expiryTimer);
    this.#reconnectTimer = this.#retryFlushTimer = this.#expiryTimer = undefined;
    this.#stopHeartbeat();
  }

  #setState(change: Partial<SocketState>): void {
    let changed = false;
    for (const [key, value] of Object.entries(change) as [keyof SocketState, never][]) {
      if (this.#state[key] !== value) {
        this.#state[key] = value;
        changed = true;
      }
    }
    if (changed) this.#emitState(change);
  }

  #emitState(state: Partial<SocketState>): void {
    this.#emit({ kind: EventKind.State, socket: this.config.id, state: { ...state } }, true);
  }

  #emitError(error: unknown): void {
    this.#emit({ kind: EventKind.Error, socket: this.config.id, error: toWire(error) }, true);
  }

  #debug(message: string): void {
    this.#emit({ kind: EventKind.Debug, socket: this.config.id, message }, true);
  }
}

/** Failures worth another try: the node may not have seen the op (network, 5xx, timeout, closed). */
function retryable(error: LavalinkError): boolean {
  if (error instanceof SocketClosedError || error instanceof TimeoutError) return true;
  if (error instanceof RestError) return error.status === 0 || error.status >= 500 || (error.status === 404 && isSessionGone(error.body));
  return false;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
