/**
 * Runs sockets: one instance per worker thread (or one per inline transport). Each socket is a
 * long-lived task with a comlink control port; every socket of the host shares one event channel
 * and one Batcher, so a window flushes the whole host in one wake-up of the main thread.
 */
import * as Comlink from 'comlink';
import { MessagePort } from 'node:worker_threads';
import { toWire } from '../errors.js';
import type { Outcome, SocketControl, SocketTaskInit } from '../ipc/control.js';
import { AckBoard } from '../ipc/acks.js';
import { packPayload } from '../ipc/payload.js';
import { decodeTracks } from '../protocol/track-codec.js';
import { Batcher } from './batcher.js';
import { Connection } from './connection.js';
import { threadReport } from './thread-report.js';

/** A task as the transport hands it over: its init plus its two ports and the events' ack board. */
export interface SocketTask extends SocketTaskInit {
  readonly control: MessagePort;
  readonly events: MessagePort;
  /** Shared with the main side's EventReceiver (ipc/acks.ts). */
  readonly acks: SharedArrayBuffer;
}

/** Whether a piscina task is a socket task (a worker entry refuses anything else). */
export function isSocketTask(task: unknown): task is SocketTask {
  if (typeof task !== 'object' || task === null) return false;
  const { config, control, events, acks } = task as Partial<SocketTask>;
  return typeof config === 'object' && config !== null && control instanceof MessagePort && events instanceof MessagePort && acks instanceof SharedArrayBuffer;
}

async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: toWire(error) };
  }
}

/** A bulk answer, packed and moved (ipc/payload.ts). */
async function packed(work: () => Promise<unknown>): Promise<Outcome<Uint8Array>> {
  const result = await outcome(async () => packPayload(await work()));
  return result.ok ? Comlink.transfer(result, [result.value.buffer as ArrayBuffer]) : result;
}

export class SocketHost {
  /** Adds calls to each socket's control (lavathread/testing's test worker adds its faults). */
  readonly #extend: (control: SocketControl) => SocketControl;
  #batcher: Batcher | null = null;
  #live = 0;

  constructor(extend: (control: SocketControl) => SocketControl = (control) => control) {
    this.#extend = extend;
  }

  /** Sockets running on this host now. */
  get live(): number {
    return this.#live;
  }

  /** Runs one socket until it is closed for good (or gives up). */
  async run(task: SocketTask): Promise<void> {
    if (this.#batcher === null) {
      this.#batcher = new Batcher(task.events, { flushWindowMs: task.flushWindowMs, acks: new AckBoard(task.acks) });
    } else {
      // The host already has its event channel; events of every socket are tagged with its id.
      task.events.close();
    }
    const batcher = this.#batcher;
    const connection = new Connection(task, batcher);
    const control: SocketControl = {
      connect: (userId) => connection.connect(userId),
      send: (op, deadline) => outcome(() => connection.send(op, deadline)),
      replay: (op, deadline) => outcome(() => connection.send(op, deadline, true)),
      configureResuming: () => outcome(() => connection.configureResuming()),
      close: (code, reason) => outcome(() => connection.close(code, reason)),
      cancel: (guildId) => connection.cancel(guildId),
      rest: (method, path, body) => packed(() => connection.rest(method, path, body)),
      request: (request) => packed(() => connection.request(request)),
      decode: (tracks) => packed(() => Promise.resolve(decodeTracks(tracks))),
      thread: () => threadReport(this.#live),
    };
    Comlink.expose(this.#extend(control), task.control);
    this.#live++;
    try {
      await connection.done;
    } finally {
      this.#live--;
      batcher.flush();
      // After the reply to a pending close() has gone out (it settles in microtasks from here).
      setImmediate(() => task.control.close());
    }
  }
}
