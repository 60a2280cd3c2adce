/**
 * The flood's targets, one table: lavathread's worker transport against the best peer at each
 * rate (main-thread CPU per event, main ELU, whole-process CPU, peak RSS, track-event latency),
 * each figure beside its target and marked met or missed. The targets are those of the
 * performance work that set them (track events mixed in, one per 100 frames).
 */
import type { Summary } from './report.js';
import { markdownTable, PEERS, textTable } from './tables.js';

const CLIENT = 'lavathread-worker';

/** Main-thread CPU per event, at most this many times the best peer's, by rate. */
export const MAIN_TARGETS: Readonly<Record<number, number>> = { 5000: 0.25, 20000: 0.2, 50000: 0.15, 100000: 0.1 };
export const ELU_TARGET = { rate: 100_000, max: 0.03 };
export const PROCESS_TARGET = 1.25;
export const RSS_TARGET_MB = 20;
export const TRACK_P99_TARGET_MS = 3;
/** Realistic (10,000 players over 8 nodes): main-thread CPU against the best peer's; the process target is PROCESS_TARGET. */
export const REALISTIC_MAIN_TARGET = 0.25;

export interface TargetRow {
  readonly figure: string;
  /** By rate: the cell, and whether it met its target (null: no target there, or no figure). */
  readonly cells: ReadonlyMap<number, { readonly text: string; readonly met: boolean | null }>;
  readonly target: string;
}

/** The best peer's row at `rate` by `value` (lower is better), or null without peers. */
function bestPeer(rows: readonly Summary[], rate: number, value: (r: Summary) => number | null): { row: Summary; value: number } | null {
  let best: { row: Summary; value: number } | null = null;
  for (const row of rows) {
    if (row.rate !== rate || !PEERS.includes(row.client) || row.rejected) continue;
    const v = value(row);
    if (v !== null && (best === null || v < best.value)) best = { row, value: v };
  }
  return best;
}

const verdict = (met: boolean | null): string => (met === null ? '' : met ? ' (met)' : ' (missed)');

export function floodTargets(rows: readonly Summary[]): TargetRow[] {
  const rates = [...new Set(rows.map((r) => r.rate))].sort((a, b) => a - b);
  const own = (rate: number): Summary | undefined => rows.find((r) => r.client === CLIENT && r.rate === rate && !r.rejected);
  const line = (figure: string, target: string, cell: (rate: number, mine: Summary) => { text: string; met: boolean | null } | null): TargetRow => {
    const cells = new Map<number, { text: string; met: boolean | null }>();
    for (const rate of rates) {
      const mine = own(rate);
      const c = mine ? cell(rate, mine) : null;
      cells.set(rate, c ?? { text: '-', met: null });
    }
    return { figure, cells, target };
  };
  return [
    line('main µs/event, lavathread worker', '', (_, mine) => ({ text: mine.mainUs.toFixed(2), met: null })),
    line('main µs/event, best peer', '', (rate) => {
      const best = bestPeer(rows, rate, (r) => r.mainUs);
      return best && { text: `${best.value.toFixed(2)} (${best.row.client})`, met: null };
    }),
    line('main CPU, ratio', Object.entries(MAIN_TARGETS).map(([rate, max]) => `≤ ${max}x at ${Number(rate) / 1000}k/s`).join(', '), (rate, mine) => {
      const best = bestPeer(rows, rate, (r) => r.mainUs);
      if (!best) return null;
      const ratio = mine.mainUs / best.value;
      const max = MAIN_TARGETS[rate];
      return { text: `${ratio.toFixed(2)}x${verdict(max === undefined ? null : ratio <= max)}`, met: max === undefined ? null : ratio <= max };
    }),
    line('main ELU, lavathread worker (best peer)', `≤ ${ELU_TARGET.max} at ${ELU_TARGET.rate / 1000}k/s`, (rate, mine) => {
      const best = bestPeer(rows, rate, (r) => r.elu);
      const met = rate === ELU_TARGET.rate ? mine.elu <= ELU_TARGET.max : null;
      return { text: `${mine.elu.toFixed(3)}${best ? ` (${best.value.toFixed(3)})` : ''}${verdict(met)}`, met };
    }),
    line('whole process µs/event, lavathread / best peer', `≤ ${PROCESS_TARGET}x`, (rate, mine) => {
      const best = bestPeer(rows, rate, (r) => r.processUs);
      if (!best) return null;
      const ratio = mine.processUs / best.value;
      return { text: `${mine.processUs.toFixed(1)} / ${best.value.toFixed(1)} = ${ratio.toFixed(2)}x${verdict(ratio <= PROCESS_TARGET)}`, met: ratio <= PROCESS_TARGET };
    }),
    line('peak RSS MB, lavathread / best peer', `≤ best peer + ${RSS_TARGET_MB} MB`, (rate, mine) => {
      const best = bestPeer(rows, rate, (r) => r.rssMb);
      if (!best) return null;
      const over = mine.rssMb - best.value;
      return { text: `${mine.rssMb.toFixed(0)} / ${best.value.toFixed(0)} (+${over.toFixed(0)})${verdict(over <= RSS_TARGET_MB)}`, met: over <= RSS_TARGET_MB };
    }),
    line('track event p99 ms, lavathread (best peer)', `≤ ${TRACK_P99_TARGET_MS} ms`, (rate, mine) => {
      if (mine.trackP99Ms === null) return null;
      const best = bestPeer(rows, rate, (r) => r.trackP99Ms);
      const met = mine.trackP99Ms <= TRACK_P99_TARGET_MS;
      return { text: `${mine.trackP99Ms.toFixed(2)}${best ? ` (${best.value.toFixed(2)})` : ''}${verdict(met)}`, met };
    }),
  ];
}

function tableCells(targets: readonly TargetRow[]): { header: string[]; lines: string[][] } {
  const rates = targets.length > 0 ? [...targets[0]!.cells.keys()] : [];
  return {
    header: ['figure', ...rates.map((r) => `${r / 1000}k/s`), 'target'],
    lines: targets.map((t) => [t.figure, ...rates.map((r) => t.cells.get(r)!.text), t.target]),
  };
}

export function targetsText(targets: readonly TargetRow[]): string {
  const { header, lines } = tableCells(targets);
  return textTable(header, lines);
}

export function targetsMarkdown(targets: readonly TargetRow[]): string {
  const { header, lines } = tableCells(targets);
  return markdownTable(header, lines);
}

/** How many figures with a target met it, of how many. */
export function targetsMet(targets: readonly TargetRow[]): { met: number; of: number } {
  let met = 0;
  let of = 0;
  for (const t of targets) {
    for (const c of t.cells.values()) {
      if (c.met === null) continue;
      of++;
      if (c.met) met++;
    }
  }
  return { met, of };
}
