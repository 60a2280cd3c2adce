/**
 * Keeps one socket running on a host (a worker, or the main thread with `workers: 0`): starts it,
 * hands it the socket's ops in order, notices when its worker dies and starts it again on a new
 * one (at once the first time, then backing off: a crash loop counts against `maxTries`), and
 * sends again what the dead host may not have delivered.
 */
import { backoff } from '../backoff.js';
import { ErrorCode, fromWire, LavalinkError, SocketClosedError, WorkerExitedError } from '../errors.js';
import type { Outcome, SocketControl, SocketTaskInit } from '../ipc/control.js';
import type { SocketConfig } from '../socket-options.js';
import type { OutgoingOp } from '../protocol/ops.js';
import { PendingOps, type PendingOp } from './pending-ops.js';
import type { WorkerLink } from './worker-link.js';

/** A host that ran this long before dying was not in a crash loop. */
const STABLE_HOST_MS = 10_000;

type Resume = SocketTaskInit['resume'];

/** What the supervisor needs from the socket it runs. */
export interface SupervisedSocket {
  readonly config: SocketConfig;
  readonly flushWindowMs: number;
  /** Starts a host for the socket (the manager's transport). */
  startHost(init: SocketTaskInit): WorkerLink;
  /** The session a restarted host presents to resume, from the socket's mirrored state. */
  resumeState(): Resume;
  /** Whether the node can resume (kept across restarts). */
  resumable(): boolean;
  /** The host died; a new one follows. */
  hostLost(error: LavalinkError): void;
  /** The host kept dying right after its start: the socket stops for good. */
  gaveUp(error: LavalinkError): void;
}

export class HostSupervisor {
  readonly #socket: SupervisedSocket;
  readonly #pending = new PendingOps();
  #link: WorkerLink | null = null;
  /** The link's host runs (false before the first start and between a host's death and its restart). */
  #live = false;
  #generation = 0;
  /** Hosts lost since the last ready: a worker that dies at once again is restarted ever more slowly. */
  #losses = 0;
  /** When the current host last had a session; a crash loop is judged from it. */
  #readySince = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** connect() was called: from then on the node is one to wait for, not one never asked for. */
  #connecting = false;

  constructor(socket: SupervisedSocket) {
    this.#socket = socket;
  }

  /** Whether a host was ever started. */
  get started(): boolean {
    return this.#link !== null;
  }

  /** Ops sent but not yet acknowledged by the node, oldest first. */
  get queue(): readonly OutgoingOp[] {
    return this.#pending.ops.map((p) => p.op);
  }

  get queued(): number {
    return this.#pending.size;
  }

  /** The current link, for a test worker's extra calls (lavathread/testing). */
  get link(): WorkerLink | null {
    return this.#link;
  }

