/** msgpack encoding of event batches, with the frozen shared structures of structures.ts. */
import { Packr, Unpackr } from 'msgpackr';
import type { EventBatch } from './events.js';
import { sharedStructures } from './structures.js';

const options = () => ({
  structures: sharedStructures.map((keys) => [...keys]),
  maxSharedStructures: sharedStructures.length,
  // Values like `undefined` inside frames must survive; records keep objects' key order.
  useRecords: true,
});

export class BatchEncoder {
  readonly #packr = new Packr(options());

  /**
   * Encodes into an exact-size copy: `pack()` returns a view of msgpackr's shared buffer, which the
   * next `pack()` overwrites, and which must not be transferred.
   */
  encode(batch: EventBatch): Uint8Array {
    return new Uint8Array(this.#packr.pack(batch));
  }
}

export class BatchDecoder {
  readonly #unpackr = new Unpackr(options());

  decode(bytes: Uint8Array): EventBatch {
    return this.#unpackr.unpack(bytes) as EventBatch;
  }
}
