/**
 * `npm run bench`: every scenario, every client, side by side in one run. See bench/README.md.
 *
 *   npm run bench -- [--quick] [--only flood] [--clients lavathread-worker,shoukaku] [--reps 3] [--seconds 3] [--event-every 100]
 *   npm run bench -- --only realistic,stall,load,memory [--players 10000] [--stall-ms 5000]
 *   npm run bench -- --only flood,realistic --clients lavathread-worker,lavathread-baseline --baseline ../old-checkout
 *   npm run bench -- --only realistic --clients lavathread-file-store,lavathread-redis-store
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { markdown, summarise, svgChart, table, writeResults } from './harness/report.js';
import { floodTargets, targetsMarkdown, targetsMet, targetsText } from './harness/targets.js';
import { withSpread } from './harness/stats.js';
import { sessionStoreEnv } from './harness/store-env.js';
import { metaList, PEERS } from './harness/tables.js';
import { loadHeadline, loadMarkdown, loadTable } from './reports/load.js';
import { memoryHeadline, memoryMarkdown, memoryTable } from './reports/memory.js';
import { realisticHeadline, realisticMarkdown, realisticTable, summariseRealistic } from './reports/realistic.js';
import { stallHeadline, stallMarkdown, stallTable, summariseStall } from './reports/stall.js';
import { runCommands } from './scenarios/commands.js';
import { runLoad } from './scenarios/load.js';
import { memorySkips, runMemory } from './scenarios/memory.js';
import { runRealistic } from './scenarios/realistic.js';
import { runStall, stallSkips } from './scenarios/stall.js';
import { runStartup } from './scenarios/startup.js';
import { clientProtocols, runFlood } from './scenarios/flood.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    clients: { type: 'string' },
    reps: { type: 'string' },
    seconds: { type: 'string' },
    rates: { type: 'string' },
    players: { type: 'string' },
    'stall-ms': { type: 'string' },
    'event-every': { type: 'string' },
    baseline: { type: 'string' },
  },
});

const scenarios = ['flood', 'commands', 'startup', 'realistic', 'stall', 'load', 'memory'];
/** What `--quick` runs when `--only` is not given (memory is left out: see bench/README.md). */
const quickScenarios = ['flood', 'commands', 'startup', 'realistic', 'stall', 'load'];
const only = values.only?.split(',') ?? (values.quick ? quickScenarios : scenarios);
for (const name of only) if (!scenarios.includes(name)) throw new Error(`unknown scenario ${name} (known: ${scenarios.join(', ')})`);

// Peers run only where their package is installed (devDependencies).
const installed = (client: string): boolean =>
  !PEERS.includes(client) || existsSync(fileURLToPath(new URL(`../node_modules/${client}/package.json`, import.meta.url)));
const defaultClients = ['lavathread-worker', 'lavathread-inline', 'floor', 'ws-json', ...PEERS].filter(installed);
/** Another checkout's lavathread, run as the client `lavathread-baseline` (its client processes inherit the variable). */
if (values.baseline !== undefined) {
  if (!existsSync(`${values.baseline}/src/index.ts`)) throw new Error(`--baseline ${values.baseline}: no src/index.ts there (a lavathread checkout with its node_modules)`);
  process.env['LAVATHREAD_BASELINE'] = values.baseline;
}
const clients = values.clients?.split(',') ?? (values.baseline === undefined ? defaultClients : [...defaultClients, 'lavathread-baseline']);
for (const client of clients) if (!(client in clientProtocols)) throw new Error(`unknown client ${client} (known: ${Object.keys(clientProtocols).join(', ')})`);

