/** Summaries of samples: medians and spread, ratios against the best peer, and the files written. */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FloodSample } from '../scenarios/flood.js';
import { median } from './stats.js';
import { markdownTable, metaList, PEERS, textTable } from './tables.js';

export interface Summary {
  readonly client: string;
  readonly rate: number;
  readonly samples: number;
  readonly rejected: boolean;
  readonly mainUs: number;
  readonly mainUsSpread: readonly [number, number];
  readonly processUs: number;
  /** Peak RSS of the client process in the measured window, MB. */
  readonly rssMb: number;
  readonly elu: number;
  readonly delayP99Ms: number;
  readonly deliveredRate: number;
  /** Send to listener of the track events, ms (null: no track events, or a client that reads no tracks). */
  readonly trackP50Ms: number | null;
  readonly trackP99Ms: number | null;
  /** Main-thread CPU per event against the best peer at this rate (null without peers). */
  readonly vsBestPeer: number | null;
  /** Whole-process CPU per event against the best peer's at this rate. */
  readonly processVsBestPeer: number | null;
}

/** The median of the figures the samples have; null when none has one. */
const medianOf = (xs: readonly (number | null | undefined)[]): number | null => {
  const have = xs.filter((x): x is number => typeof x === 'number');
  return have.length === 0 ? null : median(have);
};

export function summarise(samples: readonly FloodSample[]): Summary[] {
  const groups = new Map<string, FloodSample[]>();
  for (const s of samples) groups.set(`${s.client}\u0000${s.rate}`, [...(groups.get(`${s.client}\u0000${s.rate}`) ?? []), s]);
  const base = [...groups.values()].map((group) => {
    const main = group.map((s) => s.mainNsPerEvent / 1000);
    return {
      client: group[0]!.client,
      rate: group[0]!.rate,
      samples: group.length,
      rejected: group.some((s) => !s.verdict.ok),
      mainUs: median(main),
      mainUsSpread: [Math.min(...main), Math.max(...main)] as const,
      processUs: median(group.map((s) => s.processNsPerEvent / 1000)),
      rssMb: median(group.map((s) => s.measurement.rssPeakBytes / 2 ** 20)),
      elu: median(group.map((s) => s.measurement.elu)),
      delayP99Ms: median(group.map((s) => s.measurement.delay.p99)),
      deliveredRate: median(group.map((s) => s.deliveredRate)),
      trackP50Ms: medianOf(group.map((s) => s.trackLatency?.p50Ms)),
      trackP99Ms: medianOf(group.map((s) => s.trackLatency?.p99Ms)),
    };
  });
  return base.map((row) => {
    const peers = base.filter((p) => p.rate === row.rate && PEERS.includes(p.client) && !p.rejected);
    const best = (figure: (r: (typeof base)[number]) => number): number | null => (peers.length > 0 ? Math.min(...peers.map(figure)) : null);
    const bestMain = best((p) => p.mainUs);
    const bestProcess = best((p) => p.processUs);
    return { ...row, vsBestPeer: bestMain === null ? null : row.mainUs / bestMain, processVsBestPeer: bestProcess === null ? null : row.processUs / bestProcess };
  });
}

const HEADER = ['client', 'rate/s', 'main µs/event', 'spread', 'process µs/event', 'RSS MB (peak)', 'ELU', 'delay p99 ms', 'track event p99 ms', 'vs best peer', 'process vs best peer', 'verdict'];

const times = (x: number | null): string => (x === null ? '-' : `${x.toFixed(2)}x`);

function cells(r: Summary): string[] {
  return [
    r.client,
    String(r.rate),
    r.mainUs.toFixed(3),
    `${r.mainUsSpread[0].toFixed(3)}–${r.mainUsSpread[1].toFixed(3)}`,
    r.processUs.toFixed(3),
    r.rssMb.toFixed(0),
    r.elu.toFixed(3),
    r.delayP99Ms.toFixed(1),
    r.trackP99Ms === null ? '-' : r.trackP99Ms.toFixed(2),
    times(r.vsBestPeer),
    times(r.processVsBestPeer),
    r.rejected ? 'REJECTED' : 'ok',
  ];
}

export const table = (rows: readonly Summary[]): string => textTable(HEADER, rows.map(cells));

export function markdown(rows: readonly Summary[], meta: Record<string, unknown>): string {
  return `# flood: CPU per event (playerUpdates and track events)\n\n${metaList(meta)}\n\n${markdownTable(HEADER, rows.map(cells))}\n`;
}

/** A line chart of main-thread µs per event (log scale) by rate, one line per client. */
export function svgChart(rows: readonly Summary[]): string {
  const clients = [...new Set(rows.map((r) => r.client))];
  const rates = [...new Set(rows.map((r) => r.rate))].sort((a, b) => a - b);
  const values = rows.map((r) => r.mainUs).filter((v) => v > 0);
  const [lo, hi] = [Math.log10(Math.min(...values) / 1.5), Math.log10(Math.max(...values) * 1.5)];
  const [w, h, left, top, right, bottom] = [720, 400, 70, 30, 170, 50];
  const x = (i: number): number => left + (rates.length === 1 ? (w - left - right) / 2 : (i * (w - left - right)) / (rates.length - 1));
  const y = (v: number): number => top + ((hi - Math.log10(v)) / (hi - lo)) * (h - top - bottom);
  const colours = ['#d62728', '#ff7f0e', '#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#7f7f7f', '#17becf'];
  const parts: string[] = [];
  for (let p = Math.ceil(lo); p <= Math.floor(hi); p++) {
    parts.push(`<line x1="${left}" x2="${w - right}" y1="${y(10 ** p)}" y2="${y(10 ** p)}" stroke="#ddd"/><text x="${left - 8}" y="${y(10 ** p) + 4}" text-anchor="end" font-size="11">${10 ** p}</text>`);
  }
  rates.forEach((rate, i) => parts.push(`<text x="${x(i)}" y="${h - bottom + 18}" text-anchor="middle" font-size="11">${rate / 1000}k/s</text>`));
  clients.forEach((client, c) => {
    const points = rates
      .map((rate, i) => ({ i, row: rows.find((r) => r.client === client && r.rate === rate) }))
      .filter((p) => p.row && p.row.mainUs > 0)
      .map((p) => `${x(p.i).toFixed(1)},${y(p.row!.mainUs).toFixed(1)}`);
    const colour = colours[c % colours.length]!;
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"/>`);
    parts.push(`<text x="${w - right + 10}" y="${top + 16 * c + 10}" font-size="12" fill="${colour}">${client}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/><text x="${left}" y="18" font-size="13">main-thread CPU per event (µs, log scale)</text>${parts.join('')}<text x="${(w - right + left) / 2}" y="${h - 10}" text-anchor="middle" font-size="11">frames per second over 1000 guilds</text></svg>\n`;
}

export async function writeResults(name: string, files: Record<string, string>): Promise<string[]> {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [suffix, content] of Object.entries(files)) {
    const path = `${dir}${name}${suffix}`;
    await writeFile(path, content);
    written.push(path);
  }
  return written;
}
