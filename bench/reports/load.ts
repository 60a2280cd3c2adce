/** The load scenario's table. */
import { median, withSpread } from '../harness/stats.js';
import { markdownTable, metaList, ratio, textTable, vsBestPeer, type Cells } from '../harness/tables.js';
import type { LoadRow } from '../scenarios/load.js';

const ok = (pick: (r: LoadRow) => number[]) => (r: LoadRow): number | null => (r.ok && r.samples.length > 0 ? median(pick(r)) : null);
const ms = ok((r) => r.samples.map((s) => s.ms));
const cpu = ok((r) => r.samples.map((s) => s.mainCpuMs));

const header = ['client', 'load + decode ms (spread)', 'main CPU ms (spread)', 'vs best peer (ms)', 'vs best peer (CPU)', 'decoded by', 'verdict'];

function cells(rows: readonly LoadRow[]): Cells[] {
  return rows.map((r) =>
    r.samples.length === 0
      ? [r.client, '-', '-', '-', '-', r.via || '-', `FAILED: ${r.failure ?? ''}`]
      : [
          r.client,
          withSpread(r.samples.map((s) => s.ms), 1),
          withSpread(r.samples.map((s) => s.mainCpuMs), 1),
          ratio(vsBestPeer(rows, r.client, ms)),
          ratio(vsBestPeer(rows, r.client, cpu)),
          r.via,
          r.ok ? 'ok' : `FAILED: ${r.failure ?? ''}`,
        ],
  );
}

export const loadTable = (rows: readonly LoadRow[]): string => textTable(header, cells(rows));

export function loadMarkdown(rows: readonly LoadRow[], meta: Record<string, unknown>): string {
  return `# load: a 1000-track playlist loaded and decoded\n\n${metaList(meta)}\n\n${markdownTable(header, cells(rows))}\n`;
}

export function loadHeadline(rows: readonly LoadRow[]): string | null {
  const t = vsBestPeer(rows, 'lavathread-worker', ms);
  const c = vsBestPeer(rows, 'lavathread-worker', cpu);
  if (!t || !c) return null;
  return `lavathread worker: ${t.ratio.toFixed(2)}x the time of the fastest peer (${t.peer}, ${t.best.toFixed(1)} ms), ${c.ratio.toFixed(2)}x its main-thread CPU (best ${c.peer}, ${c.best.toFixed(1)} ms)`;
}
