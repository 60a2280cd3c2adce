/**
 * Several simulators in one process (for the startup scenario: 32 nodes without 32 processes).
 * Prints one line of JSON, the ports, then serves until SIGTERM.
 *
 *   node --import tsx bench/harness/multi-sim.ts <count> <protocol>
 */
import { LavalinkSimulator } from '../../src/testing/index.js';

const count = Number(process.argv[2] ?? 1);
const protocol = Number(process.argv[3] ?? 4) as 3 | 4;
if (!(count >= 1 && count <= 64)) throw new Error('count: 1 to 64');
const sims = Array.from({ length: count }, () => new LavalinkSimulator({ protocol, record: false, statsIntervalMs: 60_000 }));
await Promise.all(sims.map((sim) => sim.start()));
console.log(JSON.stringify(sims.map((sim) => sim.port)));
process.once('SIGTERM', () => {
  void Promise.all(sims.map((sim) => sim.close())).then(() => process.exit(0));
});
