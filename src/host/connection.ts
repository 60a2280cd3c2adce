/**
 * The worker-side engine of one socket: the life of its connection to the node (open, version
 * detection, session, close, reconnect, a refusal that stops it for good). Its parts each do one
 * job: the send side (sender.ts: queue, v3 confirmation, resuming), reconnect timing
 * (reconnects.ts), dead-peer detection (heartbeat.ts), the WebSocket of each attempt
 * (ws-attempt.ts), and what the main thread is told (report.ts). It asks the node's adapter
 * wherever the protocol versions differ, and close-codes.ts what a close means.
 */
import { AuthFailedError, ErrorCode, LavalinkError, RestError, SocketClosedError } from '../errors.js';
import type { SocketTaskInit } from '../ipc/control.js';
import { EventKind } from '../ipc/events.js';
import type { SocketConfig } from '../socket-options.js';
import type { AdapterContext, ProtocolAdapter } from '../protocol/adapter.js';
import { CloseDecision, closeDecision, closeRow } from '../protocol/close-codes.js';
import { parseFrame, type NodeFrame } from '../protocol/frames.js';
import type { NodeEvent } from '../protocol/node-events.js';
import type { OutgoingOp } from '../protocol/ops.js';
import type { RestRequest } from '../protocol/rest.js';
import { adapterFor, detectAdapter } from '../protocol/versions.js';
import { Heartbeat } from './heartbeat.js';
import { WsAttempt } from './ws-attempt.js';
import { Reconnects } from './reconnects.js';
import { initialState, Report, type EventSink } from './report.js';
import { RestClient } from './rest-client.js';
import { Sender } from './sender.js';

export class Connection {
  readonly config: SocketConfig;
  readonly #report: Report;
  readonly #rest: RestClient;
  readonly #sender: Sender;
  readonly #heartbeat: Heartbeat;
  readonly #reconnects: Reconnects;
  #adapter: ProtocolAdapter | null;
  #userId: string | null;
  /** The current attempt's WebSocket; null between connections. */
  #link: WsAttempt | null = null;
  /** A session is open: ops may go. */
  #usable = false;
  #closedForGood = false;
  /** The code the last connection closed with, for the errors of ops that find none open. */
  #lastCloseCode: number | null = null;
  /** Between the start of an attempt and its WebSocket existing (version detection runs there). */
  #opening = false;
  readonly #done: Promise<void>;
  #finish!: () => void;

  constructor(init: SocketTaskInit, events: EventSink) {
    const config = (this.config = init.config);
    const scheme = config.secure ? 'https' : 'http';
    this.#adapter = adapterFor(init.resume?.version ?? config.version);
    this.#userId = init.userId;
    const report = (this.#report = new Report(config.id, events, initialState(init, this.#adapter?.version ?? null)));
    this.#rest = new RestClient({
      baseUrl: `${scheme}://${config.host}:${config.port}`,
      password: config.password,
      timeoutMs: config.restTimeout,
      clientName: config.clientName,
      ca: config.ca,
      observe: (call) => report.emit({ kind: EventKind.Rest, socketId: config.id, ...call }, false),
    });
    this.#sender = new Sender(
      {
        config,
        report,
        adapter: () => this.#adapter!,
        usable: () => this.#usable,
        context: () => this.#context(),
        ping: (payload) => this.#link?.ping(payload) ?? false,
        whyDown: () => (this.#reconnects.gone ? 'is gone (its reconnect tries ran out)' : report.state.connected ? 'has no session yet' : 'is not connected'),
      },
      init.resume?.key ?? null,
    );
    this.#heartbeat = new Heartbeat({ ping: () => this.#link?.ping(this.#sender.heartbeatPayload()) ?? false, terminate: () => this.#link?.terminate(), debug: (message) => report.debug(message) }, config);
    this.#reconnects = new Reconnects(config, report, () => void this.#open());
    this.#done = new Promise((resolve) => (this.#finish = resolve));
    if (this.#userId !== null) this.connect(this.#userId);
  }

  /** Settles when the socket is closed for good. */
  get done(): Promise<void> {
    return this.#done;
  }

