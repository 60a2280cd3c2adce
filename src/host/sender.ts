/**
 * The send side of one connection: ops wait in the send queue (send-queue.ts) until a session
 * takes them, go through the node's adapter (a replayed `play` asked about first), v3 frames stay
 * kept until the node confirms them (write-confirmation.ts), and every new session gets resuming
 * configured, which leaves the key the next handshake presents.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, NoNodeError, type LavalinkError } from '../errors.js';
import type { SocketConfig } from '../socket-options.js';
import type { AdapterContext, ProtocolAdapter } from '../protocol/adapter.js';
import type { OutgoingOp } from '../protocol/ops.js';
import type { Report } from './report.js';
import { SendQueue, type QueuedOp } from './send-queue.js';
import { WriteConfirmation, type PongKind } from './write-confirmation.js';

/** What the send side needs of the connection. */
export interface SenderHost {
  readonly config: SocketConfig;
  readonly report: Report;
  /** The node's adapter; known whenever a session is open. */
  adapter(): ProtocolAdapter;
  /** Whether a session is open to take ops now. */
  usable(): boolean;
  context(): AdapterContext;
  /** Sends a ping carrying `payload` on the current link; false when none is open. */
  ping(payload: string): boolean;
  /** Why no session is open (`is not connected`...), for an op that waited in vain. */
  whyDown(): string;
}

/** How long a close waits for the node to confirm v3 frames already written. */
const CLOSE_CONFIRM_MS = 1000;

export class Sender {
  readonly #host: SenderHost;
  readonly #queue: SendQueue;
  readonly #confirmation: WriteConfirmation<QueuedOp>;
  /** What the next handshake presents to resume: v3 key or v4 session id. */
  #resumeWith: string | null;
  /** Resume keys configured so far: each session gets its own (see #nextResumeKey). */
  #resumeKeys = 0;

  constructor(host: SenderHost, resumeWith: string | null) {
    this.#host = host;
    this.#resumeWith = resumeWith;
    const { config, report } = host;
    const changed = (): void => report.set({ queued: this.#queue.length + this.#confirmation.size });
    this.#queue = new SendQueue(
      {
        usable: () => host.usable(),
        deliver: (item) => this.#deliver(item),
        isRetryable: (error) => host.adapter().isRetryable(error),
        needsConfirmation: (item) => host.adapter().writesNeedConfirmation && item.op !== 'configureResuming',
        written: (item) => this.#confirmation.wrote(item),
        changed,
        expired: (item) => new NoNodeError(`Node ${config.id} ${host.whyDown()}; the op waited ${config.readyTimeout} ms`, item.tries > 0 || item.replay),
      },
      config,
    );
    this.#confirmation = new WriteConfirmation({ ping: (payload) => host.ping(payload), changed });
  }

  /** The key the next handshake presents to resume; null: none (a new session). */
  get resumeKey(): string | null {
    return this.#resumeWith;
  }

  send(op: OutgoingOp | 'configureResuming', deadline: number, replay: boolean): Promise<void> {
    return new Promise((resolve, reject) => this.#queue.add({ op, replay, tries: 0, deadline, resolve, reject }));
  }

  cancel(guildId: string): number {
    return this.#queue.cancel(guildId);
  }

  /** A session opened: ops queued while down go first, then resuming is configured (as lavaclient does). */
  sessionOpened(resumed: boolean): void {
    this.#queue.disarmExpiry();
    if (!resumed && !this.#host.adapter().keepsResumeKeyAfterNewSession) this.#resumeWith = null; // that session is gone
    if (this.#host.config.resuming && !this.#queue.some((item) => item.op === 'configureResuming')) {
      // Closing for good takes it back (SocketClosedError): the bot asked for that, no error to tell.
      const report = (error: LavalinkError): void => void (error.code !== ErrorCode.SocketClosed && this.#host.report.error(error));
      this.#queue.push({ op: 'configureResuming', replay: false, tries: 0, deadline: Infinity, resolve: () => {}, reject: report });
    }
    void this.#queue.flush();
  }

  /** The link closed: what it had not confirmed goes first on the next one, and ops wait until their deadline. */
  linkClosed(): void {
    const again = this.#confirmation.takeBack();
    if (again.length > 0) {
      this.#queue.putFirst(again);
      this.#host.report.debug(`${again.length} ops written but unconfirmed when the link closed go again`);
    }
    this.#queue.armExpiry();
  }

  /** The node lost our session: there is nothing to resume. */
  sessionLost(): void {
    this.#resumeWith = null;
    this.#host.report.set({ resumeKey: null });
  }

  /** A pong: confirms v3 writes it covers; answers whose ping it was. */
  onPong(payload: string): PongKind | null {
    return this.#confirmation.onPong(payload);
  }

  heartbeatPayload(): string {
    return this.#confirmation.heartbeatPayload();
  }

  /** Before a close for good: v3 frames already written are worth a last confirmation. */
  async closing(): Promise<void> {
    if (this.#confirmation.size > 0) await this.#confirmation.allConfirmed(CLOSE_CONFIRM_MS);
  }

  /** Rejects everything held: the socket is closed for good. */
  rejectAll(error: LavalinkError): void {
    for (const item of [...this.#confirmation.takeAll(), ...this.#queue.takeAll()]) item.reject(error);
    this.#host.report.set({ queued: 0 });
  }

  stop(): void {
    this.#queue.stop();
  }

  async #deliver(item: QueuedOp): Promise<void> {
    const adapter = this.#host.adapter();
    const context = this.#host.context();
    if (item.op === 'configureResuming') return this.#configureResuming(adapter, context);
    // After a crash or a timeout, a `play` may already have reached the node: ask before playing it twice.
    if (item.replay && item.op.op === 'play' && (await adapter.alreadyPlaying(item.op, context))) {
      this.#host.report.debug(`replayed play for guild ${item.op.guildId} skipped: the node already plays it`);
      return;
    }
    await adapter.send(item.op, context);
  }

  async #configureResuming(adapter: ProtocolAdapter, context: AdapterContext): Promise<void> {
    if (context.sessionId === null && adapter.resumingNeedsSession) return;
    const { report } = this.#host;
    const key = await adapter.configureResuming(this.#nextResumeKey(), this.#host.config.resumeTimeout, context);
    if (key === null) {
      if (report.state.resumable) report.debug('the node cannot resume sessions: when it drops, its players move to another node at once');
      this.#resumeWith = null;
      report.set({ resumable: false, resumeKey: null });
      return;
    }
    this.#resumeWith = key;
    report.set({ resumeKey: key, resumable: true });
  }

  /**
   * A resume key per session (v3 presents it; the v4 adapter answers the session id instead): one
   * key for every session lets a node that kept an older session under it resume that one, whose
   * players are stale. A configured `resumeKey` is used as it is for the first session.
   */
  #nextResumeKey(): string {
    const n = this.#resumeKeys++;
    const base = this.#host.config.resumeKey;
    if (base === null) return randomUUID();
    return n === 0 ? base : `${base}-${n}`;
  }
}
