/** The stall scenario's table: per client, over repetitions. */
import { CATCH_UP_TARGET_MS } from '../harness/stall-outcome.js';
import { median, spread } from '../harness/stats.js';
import { markdownTable, metaList, PEERS, textTable, type Cells } from '../harness/tables.js';
import type { StallSample } from '../scenarios/stall.js';

export interface StallRow {
  readonly client: string;
  readonly runs: number;
  readonly failed: number;
  readonly invalid: number;
  readonly kept: number;
  readonly lost: readonly number[];
  readonly sent: number;
  /** Catch-up of the runs that caught up at all. */
  readonly catchUpMs: readonly number[];
  readonly metTarget: number;
  readonly skipped: string | null;
}

export function summariseStall(samples: readonly StallSample[], skipped: Readonly<Record<string, string>>): StallRow[] {
  const clients = [...new Set(samples.map((s) => s.client))];
  const rows: StallRow[] = clients.map((client) => {
    const mine = samples.filter((s) => s.client === client);
    const counted = mine.filter((s) => s.failure === null && s.valid);
    return {
      client,
      runs: mine.length,
      failed: mine.filter((s) => s.failure !== null).length,
      invalid: mine.filter((s) => s.failure === null && !s.valid).length,
      kept: counted.filter((s) => s.connectionKept).length,
      lost: counted.map((s) => s.trackEventsLost),
      sent: mine[0]?.trackEventsSent ?? 0,
      catchUpMs: counted.flatMap((s) => (s.catchUpMs === null ? [] : [s.catchUpMs])),
      metTarget: counted.filter((s) => s.metTarget).length,
      skipped: null,
    };
  });
  for (const [client, reason] of Object.entries(skipped)) rows.push({ client, runs: 0, failed: 0, invalid: 0, kept: 0, lost: [], sent: 0, catchUpMs: [], metTarget: 0, skipped: reason });
  return rows;
}

const header = ['client', 'connection kept', 'track events lost (max)', 'caught up, ms (spread)', `target met (kept, 0 lost, <= ${CATCH_UP_TARGET_MS} ms)`, 'notes'];

function cells(rows: readonly StallRow[]): Cells[] {
  return rows.map((r) => {
    if (r.skipped !== null) return [r.client, '-', '-', '-', '-', `skipped: ${r.skipped}`];
    const counted = r.runs - r.failed - r.invalid;
    const [lo, hi] = spread(r.catchUpMs);
    const caught = r.catchUpMs.length === 0 ? 'never' : `${median(r.catchUpMs).toFixed(1)}${r.catchUpMs.length > 1 ? ` (${lo.toFixed(1)}–${hi.toFixed(1)})` : ''}${r.catchUpMs.length < counted ? `, never in ${counted - r.catchUpMs.length}` : ''}`;
    const notes = [r.failed > 0 ? `${r.failed} failed` : '', r.invalid > 0 ? `${r.invalid} invalid` : ''].filter(Boolean).join(', ');
    return [
      r.client,
      `${r.kept}/${counted}`,
      r.lost.length === 0 ? '-' : `${median(r.lost)}/${r.sent} (${Math.max(...r.lost)})`,
      caught,
      `${r.metTarget}/${counted}`,
      notes,
    ];
  });
}

export const stallTable = (rows: readonly StallRow[]): string => textTable(header, cells(rows));

export function stallMarkdown(rows: readonly StallRow[], meta: Record<string, unknown>): string {
  return `# stall: a busy main thread against a node that drops clients missing a pong\n\n${metaList(meta)}\n\n${markdownTable(header, cells(rows))}\n`;
}

/** One line: lavathread worker against the peer that came out best (kept first, then fewest lost, then fastest). */
export function stallHeadline(rows: readonly StallRow[]): string | null {
  const describe = (r: StallRow): string => {
    const counted = r.runs - r.failed - r.invalid;
    const caught = r.catchUpMs.length === 0 ? 'never caught up' : `caught up in ${median(r.catchUpMs).toFixed(1)} ms`;
    return `connection kept ${r.kept}/${counted}, ${r.lost.length === 0 ? '-' : median(r.lost)}/${r.sent} track events lost, ${caught}`;
  };
  const own = rows.find((r) => r.client === 'lavathread-worker' && r.skipped === null);
  const score = (r: StallRow): [number, number, number] => [-r.kept, r.lost.length === 0 ? Infinity : median(r.lost), r.catchUpMs.length === 0 ? Infinity : median(r.catchUpMs)];
  const peers = rows.filter((r) => PEERS.includes(r.client) && r.skipped === null && r.runs > r.failed);
  const best = [...peers].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  })[0];
  if (!own) return null;
  return `lavathread worker: ${describe(own)}${best ? `; best peer ${best.client}: ${describe(best)}` : ''}`;
}
