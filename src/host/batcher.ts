/**
 * One per host: gathers every event its sockets produce and posts them to the main thread as
 * msgpack batches. Waking the main thread costs far more than decoding an event (100–250 µs
 * measured here, against ~0.03 µs per columnar update), so `playerUpdate`/`stats` wait up to the
 * flush window while track events and state changes go at once. Plain playerUpdates travel as
 * columns (ipc/updates.ts): a socket's run of them is one Updates event, ended by any other event
 * of that socket, so the order of each socket's events holds. Urgent events of one turn of the
 * worker's event loop share a wake-up (a microtask flushes them). When the main thread stops
 * acking (a stall; acks come through shared memory, ipc/acks.ts), the batcher keeps only the latest
 * `playerUpdate` per guild and the latest `stats` per socket; nothing else is ever dropped.
 */
import type { MessagePort } from 'node:worker_threads';
import type { AckBoard, AckNudge } from '../ipc/acks.js';
import { BatchEncoder } from '../ipc/codec.js';
import { EventKind, type HostEvent } from '../ipc/events.js';
import { appendUpdate, FIELDS } from '../ipc/updates.js';
import { readUpdateBytes } from '../ipc/update-bytes.js';
import type { NodeFrame } from '../protocol/frames.js';
import type { NodeEvent } from '../protocol/node-events.js';
import type { Clock } from './clock.js';

/** Behind the main thread this long counts as a stall, not load (ms). */
const STALL_MS = 100;

export interface BatcherOptions {
  /** ms a low-priority event may wait; 0 = next turn of the event loop. */
  readonly flushWindowMs: number;
  /** Where the main thread acks batches (its EventReceiver holds the other side). */
  readonly acks: AckBoard;
  /**
   * An urgent event goes at once unless the last flush was less than this long ago (ms); then it
   * goes when the gap is over, with whatever else came. @default 0: a gap of 2 ms tripled the
   * track events' p50 latency at 50k and 100k frames/s (0.25 → 0.9 ms) and saved no main-thread
   * CPU measurably (bench flood, side by side; the worker's other savings were the same without it).
   */
  readonly urgentGapMs?: number;
  /**
   * Flush when this many events are waiting. @default 5000: above a window's worth at 100k/s, so
   * the window, not the count, sets the wake-ups there (2000 cost ~0.03 µs/event more, bench
   * flood); a batch of 5000 updates is ~1 ms of main-thread work.
   */
  readonly maxEvents?: number;
  /** Unacked batches beyond which the main thread counts as behind. */
  readonly maxUnacked?: number;
  /**
   * Where the flush window and the stall detection read time and set timers. Tests pass a manual
   * one to step through a window or a stall without sleeping. @default the real clock
   */
  readonly clock?: BatcherClock;
}

/** Time and timers for the Batcher; consulted per flush and per ack, never per event. Monotonic. */
export type BatcherClock = Clock;

const realClock: BatcherClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};

/** A socket's playerUpdates since its last other event; a null guild was replaced by a newer one. */
class UpdateRun {
  readonly guilds: (string | null)[] = [];
  readonly values: number[] = [];
  constructor(readonly socket: string) {}

  toEvent(): HostEvent | null {
    const guilds: string[] = [];
    const values = new Float64Array(this.values.length);
    let n = 0;
    this.guilds.forEach((guildId, i) => {
      if (guildId === null) return;
      guilds.push(guildId);
      for (let f = 0; f < FIELDS; f++) values[n * FIELDS + f] = this.values[i * FIELDS + f]!;
      n++;
    });
    if (n === 0) return null;
    return { kind: EventKind.Updates, socketId: this.socket, guilds, values: n * FIELDS === values.length ? values : values.slice(0, n * FIELDS) };
  }
}