const quick = values.quick;
const reps = Number(values.reps ?? (quick ? 1 : 3));
const seconds = Number(values.seconds ?? (quick ? 1.5 : 3));
const rates = (values.rates ?? (quick ? '5000,50000' : '5000,20000,50000,100000')).split(',').map(Number);
if (!(reps >= 1 && reps <= 20) || !(seconds > 0 && seconds <= 30) || rates.some((r) => !(r > 0 && r <= 200_000))) throw new Error('bad --reps, --seconds or --rates');
const players = Number(values.players ?? 10_000);
const stallMs = Number(values['stall-ms'] ?? (quick ? 2000 : 5000));
/** Every Nth flood frame is a track event (0: playerUpdates only). */
const eventEvery = Number(values['event-every'] ?? 100);
if (!(Number.isInteger(eventEvery) && eventEvery >= 0 && eventEvery <= 1_000_000)) throw new Error('bad --event-every (a whole number, 0 for playerUpdates only)');
if (!(Number.isInteger(players) && players >= 8 && players <= 50_000) || !(stallMs >= 2000 && stallMs <= 30_000)) throw new Error('bad --players (8 to 50000) or --stall-ms (2000 to 30000)');
/**
 * Results of a short or partial run (`--quick`, fewer clients, other repetitions, lengths, rates,
 * players or stall) get a name of their own: they never overwrite the full run of the same day,
 * which the READMEs quote.
 */
const shaped = ['reps', 'seconds', 'rates', 'players', 'stall-ms', 'event-every', 'baseline'].some((flag) => (values as Record<string, unknown>)[flag] !== undefined);
const runTag = quick ? '-quick' : shaped || !defaultClients.every((c) => clients.includes(c)) ? '-partial' : '';
/**
 * Realistic: 10,000 players, an update each per 5 s, a track change each per 180 s. `--quick` keeps
 * those rates (2,000 updates and ~56 track changes a second) over 4,000 players: creating 10,000
 * players takes most of the scenario's time (up to 8 s per client).
 */
const realisticShape = values.players === undefined && quick ? { players: 4000, updateIntervalMs: 2000, trackMs: 72_000 } : { players, updateIntervalMs: 5000, trackMs: 180_000 };
/** Realistic traffic runs longer than a flood by default: at 5 s per update, 3 s gives each guild at most one. */
const realisticSeconds = values.seconds !== undefined ? seconds : quick ? 2 : 10;

/** The version of each client package in this run. */
function versions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['lavathread', ...PEERS, 'ws', 'piscina', 'msgpackr', 'comlink']) {
    const path = name === 'lavathread' ? '../package.json' : `../node_modules/${name}/package.json`;
    const file = fileURLToPath(new URL(path, import.meta.url));
    if (existsSync(file)) out[name] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return out;
}

const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  reps,
  seconds,
  guilds: 1000,
  quick,
  versions: JSON.stringify(versions()),
};

console.log(`lavathread bench: ${clients.join(', ')}; ${reps} repetition(s) of ${seconds} s; ${meta.cores} cores (${meta.cpu})`);
// lavathread-file-store and lavathread-redis-store (not in the default clients) need a directory and a Redis.
const stores = await sessionStoreEnv(clients);
/** Seconds since the current scenario began (each `if` below resets it). */
let scenarioStart = performance.now();
const took = (): string => `${((performance.now() - scenarioStart) / 1000).toFixed(0)} s`;

