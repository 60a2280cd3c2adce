/**
 * How many `playerUpdate`s per second the simulator sustains in flood mode.
 *
 * The simulator runs as its own process (the CLI with `--control`); this process is a client
 * that only counts frames (no JSON parsing), so the figure is the simulator's, not a client's.
 * For each rate it asks for a flood over `--guilds` guilds for `--seconds`, then reports what the
 * simulator achieved (frames sent / elapsed) and what the client received per second.
 *
 *   node --import tsx bench/simulator-flood.ts [--rates 10000,50000,100000] [--seconds 2] [--guilds 1000] [--protocol 4]
 *
 * Writes bench/results/<date>-simulator-flood.json.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '10000,25000,50000,100000,200000,400000' },
    seconds: { type: 'string', default: '2' },
    guilds: { type: 'string', default: '1000' },
    protocol: { type: 'string', default: '4' },
  },
});
const rates = values.rates.split(',').map(Number);
const seconds = Number(values.seconds);
const guilds = Number(values.guilds);
if (rates.some((r) => !(r > 0)) || !(seconds > 0 && seconds <= 30) || !(guilds >= 1)) throw new Error('bad arguments');

const password = 'bench';
const cli = fileURLToPath(new URL('../src/testing/cli.ts', import.meta.url));
const server = spawn(process.execPath, ['--import', 'tsx', cli, '--protocol', values.protocol, '--password', password, '--control', '--no-record'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [url] = (await once(createInterface({ input: server.stdout }), 'line')) as [string];

const ws = new WebSocket(values.protocol === '4' ? `${url.replace('http', 'ws')}/v4/websocket` : `${url.replace('http', 'ws')}/`, {
  headers: { Authorization: password, 'User-Id': '1', 'Client-Name': 'flood-bench/1' },
});
let received = 0;
ws.on('message', () => received++);
await once(ws, 'open');
await new Promise((resolve) => setTimeout(resolve, 200)); // ready + first stats

interface Row {
  requested: number;
  achieved: number;
  received: number;
  frames: number;
  elapsedMs: number;
}
const rows: Row[] = [];
for (const rate of rates) {
  const before = received;
  const started = performance.now();
  const answer = await fetch(`${url}/_simulator/flood`, {
    method: 'POST',
    headers: { Authorization: password, 'Content-Type': 'application/json' },
    body: JSON.stringify({ rate, guilds, durationMs: seconds * 1000 }),
  });
  const result = (await answer.json()) as { frames: number; elapsedMs: number };
  // Let the last frames arrive (bounded: at most 5 s).
  const deadline = performance.now() + 5000;
  while (received - before < result.frames && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  const clientMs = performance.now() - started;
  rows.push({
    requested: rate,
    achieved: Math.round(result.frames / (result.elapsedMs / 1000)),
    received: Math.round((received - before) / (clientMs / 1000)),
    frames: result.frames,
    elapsedMs: Math.round(result.elapsedMs),
  });
  const row = rows.at(-1)!;
  console.log(`requested ${rate}/s: simulator sent ${row.achieved}/s (${row.frames} frames in ${row.elapsedMs} ms), client received ${row.received}/s`);
}
ws.close();
server.kill('SIGTERM');
await once(server, 'exit');

const result = {
  scenario: 'simulator-flood',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  protocol: Number(values.protocol),
  guilds,
  seconds,
  rows,
};
const out = fileURLToPath(new URL(`./results/${result.date.slice(0, 10)}-simulator-flood.json`, import.meta.url));
await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`written ${out}`);
