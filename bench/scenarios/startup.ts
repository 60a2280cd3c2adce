/** startup: how long until a client has a usable session on each of 1, 8 and 32 nodes. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startClient } from '../harness/client-runner.js';
import { median } from '../harness/stats.js';
import { clientProtocols } from './flood.js';

export interface StartupRow {
  readonly client: string;
  readonly nodes: number;
  /** Median over the repetitions; `samples` has each (a fresh process each time). */
  readonly readyMs: number;
  readonly samples: readonly number[];
}

const multiSim = fileURLToPath(new URL('../harness/multi-sim.ts', import.meta.url));

export async function runStartup(clients: readonly string[], counts: readonly number[], reps: number, log: (line: string) => void): Promise<StartupRow[]> {
  const rows: StartupRow[] = [];
  for (const count of counts) {
    for (const client of clients) {
      const samples: number[] = [];
      for (let rep = 1; rep <= reps; rep++) samples.push(await readyOnce(client, count, rep, log));
      rows.push({ client, nodes: count, readyMs: median(samples), samples });
    }
  }
  return rows;
}

async function readyOnce(client: string, count: number, rep: number, log: (line: string) => void): Promise<number> {
  const sims = spawn(process.execPath, ['--import', 'tsx', multiSim, String(count), String(clientProtocols[client])], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(createInterface({ input: sims.stdout }), 'line')) as [string];
    const ports = JSON.parse(line) as number[];
    const nodes = ports.map((port, i) => ({ id: `node-${i}`, host: '127.0.0.1', port, password: 'youshallnotpass' }));
    const runner = await startClient(client, nodes, []);
    log(`  ${client.padEnd(18)} ${String(count).padStart(2)} nodes ready in ${runner.connectMs.toFixed(0)} ms (rep ${rep})`);
    await runner.stop();
    return runner.connectMs;
  } finally {
    sims.kill('SIGTERM');
    if (sims.exitCode === null) await once(sims, 'exit');
  }
}
