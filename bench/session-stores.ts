/**
 * The realistic scenario with the session store on: lavathread's worker transport keeping its
 * sessions in a FileSessionStore and in a RedisSessionStore, side by side in one run, the two
 * alternating round by round (each round starts with the other one) so that a noisy machine
 * weighs on both alike. The figure is the main thread's CPU, what a bot's own work competes with;
 * the target is Redis within 10% of the file store.
 *
 *   node --import tsx bench/session-stores.ts [--rounds 4] [--players 10000] [--seconds 10] [--warmup 3]
 *
 * Results: bench/results/<date>-session-stores.json and .md.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { writeResults } from './harness/report.js';
import { median } from './harness/stats.js';
import { sessionStoreEnv } from './harness/store-env.js';
import { runRealistic } from './scenarios/realistic.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    players: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
  },
});
const rounds = Number(values.rounds);
const players = Number(values.players);
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20) || !(players >= 8 && players <= 50_000) || !(seconds > 0 && seconds <= 60) || !(warmupSeconds >= 0)) {
  throw new Error('bad --rounds (1 to 20), --players (8 to 50000), --seconds (up to 60) or --warmup');
}

const CLIENTS = ['lavathread-file-store', 'lavathread-redis-store'] as const;
type Store = (typeof CLIENTS)[number];
const stores = await sessionStoreEnv(CLIENTS);
const figures: Record<Store, number[]> = { 'lavathread-file-store': [], 'lavathread-redis-store': [] };
const rows: { round: number; client: Store; mainCpuMsPerSecond: number; mainUsPerEvent: number; processUsPerEvent: number }[] = [];
console.log(`session stores: realistic, ${players} players over 8 nodes, ${seconds} s per round after ${warmupSeconds} s of warm-up, ${rounds} rounds; ${cpus().length} cores`);
try {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? CLIENTS : ([...CLIENTS].reverse());
    for (const client of order) {
      const [run] = await runRealistic({ clients: [client], players, nodes: 8, seconds, reps: 1, updateIntervalMs: 5000, trackMs: 180_000, warmupSeconds }, (line) => console.log(line));
      const sample = run?.samples[0];
      if (!run || run.failure || !sample || !sample.verdict.ok) throw new Error(`${client} round ${round + 1}: ${run?.failure ?? (sample ? 'REJECTED' : 'no sample')}`);
      figures[client].push(sample.mainCpuMsPerSecond);
      rows.push({ round: round + 1, client, mainCpuMsPerSecond: sample.mainCpuMsPerSecond, mainUsPerEvent: sample.mainUsPerEvent, processUsPerEvent: sample.processUsPerEvent });
    }
  }
} finally {
  await stores.stop();
}

const file = median(figures['lavathread-file-store']);
const redis = median(figures['lavathread-redis-store']);
const ratio = redis / file;
const perRound = figures['lavathread-redis-store'].map((r, i) => r / figures['lavathread-file-store'][i]!);
const lines = [
  '| round | file store, main ms/s | Redis store, main ms/s | Redis / file |',
  '|---|---|---|---|',
  ...perRound.map((r, i) => `| ${i + 1} | ${figures['lavathread-file-store'][i]!.toFixed(1)} | ${figures['lavathread-redis-store'][i]!.toFixed(1)} | ${r.toFixed(2)} |`),
  `| median | ${file.toFixed(1)} | ${redis.toFixed(1)} | ${ratio.toFixed(2)} (target ≤ 1.10: ${ratio <= 1.1 ? 'met' : 'missed'}) |`,
];
console.log(`\n${lines.join('\n')}`);
const date = new Date().toISOString();
const header = `# Session stores: realistic, main-thread CPU\n\n${date}, ${players} players over 8 nodes, ${seconds} s a round, ${rounds} rounds alternating, ${cpus().length} cores, Node ${process.version}.\n\n`;
// A run of another shape gets a name of its own: it never overwrites the day's default run.
const shaped = rounds !== 4 || players !== 10_000 || seconds !== 10 || warmupSeconds !== 3;
const written = await writeResults(`${date.slice(0, 10)}-session-stores${shaped ? '-partial' : ''}`, {
  '.json': `${JSON.stringify({ scenario: 'session-stores', date, players, seconds, rounds, warmupSeconds, node: process.version, rows, medians: { file, redis, ratio } }, null, 2)}\n`,
  '.md': `${header}${lines.join('\n')}\n`,
});
console.log(`written: ${written.join(', ')}`);
