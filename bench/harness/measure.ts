/** What one client process measures about itself while a scenario runs. */
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface Measurement {
  /** CPU of the main thread, ns (from /proc/thread-self/schedstat: Node 20 has no thread CPU API). */
  mainCpuNs: number;
  /** CPU of the whole process (all threads), ns. */
  processCpuNs: number;
  /** Share of the window the main thread's event loop was busy, 0..1. */
  elu: number;
  /** Event-loop delay over the window, ms. */
  delay: { p50: number; p99: number; max: number };
  /** RSS at the end of the window. */
  rssBytes: number;
  /** Peak RSS within the window (see {@link startPeakRss}). */
  rssPeakBytes: number;
  heapBytes: number;
  wallMs: number;
}

const RESOLUTION_MS = 20;

export function threadCpuNs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
}

function processCpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

const late = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);

/** How often the fallback samples RSS: a wake-up each, so rarely. */
const RSS_SAMPLE_MS = 250;

/**
 * Starts tracking this process's peak RSS; the returned function answers it. Linux keeps the
 * peak itself (VmHWM) and resets it when 5 is written to clear_refs (since 4.0): exact, and no
 * wake-ups. Where that write fails, RSS is sampled every 250 ms instead, and at the end.
 */
function startPeakRss(): () => number {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return () => {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      return Math.max(kb === undefined ? 0 : Number(kb) * 1024, process.memoryUsage.rss());
    };
  } catch {
    let peak = process.memoryUsage.rss();
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), RSS_SAMPLE_MS).unref();
    return () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    };
  }
}

/** Starts measuring; the returned function stops and answers the figures of the window. */
export function startMeasuring(): () => Measurement {
  // Each sample is a timer wake-up: at 1 ms resolution the probe alone costs ~20 ms of CPU per
  // second, billed to every client alike, which flattens the ratios at low rates.
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const elu0: EventLoopUtilization = performance.eventLoopUtilization();
  const main0 = threadCpuNs();
  const proc0 = processCpuNs();
  const wall0 = performance.now();
  const rssPeak = startPeakRss();
  return () => {
    const main1 = threadCpuNs();
    const proc1 = processCpuNs();
    const elu = performance.eventLoopUtilization(elu0).utilization;
    delay.disable();
    const memory = process.memoryUsage();
    return {
      mainCpuNs: main1 - main0,
      processCpuNs: proc1 - proc0,
      elu,
      // The histogram holds whole timer intervals; the delay is what exceeds the resolution.
      delay: { p50: late(delay.percentile(50)), p99: late(delay.percentile(99)), max: late(delay.max) },
      rssBytes: memory.rss,
      rssPeakBytes: rssPeak(),
      heapBytes: memory.heapUsed,
      wallMs: performance.now() - wall0,
    };
  };
}
