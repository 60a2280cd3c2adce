/**
 * How busy and how late one thread's event loop is: its utilisation (cumulative, so any number of
 * readers can take deltas of their own) and its delay over the last whole window. Started on the
 * first read, never before: a bot that never asks for metrics pays for no probe, and the probe's
 * timer is a wake-up every `RESOLUTION_MS` (at 1 ms resolution a probe cost ~20 ms of CPU a second
 * in the benchmarks; at 20 ms it costs a twentieth of that).
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

const RESOLUTION_MS = 20;
/** Delay percentiles cover this much time; a read between windows answers the last whole one. */
export const DELAY_WINDOW_MS = 10_000;

/** Event-loop delay beyond the probe's resolution, in ms. */
export interface LoopDelay {
  /** The median delay, ms. */
  readonly p50: number;
  /** The 99th percentile, ms. */
  readonly p99: number;
  /** The longest delay seen, ms. */
  readonly max: number;
}

/** Milliseconds the loop spent idle and active since the thread started (performance.eventLoopUtilization()). */
export interface LoopTime {
  readonly idle: number;
  readonly active: number;
}

export interface LoopReading {
  readonly loop: LoopTime;
  /** Over the last whole window (or the time since the first read, before one has passed). */
  readonly delay: LoopDelay;
}

/** The histogram holds whole timer intervals; the delay is what exceeds the resolution. */
const late = (ns: number): number => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - RESOLUTION_MS) : 0);

export class LoopProbe {
  #histogram: IntervalHistogram | null = null;
  #windowStart = 0;
  /** The last whole window's delay; null before one has passed. */
  #last: LoopDelay | null = null;

  read(): LoopReading {
    const now = performance.now();
    if (this.#histogram === null) {
      this.#histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      this.#histogram.enable();
      this.#windowStart = now;
    }
    const histogram = this.#histogram;
    const current: LoopDelay = histogram.count === 0 ? { p50: 0, p99: 0, max: 0 } : { p50: late(histogram.percentile(50)), p99: late(histogram.percentile(99)), max: late(histogram.max) };
    if (now - this.#windowStart >= DELAY_WINDOW_MS) {
      this.#last = current;
      histogram.reset();
      this.#windowStart = now;
    }
    const { idle, active } = performance.eventLoopUtilization();
    return { loop: { idle, active }, delay: this.#last ?? current };
  }

  stop(): void {
    this.#histogram?.disable();
    this.#histogram = null;
  }
}
