/**
 * msgpack encoding of event batches, with the frozen shared structures of structures.ts.
 *
 * One encoder per event port, one decoder per port on the other side: {@link EventKind.Updates}
 * events name guilds by slot in a table both keep (a guild's id travels once, the first time it
 * is named), so the main thread never hashes a freshly decoded id string. Batches arrive in order
 * and whole, which is all the table needs to stay the same on both sides.
 */
import { Packr, Unpackr } from 'msgpackr';
import { EventKind, type EventBatch, type HostEvent } from './events.js';
import { sharedStructures } from './structures.js';

const options = () => ({
  structures: sharedStructures.map((keys) => [...keys]),
  maxSharedStructures: sharedStructures.length,
  // Values like `undefined` inside frames must survive; records keep objects' key order.
  useRecords: true,
});

/** Past this many guilds the table starts over (slot 0 again), so it cannot grow for ever. */
const MAX_SLOTS = 65_536;

/**
 * An Updates event as it travels. `first`: the slot of `names[0]`, the guilds named for the first
 * time here; the decoder's table is cut to `first` and extended (0 after a start-over).
 */
export interface WireUpdates {
  readonly kind: typeof EventKind.Updates;
  readonly socketId: string;
  readonly first: number;
  readonly names: readonly string[];
  /** Uint32 slots, as bytes. */
  readonly slots: Uint8Array;
  /** Float64 values, as bytes (msgpack has no typed arrays). */
  readonly values: Uint8Array;
}

export class BatchEncoder {
  readonly #packr = new Packr(options());
  readonly #slots = new Map<string, number>();
  /** Events the encoder could not take (never a Lavalink frame the connection let through). */
  dropped = 0;

  /**
   * Encodes into an exact-size copy: `pack()` returns a view of msgpackr's shared buffer, which the
   * next `pack()` overwrites, and which must not be transferred. An event that cannot be encoded
   * is dropped (and counted) without costing the others.
   */
  encode(batch: EventBatch): Uint8Array {
    // Slots are given out once, before packing: a retry must not name a guild twice or never.
    const events = batch.events.map((event) => (event.kind === EventKind.Updates ? this.#toWire(event) : event));
    try {
      return new Uint8Array(this.#packr.pack({ seq: batch.seq, events }));
    } catch {
      const kept = events.filter((event) => {
        try {
          this.#packr.pack(event);
          return true;
        } catch {
          this.dropped++;
          return false;
        }
      });
      return new Uint8Array(this.#packr.pack({ seq: batch.seq, events: kept }));
    }
  }

  #toWire(event: Extract<HostEvent, { kind: typeof EventKind.Updates }>): WireUpdates {
    if (this.#slots.size + event.guilds.length > MAX_SLOTS) this.#slots.clear();
    const first = this.#slots.size;
    const names: string[] = [];
    const slots = new Uint32Array(event.guilds.length);
    event.guilds.forEach((guildId, i) => {
      let slot = this.#slots.get(guildId);
      if (slot === undefined) {
        slot = this.#slots.size;
        this.#slots.set(guildId, slot);
        names.push(guildId);
      }
      slots[i] = slot;
    });
    return { kind: event.kind, socketId: event.socketId, first, names, slots: bytes(slots), values: bytes(event.values) };
  }
}

export class BatchDecoder {
  readonly #unpackr = new Unpackr(options());
  #names: string[] = [];

  decode(bytes: Uint8Array): EventBatch {
    const batch = this.#unpackr.unpack(bytes) as { seq: number; events: (HostEvent | WireUpdates)[] };
    // No loop here, only in the leaf functions below. A batch of thousands of events (a bot's
    // startup) gets a long loop on-stack-replaced with what that batch fed it; V8 (Node 20) then
    // entered that code again on every later batch and bailed out where the startup batch never
    // went: 560 bailouts in 6 s of the realistic bench, most of the main thread's CPU there.
    const size = columnsSize(batch.events);
    if (size > 0) this.#fromWireAll(batch.events, new Columns(size));
    return batch as EventBatch;
  }

  /** Replaces each wire Updates event with its columns, in one buffer for the batch: a new ArrayBuffer costs ~2 µs (measured here). */
  #fromWireAll(events: (HostEvent | WireUpdates)[], columns: Columns): void {
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (isWire(event)) events[i] = this.#fromWire(event, columns);
    }
  }

  #fromWire(event: WireUpdates, columns: Columns): HostEvent {
    // A start-over is a new table, so nothing cached by slot for the old one is ever read again.
    if (event.first < this.#names.length) this.#names = [];
    const names = this.#names;
    appendAll(names, event.names);
    const values = new Float64Array(columns.buffer, columns.take(event.values), event.values.byteLength / 8);
    const slots = new Uint32Array(columns.buffer, columns.take(event.slots), event.slots.byteLength / 4);
    return { kind: EventKind.Updates, socketId: event.socketId, guilds: guildsOf(slots, names), values, slots, table: names };
  }
}

function isWire(event: HostEvent | WireUpdates): event is WireUpdates {
  return event.kind === EventKind.Updates && 'first' in event;
}

/** Bytes the batch's wire Updates need as aligned columns (0: none). */
function columnsSize(events: readonly (HostEvent | WireUpdates)[]): number {
  let size = 0;
  for (const event of events) size += isWire(event) ? aligned(event.slots.byteLength) + event.values.byteLength : 0;
  return size;
}

function appendAll(to: string[], from: readonly string[]): void {
  for (const name of from) to.push(name);
}

function guildsOf(slots: Uint32Array, names: readonly string[]): string[] {
  const guilds = new Array<string>(slots.length);
  for (let i = 0; i < slots.length; i++) guilds[i] = names[slots[i]!]!;
  return guilds;
}

function bytes(array: Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** `n` rounded up to a multiple of 8. */
function aligned(n: number): number {
  return (n + 7) & ~7;
}

/**
 * One batch's columns, copied into a buffer of their own: typed arrays need aligned memory, not a
 * view into the batch (msgpackr hands out slices of it at any offset).
 */
class Columns {
  readonly buffer: ArrayBuffer;
  #at = 0;

  constructor(size: number) {
    this.buffer = new ArrayBuffer(size);
  }

  /** Copies `bytes` in at the next 8-byte boundary and answers that offset. */
  take(bytes: Uint8Array): number {
    const at = this.#at;
    new Uint8Array(this.buffer, at, bytes.byteLength).set(bytes);
    this.#at = aligned(at + bytes.byteLength);
    return at;
  }
}