if (only.includes('flood')) {
  const mix = eventEvery > 0 ? `, every ${eventEvery}th a track event` : '';
  console.log(`\nflood: playerUpdates over 1000 guilds at ${rates.join(', ')} frames per second${mix}`);
  const samples = await runFlood({ clients, rates, seconds, reps, guilds: 1000, warmupSeconds: quick ? 1 : 3, eventEvery }, (line) => console.log(line));
  const rows = summarise(samples);
  console.log(`\n${table(rows)}`);
  const targets = floodTargets(rows);
  const { met, of } = targetsMet(targets);
  if (of > 0) console.log(`\nlavathread worker against the best peer at each rate, beside its targets (${met} of ${of} met):\n${targetsText(targets)}`);
  const stamp = meta.date.slice(0, 10);
  const floodMeta = { ...meta, eventEvery };
  const written = await writeResults(`${stamp}-flood${runTag}`, {
    '.json': `${JSON.stringify({ scenario: 'flood', ...floodMeta, rates, clients, rows, samples }, null, 2)}\n`,
    '.md': `${markdown(rows, floodMeta)}${of > 0 ? `\n## Against the targets (${met} of ${of} met)\n\n${targetsMarkdown(targets)}\n` : ''}`,
    '.svg': svgChart(rows),
  });
  console.log(`\nwritten: ${written.join(', ')} (${took()})`);
  if (rows.some((r) => r.rejected)) console.log('\nSome runs were REJECTED: a client did not receive every event it was sent; its figures do not count.');
}
if (only.includes('commands')) {
  scenarioStart = performance.now();
  // The floor and ws-json send REST by hand; the dropper is for the harness's own test.
  const commandClients = clients.filter((c) => c !== 'dropper');
  const sequential = quick ? 200 : 1000;
  console.log(`\ncommands: ${sequential} setVolume round trips one after another, then 1000 players at once`);
  const rows = await runCommands(commandClients, sequential, 1000, reps, (line) => console.log(line));
  const inline = rows.find((r) => r.client === 'lavathread-inline');
  const worker = rows.find((r) => r.client === 'lavathread-worker');
  if (inline && worker) console.log(`\nlavathread worker p50 ${worker.p50Ms.toFixed(3)} ms against inline ${inline.p50Ms.toFixed(3)} ms: +${(worker.p50Ms - inline.p50Ms).toFixed(3)} ms (target <= +0.3 ms)`);
  const written = await writeResults(`${meta.date.slice(0, 10)}-commands${runTag}`, {
    '.json': `${JSON.stringify({ scenario: 'commands', ...meta, sequential, rows }, null, 2)}\n`,
    '.md': `# commands: setVolume round trips\n\n${metaList({ ...meta, sequential })}\n\nMedians of ${reps} repetition(s) (spread).\n\n| client | p50 ms | p99 ms | 1000 at once, ms |\n|---|---|---|---|\n${rows.map((r) => `| ${r.client} | ${withSpread(r.samples.map((x) => x.p50Ms), 3)} | ${withSpread(r.samples.map((x) => x.p99Ms), 3)} | ${withSpread(r.samples.map((x) => x.burstMs), 0)} |`).join('\n')}\n`,
  });
  console.log(`written: ${written.join(', ')} (${took()})`);
}
if (only.includes('startup')) {
  scenarioStart = performance.now();
  const counts = [1, 8, 32];
  const startupClients = clients.filter((c) => c !== 'dropper');
  console.log(`\nstartup: time until ${counts.join(', ')} nodes have a usable session`);
  const rows = await runStartup(startupClients, counts, reps, (line) => console.log(line));
  const written = await writeResults(`${meta.date.slice(0, 10)}-startup${runTag}`, {
    '.json': `${JSON.stringify({ scenario: 'startup', ...meta, rows }, null, 2)}\n`,
    '.md': `# startup: nodes ready\n\n${metaList(meta)}\n\nMedians of ${reps} repetition(s) (spread).\n\n| client | nodes | ms |\n|---|---|---|\n${rows.map((r) => `| ${r.client} | ${r.nodes} | ${withSpread(r.samples, 0)} |`).join('\n')}\n`,
  });
  console.log(`written: ${written.join(', ')} (${took()})`);
}

