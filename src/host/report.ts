/**
 * What a connection tells the main thread, through the host's event sink (its Batcher): its state,
 * each change once (the main side mirrors it in plain fields), its errors, its debug lines, and
 * the node's frames with what they mean.
 */
import { toWire, type LavalinkError } from '../errors.js';
import type { SocketTaskInit } from '../ipc/control.js';
import { EventKind, type HostEvent, type SocketState } from '../ipc/events.js';
import type { CloseDecision } from '../protocol/close-codes.js';
import type { NodeFrame } from '../protocol/frames.js';
import type { NodeEvent } from '../protocol/node-events.js';

/** Where a connection's events go: the host's Batcher. */
export interface EventSink {
  /** `urgent` events wake the main thread at once; the others ride with the next batch. */
  push(event: HostEvent, urgent: boolean): void;
  /** A frame's bytes, if they are a plain playerUpdate (ipc/update-bytes.ts): false, and nothing is taken, if not. */
  pushUpdate(socket: string, bytes: Buffer): boolean;
  /** A frame from the node, read with `read` only if it travels as a Frame event (not as columns). */
  pushFrame(socket: string, frame: NodeFrame, read: (frame: NodeFrame) => NodeEvent | null, urgent: boolean): void;
}

export class Report {
  readonly #socket: string;
  readonly #sink: EventSink;
  readonly #state: SocketState;

  /** Tells the whole initial state at once. */
  constructor(socket: string, sink: EventSink, initial: SocketState) {
    this.#socket = socket;
    this.#sink = sink;
    this.#state = { ...initial };
    this.#emitState(this.#state);
  }

  get state(): Readonly<SocketState> {
    return this.#state;
  }

  /** Changes the state; only what differs is told. */
  set(change: Partial<SocketState>): void {
    let changed = false;
    for (const [key, value] of Object.entries(change) as [keyof SocketState, never][]) {
      if (this.#state[key] !== value) {
        this.#state[key] = value;
        changed = true;
      }
    }
    if (changed) this.#emitState(change);
  }

  emit(event: HostEvent, urgent = true): void {
    this.#sink.push(event, urgent);
  }

  /** A plain playerUpdate, straight from its bytes; false if `bytes` are anything else. */
  update(bytes: Buffer): boolean {
    return this.#sink.pushUpdate(this.#socket, bytes);
  }

  frame(frame: NodeFrame, read: (frame: NodeFrame) => NodeEvent | null, urgent: boolean): void {
    this.#sink.pushFrame(this.#socket, frame, read, urgent);
  }

  /** The session is usable: v4 `ready`, v3 open. */
  ready(resumed: boolean, sessionId: string | null): void {
    this.emit({ kind: EventKind.Ready, socketId: this.#socket, resumed, sessionId });
  }

  /** An open connection closed, and what the connection does about it. */
  closed(code: number, reason: string, decision: CloseDecision): void {
    this.emit({ kind: EventKind.Close, socketId: this.#socket, code, reason, decision });
  }

  /** The node is gone (the tries ran out; it is probed), or it refused us for good (`final`). */
  disconnected(final: boolean, error: LavalinkError | null): void {
    this.emit({ kind: EventKind.Disconnect, socketId: this.#socket, final, error: error ? toWire(error) : null });
  }

  error(error: unknown): void {
    this.emit({ kind: EventKind.Error, socketId: this.#socket, error: toWire(error) });
  }

  /** Diagnostics ride with the next batch: a debug line is no reason to wake the main thread. */
  debug(message: string): void {
    this.emit({ kind: EventKind.Debug, socketId: this.#socket, message }, false);
  }

  #emitState(state: Partial<SocketState>): void {
    this.emit({ kind: EventKind.State, socketId: this.#socket, state: { ...state } });
  }
}

/** A socket's state when its task starts: what the main side passed on (a worker restart's session). */
export function initialState(init: SocketTaskInit, version: 3 | 4 | null): SocketState {
  return {
    connected: false,
    remaining: init.config.maxTries,
    resumeKey: init.resume?.key ?? null,
    sessionId: init.resume?.sessionId ?? null,
    version,
    ping: -1,
    queued: 0,
    resumable: init.config.resuming && init.resumable,
  };
}
