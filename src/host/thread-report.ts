/** The figures of the thread this module runs on, for a host's `thread()` call (manager.metrics()). */
import { getHeapStatistics } from 'node:v8';
import { threadId } from 'node:worker_threads';
import type { ThreadReport } from '../ipc/control.js';
import { LoopProbe } from '../metrics/loop-probe.js';

/** One per thread: a module is loaded once per thread, and the probe starts on the first report. */
const probe = new LoopProbe();

export function threadReport(sockets: number): ThreadReport {
  const { loop, delay } = probe.read();
  const heap = getHeapStatistics();
  return { threadId, sockets, loop, delay, heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size };
}
