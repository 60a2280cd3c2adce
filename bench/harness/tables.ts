/** Plain-text and Markdown tables, and the "against the best peer" figure every scenario prints. */

/** The libraries lavathread is measured against: "the best peer" is the best of these. */
export const PEERS = ['shoukaku', 'lavalink-client', 'lavaclient', 'aqualink'];

export type Cells = readonly string[];

export function textTable(header: Cells, lines: readonly Cells[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: Cells): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}

export function markdownTable(header: Cells, lines: readonly Cells[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
}

export function metaList(meta: Record<string, unknown>): string {
  return Object.entries(meta)
    .map(([k, v]) => `- ${k}: ${String(v)}`)
    .join('\n');
}

/**
 * A client's figure against the lowest of the peers' (lower is better); null without a peer
 * figure. `value` answers null for a client whose figure does not count (failed, rejected).
 */
export function vsBestPeer<T extends { client: string }>(rows: readonly T[], client: string, value: (row: T) => number | null): { ratio: number; best: number; peer: string } | null {
  const own = rows.find((r) => r.client === client);
  const mine = own ? value(own) : null;
  let best: { value: number; peer: string } | null = null;
  for (const row of rows) {
    if (!PEERS.includes(row.client)) continue;
    const v = value(row);
    if (v !== null && Number.isFinite(v) && (best === null || v < best.value)) best = { value: v, peer: row.client };
  }
  if (mine === null || best === null || best.value <= 0) return null;
  return { ratio: mine / best.value, best: best.value, peer: best.peer };
}

export const ratio = (r: { ratio: number } | null): string => (r === null ? '-' : `${r.ratio.toFixed(2)}x`);