  connect(userId: string): void {
    if (this.#closedForGood) return;
    this.#userId = userId;
    if (this.#opening || this.#link || this.#reconnects.waiting) return; // already connecting or waiting to
    void this.#open();
  }

  send(op: OutgoingOp, deadline: number, replay = false): Promise<void> {
    if (this.#closedForGood) return Promise.reject(new SocketClosedError('The socket is closed', this.#lastCloseCode));
    return this.#sender.send(op, deadline, replay);
  }

  /** Turns resuming on now (it is also done after every open when `resuming` is set); answers the key. */
  async configureResuming(): Promise<string | null> {
    if (this.#closedForGood) throw new SocketClosedError('The socket is closed', this.#lastCloseCode);
    await this.#sender.send('configureResuming', Date.now() + this.config.readyTimeout, false);
    return this.#report.state.resumeKey;
  }

  rest(method: string, path: string, body?: unknown): Promise<unknown> {
    return this.#rest.request(method, path, body);
  }

  /** A typed REST request; needs the protocol version, so it waits for detection if need be. */
  async request(request: RestRequest): Promise<unknown> {
    return (await this.#knownAdapter()).request(request, this.#context());
  }

  /** Closes for good: no reconnect; queued ops reject; resolves once the socket is closed. */
  async close(code: number, reason: string): Promise<void> {
    if (this.#closedForGood) return this.#done;
    this.#closedForGood = true;
    this.#clearTimers();
    await this.#sender.closing();
    this.#sender.rejectAll(new SocketClosedError('The socket was closed', code));
    const link = this.#link;
    if (link && !link.isClosed) await link.shutDown(code, reason);
    else this.#end();
    return this.#done;
  }

  /**
   * Takes back the queued ops of a guild whose player moved to another node (they go there
   * instead); the one on its way now cannot be taken back. Answers how many were taken.
   */
  cancel(guildId: string): number {
    return this.#sender.cancel(guildId);
  }

  // ---------------------------------------------------------------- connecting

  async #open(): Promise<void> {
    if (this.#closedForGood || this.#userId === null || this.#opening) return;
    this.#opening = true;
    try {
      const adapter = await this.#knownAdapter();
      if (this.#closedForGood) return;
      this.#createSocket(adapter, this.#userId);
    } catch (error) {
      // Detection failed, or `ws` refused the URL or headers at once: one failed attempt.
      this.#link = null;
      if (error instanceof RestError && (error.status === 401 || error.status === 403)) return this.#stopForGood(new AuthFailedError(this.config.id, error.status));
      this.#reconnects.failed(error);
      if (!this.#closedForGood) this.#reconnects.schedule();
    } finally {
      this.#opening = false;
    }
  }

  async #knownAdapter(): Promise<ProtocolAdapter> {
    if (!this.#adapter) {
      this.#adapter = await detectAdapter(this.#rest, (message) => this.#report.debug(message));
      this.#report.set({ version: this.#adapter.version });
    }
    return this.#adapter;
  }

  #createSocket(adapter: ProtocolAdapter, userId: string): void {
    const { config } = this;
    const resumeWith = this.#sender.resumeKey;
    const url = `${config.secure ? 'wss' : 'ws'}://${config.host}:${config.port}${adapter.wsPath}`;
    this.#report.debug(`connecting to ${url}${resumeWith !== null ? ' (resuming)' : ''}`);
    const options = { headers: adapter.handshakeHeaders(config, userId, resumeWith), handshakeTimeout: config.deadAfter, maxFrameBytes: config.maxFrameBytes, ca: config.ca };
    // Every event checks it is about the current socket: a replaced one must not speak.
    const link: WsAttempt = new WsAttempt(url, options, {
      refused: (status) => this.#onRefused(link, status),
      open: () => this.#onOpen(link),
      message: (frame, binary) => {
        if (link === this.#link) this.#onMessage(frame, binary);
      },
      pong: (payload) => {
        if (link === this.#link) this.#onPong(payload);
      },
      error: (failure) => {
        if (link !== this.#link) return;
        if (this.#report.state.connected) this.#report.error(failure);
        else this.#reconnects.failed(failure);
      },
      close: (code, reason) => this.#onClose(link, code, reason),
    });
    this.#link = link;
  }

  /** A refused handshake: the password is wrong (never retried), or the node is not ready yet. */
  #onRefused(link: WsAttempt, status: number): void {
    if (link !== this.#link) return;
    if (status === 401 || status === 403) {
      this.#link = null;
      link.terminate();
      return this.#stopForGood(new AuthFailedError(this.config.id, status));
    }
    this.#reconnects.failed(new LavalinkError(ErrorCode.Connection, `The node refused the WebSocket handshake (HTTP ${status})`));
    link.terminate();
  }

  #onOpen(link: WsAttempt): void {
    if (link !== this.#link) return;
    this.#reconnects.opened();
    this.#report.set({ connected: true, remaining: this.config.maxTries });
    this.#report.debug('connected');
    this.#heartbeat.start();
    if (this.#adapter!.readyOnOpen) this.#onSessionReady(link.resumed, this.#report.state.sessionId);
  }

  #onMessage(bytes: Buffer, binary: boolean): void {
    this.#heartbeat.heard();
    // Most frames are plain playerUpdates: they join their columns straight from the bytes.
    if (!binary && this.#report.update(bytes)) return;
    const message = parseFrame(binary ? '' : bytes.toString('utf8'), binary);
    if (message instanceof LavalinkError) return this.#report.error(message);
    if (message.op === 'ready') {
      const sessionId = typeof message.sessionId === 'string' ? message.sessionId : null;
      if (this.#adapter!.readyOnOpen) this.#report.set({ sessionId });
      else this.#onSessionReady(message.resumed === true, sessionId);
    }
    const lowPriority = message.op === 'playerUpdate' || message.op === 'stats';
    this.#report.frame(message, this.#read, !lowPriority);
  }

  /** What a frame means, by the node's adapter; a reader that threw loses the meaning, never the frame. */
  readonly #read = (frame: NodeFrame): NodeEvent | null => {
    try {
      return this.#adapter!.readEvent(frame);
    } catch {
      return null;
    }
  };

  #onPong(payload: string): void {
    this.#heartbeat.heard();
    if (this.#sender.onPong(payload) !== 'heartbeat') return;
    const roundTrip = this.#heartbeat.ponged();
    if (roundTrip !== null) this.#report.set({ ping: roundTrip });
  }

  #onSessionReady(resumed: boolean, sessionId: string | null): void {
    this.#usable = true;
    this.#report.set({ sessionId });
    this.#report.ready(resumed, sessionId);
    this.#report.debug(resumed ? `session ${sessionId ?? ''} resumed` : `session ${sessionId ?? '(v3)'} ready`);
    this.#sender.sessionOpened(resumed);
  }

  #onClose(link: WsAttempt, code: number, reason: string): void {
    if (link !== this.#link) return;
    this.#link = null;
    this.#lastCloseCode = code;
    const wasOpen = this.#report.state.connected;
    this.#usable = false;
    this.#heartbeat.stop();
    this.#sender.linkClosed();
    this.#report.set({ connected: false });
    const decision = closeDecision(code, { accepted: link.heard, resumable: this.#report.state.resumable });
    // Only a connection that was open closes; a failed attempt was told as such.
    if (wasOpen) this.#report.closed(code, reason, decision);
    this.#report.debug(`closed (${code}${reason ? `, ${reason}` : ''})`);
    if (this.#closedForGood) return this.#end();
    switch (decision) {
      case CloseDecision.GiveUp: {
        const why = `${code} ${closeRow(code).name}${reason ? `: ${reason}` : ''}`;
        return this.#stopForGood(new SocketClosedError(`Node ${this.config.id} closed the connection before taking it (${why}); it will not be tried again`, code));
      }
      case CloseDecision.Failover:
        this.#report.debug('the node dropped our session with the connection: nothing to resume; it is probed for new players');
        this.#sender.sessionLost();
        return this.#reconnects.schedule();
      case CloseDecision.Resume:
      case CloseDecision.Retry:
        // Even a resuming reconnect waits its backoff (at least retryDelay), so a flapping node is
        // not hammered; the handshake presents the resume key, and the node says if it took it.
        return this.#reconnects.schedule();
    }
  }

  /** The node refuses us in a way no retry can change (a wrong password): queued ops reject, and the socket ends. */
  #stopForGood(error: LavalinkError): void {
    this.#closedForGood = true;
    this.#usable = false;
    this.#clearTimers();
    this.#report.set({ connected: false });
    this.#report.error(error);
    this.#sender.rejectAll(error);
    this.#report.disconnected(true, error);
    this.#end();
  }

  #end(): void {
    this.#clearTimers();
    void this.#rest.close().catch(() => {});
    this.#finish();
  }

  #context(): AdapterContext {
    return {
      rest: this.#rest,
      sessionId: this.#report.state.sessionId,
      writeFrame: (text) => this.#link?.write(text) ?? Promise.reject(new SocketClosedError('The WebSocket is not open', this.#lastCloseCode)),
    };
  }

  #clearTimers(): void {
    this.#reconnects.stop();
    this.#sender.stop();
    this.#heartbeat.stop();
  }
}
