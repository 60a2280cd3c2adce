/**
 * Several simulators in one process (32 nodes without 32 processes). Prints one line of JSON, the
 * ports, then serves until SIGTERM. With `--control`, each serves its own control API on its port
 * (flood, traffic, inspection), so the harness can still drive every node separately.
 *
 *   node --import tsx bench/harness/multi-sim.ts <count> <protocol> [--control]
 */
import { LavalinkSimulator } from '../../src/testing/index.js';

const count = Number(process.argv[2] ?? 1);
const protocol = Number(process.argv[3] ?? 4) as 3 | 4;
const control = process.argv.includes('--control');
if (!(count >= 1 && count <= 64)) throw new Error('count: 1 to 64');
const sims = Array.from({ length: count }, () => new LavalinkSimulator({ protocol, record: false, statsIntervalMs: 60_000, control }));
await Promise.all(sims.map((sim) => sim.start()));
console.log(JSON.stringify(sims.map((sim) => sim.port)));
process.once('SIGTERM', () => {
  void Promise.all(sims.map((sim) => sim.close())).then(() => process.exit(0));
});
