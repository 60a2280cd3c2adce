/**
 * commands: `setVolume` round trips, one after another (p50/p99 of the library's own promise:
 * the REST answer on v4, the written frame on v3), then 1000 players changing volume at once.
 */
import type { BenchNode } from '../clients/client.js';
import { startClient } from '../harness/client-runner.js';
import { startSim } from '../harness/sim-process.js';
import { clientProtocols, guildIdsFor } from './flood.js';

export interface CommandsRow {
  readonly client: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly burstMs: number;
  readonly burstSize: number;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function runCommands(clients: readonly string[], sequential: number, guilds: number, log: (line: string) => void): Promise<CommandsRow[]> {
  const rows: CommandsRow[] = [];
  for (const client of clients) {
    const sim = await startSim(clientProtocols[client]!);
    const node: BenchNode = { id: 'bench', host: '127.0.0.1', port: sim.port, password: 'youshallnotpass' };
    try {
      const runner = await startClient(client, [node], guildIdsFor(guilds));
      try {
        await runner.send({ type: 'commands', sequential: 50 }, 'commands', 120_000); // warm-up
        const result = await runner.send({ type: 'commands', sequential }, 'commands', 120_000);
        const sorted = [...result.latenciesMs].sort((a, b) => a - b);
        const row = { client, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), burstMs: result.burstMs, burstSize: result.burstSize };
        rows.push(row);
        log(`  ${client.padEnd(18)} setVolume p50 ${row.p50Ms.toFixed(3)} ms, p99 ${row.p99Ms.toFixed(3)} ms; ${row.burstSize} at once in ${row.burstMs.toFixed(0)} ms`);
      } finally {
        await runner.stop();
      }
    } finally {
      await sim.stop();
    }
  }
  return rows;
}