const stamp = meta.date.slice(0, 10);
// Each scenario below runs every client it can; a client that crashes or hangs is reported FAILED
// for that scenario (every wait is bounded) and the run goes on.
if (only.includes('realistic')) {
  scenarioStart = performance.now();
  const realisticClients = clients.filter((c) => c !== 'dropper');
  const shape = realisticShape;
  console.log(`\nrealistic: ${shape.players} players over 8 nodes, a playerUpdate each per ${shape.updateIntervalMs / 1000} s, a track change each per ${shape.trackMs / 1000} s, ${realisticSeconds} s x ${reps}`);
  const runs = await runRealistic({ clients: realisticClients, ...shape, nodes: 8, seconds: realisticSeconds, reps, warmupSeconds: quick ? 0.25 : 3 }, (line) => console.log(line));
  const rows = summariseRealistic(runs);
  console.log(`\n${realisticTable(rows)}`);
  const headline = realisticHeadline(rows);
  if (headline) console.log(`\n${headline}`);
  const runMeta = { ...meta, seconds: realisticSeconds, guilds: shape.players, nodes: 8, updateIntervalMs: shape.updateIntervalMs, trackMs: shape.trackMs };
  const written = await writeResults(`${stamp}-realistic${runTag}`, {
    '.json': `${JSON.stringify({ scenario: 'realistic', ...runMeta, clients: realisticClients, rows, runs }, null, 2)}\n`,
    '.md': realisticMarkdown(rows, runMeta),
  });
  console.log(`written: ${written.join(', ')} (${took()})`);
}
if (only.includes('stall')) {
  scenarioStart = performance.now();
  const stallClients = clients.filter((c) => c !== 'dropper' && !(c in stallSkips));
  const skipped = Object.fromEntries(Object.entries(stallSkips).filter(([c]) => clients.includes(c)));
  const options = { clients: stallClients, reps, stallMs, guilds: 1000, trackGuilds: 100, rate: 5000, heartbeat: { intervalMs: 250, timeoutMs: 1000 } };
  console.log(`\nstall: main thread busy ${stallMs} ms in a 5000/s flood; the node drops a client missing a pong for 1 s; 100 track changes mid-stall`);
  const samples = await runStall(options, (line) => console.log(line));
  const rows = summariseStall(samples, skipped);
  console.log(`\n${stallTable(rows)}`);
  const stallLine = stallHeadline(rows);
  if (stallLine) console.log(`\n${stallLine}`);
  const runMeta = { ...meta, seconds: stallMs / 1000, guilds: 1000, stallMs, floodRate: 5000, heartbeat: '250 ms pings, dropped after 1000 ms without a pong', trackEvents: 200 };
  const written = await writeResults(`${stamp}-stall${runTag}`, {
    '.json': `${JSON.stringify({ scenario: 'stall', ...runMeta, clients: stallClients, skipped, rows, samples }, null, 2)}\n`,
    '.md': stallMarkdown(rows, runMeta),
  });
  console.log(`written: ${written.join(', ')} (${took()})`);
}
if (only.includes('load')) {
  scenarioStart = performance.now();
  const loadClients = clients.filter((c) => c !== 'dropper');
  const loadReps = values.reps !== undefined ? reps : quick ? 5 : 10;
  console.log(`\nload: sim:playlist?size=1000 loaded and its tracks decoded, ${loadReps} repetitions after a warm-up`);
  const rows = await runLoad(loadClients, loadReps, (line) => console.log(line));
  console.log(`\n${loadTable(rows)}`);
  const headline = loadHeadline(rows);
  if (headline) console.log(`\n${headline}`);
  const runMeta = { ...meta, reps: loadReps, seconds: 0, guilds: 0, playlist: 1000 };
  const written = await writeResults(`${stamp}-load${runTag}`, {
    '.json': `${JSON.stringify({ scenario: 'load', ...runMeta, clients: loadClients, rows }, null, 2)}\n`,
    '.md': loadMarkdown(rows, runMeta),
  });
  console.log(`written: ${written.join(', ')} (${took()})`);
}
if (only.includes('memory')) {
  scenarioStart = performance.now();
  const memoryClients = clients.filter((c) => c !== 'dropper' && !(c in memorySkips));
  const skipped = Object.fromEntries(Object.entries(memorySkips).filter(([c]) => clients.includes(c)));
  const counts = [...new Set([Math.min(1000, players), players])];
  console.log(`\nmemory: RSS and heap after GC at 0, ${counts.join(', ')} players (a fresh process with --expose-gc)`);
  const rows = await runMemory(memoryClients, counts, (line) => console.log(line));
  console.log(`\n${memoryTable(rows, skipped)}`);
  const memoryLine = memoryHeadline(rows);
  if (memoryLine) console.log(`\n${memoryLine}`);
  const runMeta = { ...meta, reps: 1, seconds: 0, guilds: players, counts: counts.join(',') };
  const written = await writeResults(`${stamp}-memory${runTag}`, {
    '.json': `${JSON.stringify({ scenario: 'memory', ...runMeta, clients: memoryClients, skipped, rows }, null, 2)}\n`,
    '.md': memoryMarkdown(rows, skipped, runMeta),
  });
  console.log(`written: ${written.join(', ')} (${took()})`);
}
await stores.stop();
