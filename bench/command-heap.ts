/**
 * Soak: main-thread heap kept per command, worker and inline transports, v4 and v3 nodes, after
 * forced GC. The simulator runs in its own process, so only the client's heap is measured.
 *
 *   node --import tsx --expose-gc bench/command-heap.ts [--commands 100000] [--protocols 4,3]
 *
 * Writes bench/results/<date>-command-heap.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureCommandHeap, type CommandHeapResult } from './harness/command-heap.js';
import { startSim } from './harness/sim-process.js';

const { values } = parseArgs({
  options: {
    commands: { type: 'string', default: '100000' },
    protocols: { type: 'string', default: '4,3' },
  },
});
const commands = Number(values.commands);
const protocols = values.protocols.split(',').map(Number);
if (!(commands >= 1000 && commands <= 1_000_000) || protocols.some((p) => p !== 3 && p !== 4)) throw new Error('bad arguments');

const rows: (CommandHeapResult & { protocol: number; transport: string })[] = [];
for (const protocol of protocols as (3 | 4)[]) {
  for (const [transport, workers] of [['worker', 1], ['inline', 0]] as const) {
    const sim = await startSim(protocol);
    try {
      const result = await measureCommandHeap({ port: sim.port, protocol, workers, commands });
      rows.push({ protocol, transport, ...result });
      console.log(
        `v${protocol} ${transport}: ${commands} commands in ${result.seconds.toFixed(1)} s; heap ${(result.baselineHeap / 1e6).toFixed(2)} -> ${(result.finalHeap / 1e6).toFixed(2)} MB; ` +
          `${result.retainedBytesPerCommand.toFixed(2)} B retained per command`,
      );
    } finally {
      await sim.stop();
    }
  }
}

const result = { scenario: 'command-heap', date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, commands, rows };
const dir = fileURLToPath(new URL('./results/', import.meta.url));
await mkdir(dir, { recursive: true });
const out = `${dir}${result.date.slice(0, 10)}-command-heap.json`;
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`written ${out}`);