export class Batcher {
  readonly #port: MessagePort;
  readonly #encoder = new BatchEncoder();
  readonly #windowMs: number;
  readonly #urgentGapMs: number;
  readonly #acks: AckBoard;
  readonly #maxEvents: number;
  readonly #maxUnacked: number;
  readonly #clock: BatcherClock;
  /** Waiting events; a slot is null where a newer event of the same key replaced it. */
  #events: (HostEvent | UpdateRun | null)[] = [];
  /** Events waiting, each playerUpdate of a run counted. */
  #count = 0;
  /** Per socket, the run still taking playerUpdates. */
  #open = new Map<string, UpdateRun>();
  /** Index in #events of the latest stats per socket, while coalescing. */
  #latest = new Map<string, number>();
  /** Where the latest playerUpdate per socket and guild waits, while coalescing. */
  #latestUpdate = new Map<string, { run: UpdateRun; index: number }>();
  #seq = 0;
  /** Whether events wait for an ack: set when too many batches are unacked, cleared by the nudge. */
  #waiting = false;
  /** When the last batch went (clock time). */
  #lastFlush = -Infinity;
  /** Until then (clock time), low-priority events go at once: just back from a stall. */
  #eagerUntil = 0;
  /** When the main thread fell behind (clock time); 0 while it keeps up. */
  #behindSince = 0;
  #timer: unknown;
  #urgent = false;
  /** Events replaced by newer ones while the main thread was behind. */
  coalesced = 0;

