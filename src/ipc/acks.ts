/**
 * Batch acks through shared memory. The main thread writes the last batch it handled into a
 * shared counter instead of posting a message per batch: a message wakes the host's thread, which
 * costs both threads more than the batch did (~5–10 µs on the main thread and a whole wake-up on
 * the host, measured here). The host reads the counter when it decides whether the main thread is
 * behind, and only while it holds events back for an ack does it ask to be woken by one.
 *
 * The wait flag and the counter are a Dekker pair: the host sets the flag, then reads the counter;
 * the main thread writes the counter, then takes the flag. With sequentially consistent Atomics one
 * of the two sees the other's write, so an ack is never missed and never posted for nothing.
 */

const ACKED = 0;
const WAITING = 1;

/** The message a waiting host gets when an ack came (main → host, on the event port). */
export interface AckNudge {
  readonly nudge: true;
}

export class AckBoard {
  readonly buffer: SharedArrayBuffer;
  readonly #cells: Int32Array;

  /** Shares `buffer` (the other side's board), or makes a new one. */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)) {
    this.buffer = buffer;
    this.#cells = new Int32Array(buffer);
  }

  /** Main side: batch `seq` was handled. True when the host waits for it: post it an AckNudge. */
  ack(seq: number): boolean {
    Atomics.store(this.#cells, ACKED, seq);
    return Atomics.compareExchange(this.#cells, WAITING, 1, 0) === 1;
  }

  /** Host side: the last batch the main thread handled. */
  get acked(): number {
    return Atomics.load(this.#cells, ACKED);
  }

  /**
   * Host side: asks to be nudged by the next ack, unless `stillBehind` already says it came. True:
   * wait for the nudge (it will come); false: go on, no nudge is owed.
   */
  wait(stillBehind: () => boolean): boolean {
    Atomics.store(this.#cells, WAITING, 1);
    if (stillBehind()) return true;
    // The ack came meanwhile: take the flag back, unless the main thread took it (its nudge is on its way).
    return Atomics.compareExchange(this.#cells, WAITING, 1, 0) === 0;
  }
}
