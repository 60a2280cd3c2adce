/** The realistic scenario's table: medians over repetitions per client. */
import { PROCESS_TARGET, REALISTIC_MAIN_TARGET } from '../harness/targets.js';
import { median, withSpread } from '../harness/stats.js';
import { markdownTable, metaList, ratio, textTable, vsBestPeer, type Cells } from '../harness/tables.js';
import type { RealisticRun } from '../scenarios/realistic.js';

export interface RealisticRow {
  readonly client: string;
  readonly status: 'ok' | 'REJECTED' | 'FAILED';
  readonly reason: string | null;
  readonly placement: readonly number[];
  readonly mainMsPerSecond: readonly number[];
  readonly mainUsPerEvent: readonly number[];
  readonly processUsPerEvent: number;
  readonly elu: number;
  readonly delayP99Ms: number;
  readonly rssMb: number;
  readonly eventsPerSecond: number;
}

export function summariseRealistic(runs: readonly RealisticRun[]): RealisticRow[] {
  return runs.map((run) => {
    const s = run.samples;
    const rejected = s.find((x) => !x.verdict.ok);
    return {
      client: run.client,
      status: run.failure !== null ? 'FAILED' : rejected ? 'REJECTED' : 'ok',
      reason: run.failure ?? rejected?.verdict.reason ?? null,
      placement: run.placement,
      mainMsPerSecond: s.map((x) => x.mainCpuMsPerSecond),
      mainUsPerEvent: s.map((x) => x.mainUsPerEvent),
      processUsPerEvent: median(s.map((x) => x.processUsPerEvent)),
      elu: median(s.map((x) => x.measurement.elu)),
      delayP99Ms: median(s.map((x) => x.measurement.delay.p99)),
      rssMb: median(s.map((x) => x.measurement.rssPeakBytes / 2 ** 20)),
      eventsPerSecond: median(s.map((x) => (x.updatesReceived + x.trackEventsReceived) / (x.measurement.wallMs / 1000))),
    };
  });
}

const counts = (row: RealisticRow): number | null => (row.status === 'ok' && row.mainMsPerSecond.length > 0 ? median(row.mainMsPerSecond) : null);
/** Whole-process CPU per event: what moving work off the main thread costs in all. */
const processCounts = (row: RealisticRow): number | null => (row.status === 'ok' && row.mainMsPerSecond.length > 0 ? row.processUsPerEvent : null);

const header = ['client', 'events/s', 'main ms/s (spread)', 'main µs/event (spread)', 'process µs/event', 'ELU', 'delay p99 ms', 'RSS MB (peak)', 'players per node', 'vs best peer (main ms/s)', 'vs best peer (process µs/event)', 'verdict'];

function cells(rows: readonly RealisticRow[]): Cells[] {
  return rows.map((r) =>
    r.mainMsPerSecond.length === 0
      ? [r.client, '-', '-', '-', '-', '-', '-', '-', r.placement.join('/') || '-', '-', '-', `${r.status}: ${r.reason ?? ''}`]
      : [
          r.client,
          r.eventsPerSecond.toFixed(0),
          withSpread(r.mainMsPerSecond, 1),
          withSpread(r.mainUsPerEvent, 2),
          r.processUsPerEvent.toFixed(2),
          r.elu.toFixed(3),
          r.delayP99Ms.toFixed(1),
          r.rssMb.toFixed(0),
          r.placement.join('/'),
          ratio(vsBestPeer(rows, r.client, counts)),
          ratio(vsBestPeer(rows, r.client, processCounts)),
          r.status === 'ok' ? 'ok' : `${r.status}: ${r.reason ?? ''}`,
        ],
  );
}

export const realisticTable = (rows: readonly RealisticRow[]): string => textTable(header, cells(rows));

export function realisticMarkdown(rows: readonly RealisticRow[], meta: Record<string, unknown>): string {
  return `# realistic: ${String(meta['guilds'])} players over 8 nodes, a playerUpdate each per ${Number(meta['updateIntervalMs']) / 1000} s, a track change each per ${Number(meta['trackMs']) / 1000} s\n\n${metaList(meta)}\n\n${markdownTable(header, cells(rows))}\n`;
}

/** One line: lavathread worker against the best peer. */
export function realisticHeadline(rows: readonly RealisticRow[]): string | null {
  const vs = vsBestPeer(rows, 'lavathread-worker', counts);
  const own = rows.find((r) => r.client === 'lavathread-worker');
  if (!vs || !own) return null;
  const process = vsBestPeer(rows, 'lavathread-worker', processCounts);
  const whole = process ? `; whole process ${own.processUsPerEvent.toFixed(1)} µs/event against ${process.best.toFixed(1)} (${process.peer}): ${process.ratio.toFixed(2)}x (target <= ${PROCESS_TARGET}x: ${process.ratio <= PROCESS_TARGET ? 'met' : 'missed'})` : '';
  return `lavathread worker: main thread ${median(own.mainMsPerSecond).toFixed(1)} ms/s against ${vs.best.toFixed(1)} ms/s (${vs.peer}): ${vs.ratio.toFixed(2)}x (target <= ${REALISTIC_MAIN_TARGET}x: ${vs.ratio <= REALISTIC_MAIN_TARGET ? 'met' : 'missed'})${whole}`;
}