  constructor(port: MessagePort, options: BatcherOptions) {
    this.#port = port;
    this.#windowMs = options.flushWindowMs;
    this.#urgentGapMs = options.urgentGapMs ?? 0;
    this.#acks = options.acks;
    this.#maxEvents = options.maxEvents ?? 5000;
    this.#maxUnacked = options.maxUnacked ?? 4;
    this.#clock = options.clock ?? realClock;
    port.on('message', (message: AckNudge) => {
      if (message?.nudge !== true || !this.#waiting) return;
      // The main thread acked a batch, not necessarily enough of them: still too many out, wait on.
      if (this.#acks.wait(() => this.#unacked())) return;
      this.#waiting = false;
      // Back: what waited goes now. After a real stall, for one window what comes goes as it
      // comes too: the bot's view of its players is fresh at once, not a window later, for a few
      // wake-ups once per stall. A short spell behind is load, not a stall: there, extra
      // wake-ups would cost the main thread when it can least afford them.
      const now = this.#clock.now();
      if (now - this.#behindSince >= STALL_MS) this.#eagerUntil = now + this.#windowMs;
      this.#behindSince = 0;
      if (this.#count > 0) this.#schedule(true);
    });
  }

  /** Events the encoder could not take (never a Lavalink frame the connection let through). */
  get dropped(): number {
    return this.#encoder.dropped;
  }

  /** Queues an event; `urgent` ones (track events, state) flush at the next microtask. */
  push(event: HostEvent, urgent: boolean): void {
    if (!urgent && event.kind === EventKind.Frame && this.#pushUpdate(event.socketId, event.frame)) return;
    this.#add(event, urgent);
  }

  /**
   * Queues a frame from a node. A plain playerUpdate joins its socket's columns and is never read;
   * any other frame is read with `read` into the Frame event's `event` (so the flood of updates
   * costs no object per update).
   */
  pushFrame(socket: string, frame: NodeFrame, read: (frame: NodeFrame) => NodeEvent | null, urgent: boolean): void {
    if (!urgent && this.#pushUpdate(socket, frame)) return;
    this.#add({ kind: EventKind.Frame, socketId: socket, frame, event: read(frame) }, urgent);
  }

  /** Queues a frame's bytes if they are a plain playerUpdate (ipc/update-bytes.ts); false, taking nothing, if not. */
  pushUpdate(socket: string, bytes: Buffer): boolean {
    return this.#pushUpdate(socket, bytes);
  }

  #add(event: HostEvent, urgent: boolean): void {
    // Any other event of the socket ends its run: later updates go after it.
    this.#open.delete(event.socketId);
    const key = urgent ? undefined : coalescingKey(event);
    if (key !== undefined && this.#behind) {
      // The stale one leaves its slot; the new one goes last, so order with track events holds.
      const at = this.#latest.get(key);
      if (at !== undefined) {
        this.#events[at] = null;
        this.#count--;
        this.coalesced++;
      }
      this.#latest.set(key, this.#events.length);
    }
    this.#events.push(event);
    this.#count++;
    if (this.#behind) return; // waits for the next ack
    this.#schedule(urgent || this.#count >= this.#maxEvents || this.#eager());
  }

  /** Adds a plain playerUpdate (a frame, or its bytes) to its socket's run; false for any other frame. */
  #pushUpdate(socket: string, frame: Record<string, unknown> | Buffer): boolean {
    const open = this.#open.get(socket);
    const run = open ?? new UpdateRun(socket);
    const guildId = Buffer.isBuffer(frame) ? readUpdateBytes(frame, run.values) : appendUpdate(frame, run.values);
    if (guildId === null) return false;
    if (!open) {
      this.#open.set(socket, run);
      this.#events.push(run);
    }
    if (this.#behind && this.#coalesce(socket, guildId, run)) return true;
    run.guilds.push(guildId);
    this.#count++;
    if (this.#behind) return true; // waits for the next ack
    this.#schedule(this.#count >= this.#maxEvents || this.#eager());
    return true;
  }

  /**
   * While behind, only the latest update per guild waits. One in the same run is overwritten in
   * place (no other event of the socket lies between); one in an earlier run leaves it. Answers
   * whether the new values (just appended to `run.values`) took an older update's place.
   */
  #coalesce(socket: string, guildId: string, run: UpdateRun): boolean {
    const key = `${socket}\u0000${guildId}`;
    const at = this.#latestUpdate.get(key);
    if (at?.run === run) {
      const added = run.values.splice(run.values.length - FIELDS, FIELDS);
      for (let f = 0; f < FIELDS; f++) run.values[at.index * FIELDS + f] = added[f]!;
      this.coalesced++;
      return true;
    }
    if (at) {
      at.run.guilds[at.index] = null;
      this.#count--;
      this.coalesced++;
    }
    this.#latestUpdate.set(key, { run, index: run.guilds.length });
    return false;
  }

  /** Sends what is waiting now (used before a socket task ends). */
  flush(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#urgent = false;
    const waiting = this.#events;
    this.#events = [];
    this.#count = 0;
    this.#open.clear();
    this.#latest.clear();
    this.#latestUpdate.clear();
    const events: HostEvent[] = [];
    for (const item of waiting) {
      const event = item instanceof UpdateRun ? item.toEvent() : item;
      if (event) events.push(event);
    }
    if (events.length === 0) return;
    const bytes = this.#encoder.encode({ seq: ++this.#seq, events });
    this.#port.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
    this.#lastFlush = this.#clock.now();
    if (!this.#waiting && this.#unacked()) {
      this.#waiting = this.#acks.wait(() => this.#unacked());
      if (this.#waiting) this.#behindSince = this.#lastFlush;
    }
  }

  #unacked(): boolean {
    return this.#seq - this.#acks.acked >= this.#maxUnacked;
  }

  /** Whether low-priority events go at once (the window after a stall); ends itself. */
  #eager(): boolean {
    if (this.#eagerUntil === 0) return false;
    if (this.#clock.now() < this.#eagerUntil) return true;
    this.#eagerUntil = 0;
    return false;
  }

  /** Behind: the main thread has too many batches unacked; events wait for its ack. */
  get #behind(): boolean {
    return this.#waiting;
  }

  #schedule(now: boolean): void {
    if (now) {
      if (this.#urgent) return;
      this.#urgent = true;
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
      // Just flushed: what is urgent now waits out the gap, so a burst shares one wake-up.
      const wait = this.#lastFlush + this.#urgentGapMs - this.#clock.now();
      if (wait > 0) {
        this.#timer = this.#clock.setTimeout(() => this.flush(), wait);
        return;
      }
      // A microtask lets the rest of one socket read (many frames) join the batch.
      queueMicrotask(() => {
        if (this.#urgent) this.flush();
      });
    } else if (!this.#timer && !this.#urgent) {
      if (this.#windowMs === 0) {
        this.#timer = this.#clock.setTimeout(() => this.flush(), 0);
      } else {
        this.#timer = this.#clock.setTimeout(() => this.flush(), this.#windowMs);
      }
    }
  }
}

/** Low-priority frames (other than plain playerUpdates) that a newer one of the same key makes stale. */
function coalescingKey(event: HostEvent): string | undefined {
  if (event.kind !== EventKind.Frame) return undefined;
  const { op, guildId } = event.frame as { op?: unknown; guildId?: unknown };
  if (op === 'playerUpdate' && typeof guildId === 'string') return `${event.socketId}\u0000${guildId}`;
  if (op === 'stats') return `${event.socketId}\u0000stats`;
  return undefined;
}
