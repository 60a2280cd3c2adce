/**
 * commands: `setVolume` round trips, one after another (p50/p99 of the library's own promise:
 * the REST answer on v4, the written frame on v3), then 1000 players changing volume at once.
 */
import type { BenchNode } from '../clients/client.js';
import { startClient } from '../harness/client-runner.js';
import { startSim } from '../harness/sim-process.js';
import { median, percentile } from '../harness/stats.js';
import { clientProtocols, guildIdsFor } from './flood.js';

/** One repetition: a fresh simulator and client process. */
export interface CommandsSample {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly burstMs: number;
}

/** Medians over the repetitions; `samples` has each one, for the spread. */
export interface CommandsRow extends CommandsSample {
  readonly client: string;
  readonly burstSize: number;
  readonly samples: readonly CommandsSample[];
}

export async function runCommands(clients: readonly string[], sequential: number, guilds: number, reps: number, log: (line: string) => void): Promise<CommandsRow[]> {
  const samples = new Map<string, CommandsSample[]>(clients.map((client) => [client, []]));
  for (let rep = 1; rep <= reps; rep++) {
    for (const client of clients) {
      const sample = await runOnce(client, sequential, guilds);
      samples.get(client)!.push(sample);
      log(`  ${client.padEnd(18)} rep ${rep}: setVolume p50 ${sample.p50Ms.toFixed(3)} ms, p99 ${sample.p99Ms.toFixed(3)} ms; ${guilds} at once in ${sample.burstMs.toFixed(0)} ms`);
    }
  }
  return clients.map((client) => {
    const mine = samples.get(client)!;
    return { client, p50Ms: median(mine.map((s) => s.p50Ms)), p99Ms: median(mine.map((s) => s.p99Ms)), burstMs: median(mine.map((s) => s.burstMs)), burstSize: guilds, samples: mine };
  });
}

async function runOnce(client: string, sequential: number, guilds: number): Promise<CommandsSample> {
  const sim = await startSim(clientProtocols[client]!);
  const node: BenchNode = { id: 'bench', host: '127.0.0.1', port: sim.port, password: 'youshallnotpass' };
  try {
    const runner = await startClient(client, [node], guildIdsFor(guilds));
    try {
      await runner.send({ type: 'commands', sequential: 50 }, 'commands', 120_000); // warm-up
      const result = await runner.send({ type: 'commands', sequential }, 'commands', 120_000);
      const sorted = [...result.latenciesMs].sort((a, b) => a - b);
      return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), burstMs: result.burstMs };
    } finally {
      await runner.stop();
    }
  } finally {
    await sim.stop();
  }
}
