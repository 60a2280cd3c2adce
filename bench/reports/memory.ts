/** The memory scenario's table. */
import { markdownTable, metaList, ratio, textTable, vsBestPeer, type Cells } from '../harness/tables.js';
import type { MemoryRow } from '../scenarios/memory.js';

const MB = 2 ** 20;
const last = (r: MemoryRow): { rssMb: number; heapMb: number } | null => (r.failure === null ? (r.perThousand.at(-1) ?? null) : null);

const header = ['client', 'RSS MB at 0 players', 'heap MB at 0', 'RSS MB per 1000 (to each count)', 'heap MB per 1000 (to each count)', 'vs best peer (RSS, largest count)', 'vs best peer (heap)', 'verdict'];

function cells(rows: readonly MemoryRow[], skipped: Readonly<Record<string, string>>): Cells[] {
  const lines: Cells[] = rows.map((r) => {
    const base = r.readings[0];
    return [
      r.client,
      base ? (base.rssBytes / MB).toFixed(1) : '-',
      base ? (base.heapUsedBytes / MB).toFixed(1) : '-',
      r.perThousand.map((p) => `${p.rssMb.toFixed(2)} (${p.players})`).join(', ') || '-',
      r.perThousand.map((p) => `${p.heapMb.toFixed(2)} (${p.players})`).join(', ') || '-',
      ratio(vsBestPeer(rows, r.client, (x) => last(x)?.rssMb ?? null)),
      ratio(vsBestPeer(rows, r.client, (x) => last(x)?.heapMb ?? null)),
      r.failure === null ? 'ok' : `FAILED: ${r.failure}`,
    ];
  });
  for (const [client, reason] of Object.entries(skipped)) lines.push([client, '-', '-', '-', '-', '-', '-', `skipped: ${reason}`]);
  return lines;
}

export const memoryTable = (rows: readonly MemoryRow[], skipped: Readonly<Record<string, string>>): string => textTable(header, cells(rows, skipped));

export function memoryMarkdown(rows: readonly MemoryRow[], skipped: Readonly<Record<string, string>>, meta: Record<string, unknown>): string {
  return `# memory: RSS and main-thread heap per 1000 players (after forced GC)\n\nlavathread worker: the worker thread's heap is in the process RSS, not in the heap column.\n\n${metaList(meta)}\n\n${markdownTable(header, cells(rows, skipped))}\n`;
}

/** One line: lavathread worker's growth per 1000 players at the largest count against the best peer's. */
export function memoryHeadline(rows: readonly MemoryRow[]): string | null {
  const rss = vsBestPeer(rows, 'lavathread-worker', (x) => last(x)?.rssMb ?? null);
  const heap = vsBestPeer(rows, 'lavathread-worker', (x) => last(x)?.heapMb ?? null);
  const own = rows.find((r) => r.client === 'lavathread-worker');
  const mine = own ? last(own) : null;
  if (!rss || !heap || !mine) return null;
  return `lavathread worker per 1000 players: RSS ${mine.rssMb.toFixed(2)} MB against ${rss.best.toFixed(2)} (${rss.peer}), ${rss.ratio.toFixed(2)}x (target <= 1x: ${rss.ratio <= 1 ? 'met' : 'missed'}); main heap ${mine.heapMb.toFixed(2)} MB against ${heap.best.toFixed(2)} (${heap.peer}), ${heap.ratio.toFixed(2)}x`;
}
