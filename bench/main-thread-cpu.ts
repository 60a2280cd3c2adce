/**
 * Main-thread CPU per event, worker transport against inline transport, measured in one run.
 *
 * The simulator runs as its own process and floods `playerUpdate`s over 1000 guilds; a Manager
 * with one node counts them on the main thread (a `raw` listener, the least a bot does). CPU is
 * read per thread from /proc/thread-self/schedstat (Node 20 has no thread CPU API) and for the
 * whole process from process.cpuUsage().
 *
 *   node --import tsx bench/main-thread-cpu.ts [--rates 10000,50000] [--seconds 3] [--reps 3] [--flush-window 10]
 *
 * Writes bench/results/<date>-main-thread-cpu.json.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Manager } from '../src/index.js';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '10000,50000' },
    seconds: { type: 'string', default: '3' },
    reps: { type: 'string', default: '3' },
    'flush-window': { type: 'string', default: '25' },
  },
});
const rates = values.rates.split(',').map(Number);
const seconds = Number(values.seconds);
const reps = Number(values.reps);
const flushWindowMs = Number(values['flush-window']);
if (rates.some((r) => !(r > 0 && r <= 200_000)) || !(seconds > 0 && seconds <= 30) || !(reps >= 1 && reps <= 10)) throw new Error('bad arguments');

/** CPU time of the calling thread, ns (first field of schedstat). */
function threadCpuNs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
}

function processCpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

const cli = fileURLToPath(new URL('../src/testing/cli.ts', import.meta.url));
const server = spawn(process.execPath, ['--import', 'tsx', cli, '--control', '--no-record', '--stats-interval', '60000'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [url] = (await once(createInterface({ input: server.stdout }), 'line')) as [string];
const port = Number(new URL(url).port);

async function flood(rate: number): Promise<number> {
  const res = await fetch(`${url}/_simulator/flood`, {
    method: 'POST',
    headers: { Authorization: 'youshallnotpass', 'Content-Type': 'application/json' },
    body: JSON.stringify({ rate, guilds: 1000, durationMs: seconds * 1000 }),
  });
  return ((await res.json()) as { frames: number }).frames;
}

interface Sample {
  mainNsPerEvent: number;
  processNsPerEvent: number;
  events: number;
}

async function measure(workers: number, rate: number): Promise<Sample> {
  const manager = new Manager([{ id: 'bench', host: '127.0.0.1', port, password: 'youshallnotpass', version: 4 }], { send: () => {}, workers, flushWindowMs });
  let received = 0;
  manager.on('raw', (_socket, message) => {
    if (message.op === 'playerUpdate') received++;
  });
  manager.init('1');
  await manager.sockets.get('bench')!.onReady();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const main0 = threadCpuNs();
  const proc0 = processCpuNs();
  const frames = await flood(rate);
  const deadline = Date.now() + 10_000;
  while (received < frames && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  const main1 = threadCpuNs();
  const proc1 = processCpuNs();
  await manager.close();
  if (received !== frames) throw new Error(`received ${received} of ${frames} events`);
  return { mainNsPerEvent: (main1 - main0) / received, processNsPerEvent: (proc1 - proc0) / received, events: received };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: Record<string, unknown>[] = [];
for (const rate of rates) {
  const results: Record<string, Sample[]> = { worker: [], inline: [] };
  for (let rep = 0; rep < reps; rep++) {
    // Alternate, so drift on a shared machine hits both transports alike.
    results.worker!.push(await measure(1, rate));
    results.inline!.push(await measure(0, rate));
  }
  const summary = (name: string) => {
    const samples = results[name]!;
    const main = samples.map((s) => s.mainNsPerEvent / 1000);
    const proc = samples.map((s) => s.processNsPerEvent / 1000);
    return { mainUsPerEvent: median(main), mainSpread: [Math.min(...main), Math.max(...main)], processUsPerEvent: median(proc), processSpread: [Math.min(...proc), Math.max(...proc)] };
  };
  const worker = summary('worker');
  const inline = summary('inline');
  rows.push({ rate, worker, inline, mainRatio: worker.mainUsPerEvent / inline.mainUsPerEvent, processRatio: worker.processUsPerEvent / inline.processUsPerEvent });
  console.log(
    `${rate}/s: main thread ${worker.mainUsPerEvent.toFixed(3)} µs/event (worker) vs ${inline.mainUsPerEvent.toFixed(3)} µs/event (inline) = ${(worker.mainUsPerEvent / inline.mainUsPerEvent).toFixed(2)}x; ` +
      `whole process ${worker.processUsPerEvent.toFixed(3)} vs ${inline.processUsPerEvent.toFixed(3)} µs/event = ${(worker.processUsPerEvent / inline.processUsPerEvent).toFixed(2)}x`,
  );
}
server.kill('SIGTERM');
await once(server, 'exit');

const result = { scenario: 'main-thread-cpu', date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, seconds, reps, flushWindowMs, guilds: 1000, rows };
const dir = fileURLToPath(new URL('./results/', import.meta.url));
await mkdir(dir, { recursive: true });
const out = `${dir}${result.date.slice(0, 10)}-main-thread-cpu.json`;
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`written ${out}`);
