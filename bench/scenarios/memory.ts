/**
 * memory: RSS and main-thread heap per 1000 players. A fresh client process (with --expose-gc)
 * connects with no players, then creates players (voice forwarded) up to each count; GC is forced
 * before each reading. A worker thread's heap is inside the process RSS, not in the heap figure.
 */
import type { BenchNode } from '../clients/client.js';
import { startClient, type ClientRunner } from '../harness/client-runner.js';
import { perThousand, type MemoryReading, type PerThousand } from '../harness/memory-figures.js';
import { startSim, type SimProcess } from '../harness/sim-process.js';
import { clientProtocols, guildIdsFor } from './flood.js';

export interface MemoryRow {
  readonly client: string;
  readonly readings: readonly MemoryReading[];
  readonly perThousand: readonly PerThousand[];
  readonly failure: string | null;
}

/** Raw sockets keep no players: there is nothing of theirs to weigh. */
export const memorySkips: Readonly<Record<string, string>> = {
  floor: 'a raw socket keeps no player objects',
  'ws-json': 'a raw socket keeps no player objects',
};

export async function runMemory(clients: readonly string[], counts: readonly number[], log: (line: string) => void): Promise<MemoryRow[]> {
  const all = guildIdsFor(Math.max(0, ...counts));
  const rows: MemoryRow[] = [];
  for (const client of clients) {
    let sim: SimProcess | null = null;
    let runner: ClientRunner | null = null;
    const readings: MemoryReading[] = [];
    try {
      sim = await startSim(clientProtocols[client]!);
      const node: BenchNode = { id: 'bench', host: '127.0.0.1', port: sim.port, password: 'youshallnotpass' };
      runner = await startClient(client, [node], [], { execArgv: ['--expose-gc'] });
      let have = 0;
      for (const count of [0, ...counts]) {
        const reading = await runner.send({ type: 'memory', guilds: all.slice(have, count) }, 'memory', 180_000);
        have = count;
        readings.push({ players: reading.players, rssBytes: reading.rssBytes, heapUsedBytes: reading.heapUsedBytes });
      }
      const per = perThousand(readings);
      rows.push({ client, readings, perThousand: per, failure: null });
      log(
        `  ${client.padEnd(18)} ` +
          readings.map((r) => `${r.players}: RSS ${(r.rssBytes / 2 ** 20).toFixed(1)} MB, heap ${(r.heapUsedBytes / 2 ** 20).toFixed(1)} MB`).join('; ') +
          ` -> per 1000: ${per.map((p) => `RSS ${p.rssMb.toFixed(2)} / heap ${p.heapMb.toFixed(2)} MB (to ${p.players})`).join(', ')}`,
      );
    } catch (error) {
      const failure = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      log(`  ${client.padEnd(18)} FAILED: ${failure}`);
      rows.push({ client, readings, perThousand: perThousand(readings), failure });
    } finally {
      await runner?.kill();
      await sim?.stop().catch(() => {});
    }
  }
  return rows;
}