  /** Starts the host on the first call; asks a running one to connect (again). */
  connect(userId: string, resume: Resume): void {
    this.#connecting = true;
    if (this.#link === null) this.#start(userId, resume);
    else this.#link.call((control) => control.connect(userId), null).catch(() => {});
  }

  /** The host has a session: it is not in a crash loop. */
  markReady(): void {
    this.#readySince = Date.now();
  }

  /** Resolves once the node took the op; see Socket.send. */
  send(op: OutgoingOp): Promise<void> {
    return new Promise((resolve, reject) => {
      // Voice credentials and a destroy must reach the node whenever it is back (a player without
      // voice plays silently; one never destroyed plays twice): they wait for it as long as it
      // takes. Before connect() (the manager's init()) they wait `readyTimeout`, as every op does.
      const waitsForever = this.#connecting && (op.op === 'voiceUpdate' || op.op === 'destroy');
      const pending: PendingOp = { op, resolve, reject, generation: -1, deadline: waitsForever ? Infinity : Date.now() + this.#socket.config.readyTimeout };
      this.#pending.add(pending);
      if (this.#live) this.#dispatch(pending, false);
      else this.#armExpiry();
    });
  }

  /**
   * A control call raced against the host's death and a timeout (comlink never rejects on its
   * own); an error the host answers is rebuilt as its typed class.
   */
  async call<T>(call: (control: SocketControl) => Promise<Outcome<T>>, timeoutMs: number | null): Promise<T> {
    const link = this.#link;
    if (!link || this.#closed) throw new SocketClosedError(`Socket ${this.#socket.config.id} is not running`);
    const outcome = await link.call(call, timeoutMs, `Socket ${this.#socket.config.id}`);
    if (!outcome.ok) throw fromWire(outcome.error);
    return outcome.value;
  }

  /**
   * A guild's player is moving to another node: takes back its ops not yet acknowledged here
   * (from this side and from the host's queue), so they go to the new node, in order, with their
   * promises. The one on its way now may still reach this node.
   */
  takeQueued(guildId: string): PendingOp[] {
    const taken = this.#pending.take(guildId);
    if (taken.length > 0) this.#link?.call((control) => control.cancel(guildId), null).catch(() => {});
    return taken;
  }

  /** Ops another node gave up for a player that moved here: sent as if sent here first. */
  carry(taken: readonly PendingOp[]): void {
    for (const pending of taken) {
      pending.generation = -1;
      this.#pending.add(pending);
      if (this.#live) this.#dispatch(pending, false);
    }
    this.#armExpiry();
  }

  /** Hands ops not yet given to the current host over to it, in order. */
  flush(): void {
    if (!this.#live) return;
    for (const pending of this.#pending.ops) {
      // An op a dead host had taken may have reached the node: the new host replays it carefully.
      if (pending.generation !== this.#generation) this.#dispatch(pending, pending.generation !== -1);
    }
  }

  /** Rejects every pending op (the socket stopped for good). */
  failPending(error: LavalinkError): void {
    this.#pending.rejectAll(error);
  }

  /** Closes the host (a close frame to the node, 1000) and settles everything. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#restartTimer);
    this.#pending.stopExpiry();
    const link = this.#link;
    const closed = new SocketClosedError(`Socket ${this.#socket.config.id} was closed`);
    if (link) {
      // Calls still out settle now, not when (or if) the host answers them.
      link.abandon(closed);
      const closing = link.call((control) => control.close(1000, 'destroy'), 5000);
      await Promise.race([closing.catch(() => undefined), link.done.catch(() => undefined)]);
      link.release(closed);
    }
    this.#pending.rejectAll(new SocketClosedError(`Socket ${this.#socket.config.id} was closed`));
  }

  /** Stops supervising without closing the host's node link (it stopped on its own, for good). */
  stop(error: LavalinkError): void {
    this.#closed = true;
    clearTimeout(this.#restartTimer);
    this.#pending.rejectAll(error);
  }

  #start(userId: string, resume: Resume): void {
    const socket = this.#socket;
    const link = socket.startHost({ config: socket.config, userId, resume, flushWindowMs: socket.flushWindowMs, resumable: socket.resumable() });
    this.#link = link;
    this.#live = true;
    this.#generation++;
    link.done.then(
      () => undefined,
      (error: unknown) => this.#onHostLost(link, userId, error),
    );
    this.flush();
  }

  /** The worker died: come back on a new worker with the resume key, and resend. */
  #onHostLost(link: WorkerLink, userId: string, error: unknown): void {
    if (this.#closed || link !== this.#link) return;
    this.#live = false;
    link.release(new WorkerExitedError());
    this.#socket.hostLost(error instanceof LavalinkError ? error : new WorkerExitedError());
    const resume = this.#socket.resumeState();
    // Ops the dead host had taken stay pending until the node confirmed them (v3: a pong after
    // the frame), so each one it may have lost goes again from the new host.
    this.#pending.dropSupersededPlays();
    // A host that ran well for a while died by accident; one that keeps dying right after its
    // start is a crash loop: it backs off, and counts against maxTries like failed connections.
    if (this.#readySince !== 0 && Date.now() - this.#readySince > STABLE_HOST_MS) this.#losses = 0;
    this.#readySince = 0;
    this.#armExpiry();
    const { maxTries, retryDelay, maxRetryDelay } = this.#socket.config;
    if (maxTries !== -1 && this.#losses >= maxTries) {
      this.#socket.gaveUp(new WorkerExitedError(`Socket ${this.#socket.config.id}: its worker kept dying`));
      return;
    }
    // The first restart is immediate (resume is time-bound); the next ones back off.
    const delay = this.#losses++ === 0 ? 0 : backoff(this.#losses, Math.max(retryDelay, 100), maxRetryDelay);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (!this.#closed) this.#start(userId, resume);
    }, delay);
  }

  #dispatch(pending: PendingOp, replay: boolean): void {
    const link = this.#link!;
    pending.generation = this.#generation;
    const call = link.call((control) => (replay ? control.replay(pending.op, pending.deadline) : control.send(pending.op, pending.deadline)), null);
    call.then(
      (outcome) => {
        if (!this.#pending.remove(pending)) return; // settled already (closed)
        if (outcome.ok) pending.resolve();
        else pending.reject(fromWire(outcome.error));
      },
      (error: unknown) => {
        // The host died with the op in hand: it stays pending and is sent again (replayed) by
        // the next host, unless a newer host already took it. An op the host could never be
        // handed (a value that cannot be copied to it) fails alone.
        if (error instanceof WorkerExitedError || error instanceof SocketClosedError) return;
        if (!this.#pending.remove(pending)) return;
        pending.reject(error instanceof LavalinkError ? error : new LavalinkError(ErrorCode.BadOp, String(error)));
      },
    );
  }

  /** Ops no live host holds wait until their deadline, then fail with NoNodeError. */
  #armExpiry(): void {
    const { id, readyTimeout } = this.#socket.config;
    this.#pending.armExpiry(
      () => !this.#live && !this.#closed,
      () => `Socket ${id} ${this.#link === null ? 'has not been started (call manager.init())' : 'is restarting on a new worker'}`,
      readyTimeout,
    );
  }
}
