/**
 * load: a 1000-track playlist loaded (REST loadtracks of `sim:playlist?size=1000`) and its 1000
 * encoded tracks decoded, each through the library's own API (see each adapter's `decodeVia`).
 */
import type { BenchNode } from '../clients/client.js';
import { startClient, type ClientRunner } from '../harness/client-runner.js';
import type { LoadSample } from '../harness/messages.js';
import { startSim, type SimProcess } from '../harness/sim-process.js';
import { clientProtocols } from './flood.js';

export interface LoadRow {
  readonly client: string;
  readonly via: string;
  /** Measured repetitions (after one unmeasured warm-up). */
  readonly samples: readonly LoadSample[];
  /** Every repetition loaded and decoded all the tracks. */
  readonly ok: boolean;
  readonly failure: string | null;
}

export const PLAYLIST_SIZE = 1000;
const IDENTIFIER = `sim:playlist?size=${PLAYLIST_SIZE}`;

export async function runLoad(clients: readonly string[], reps: number, log: (line: string) => void): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const client of clients) {
    let sim: SimProcess | null = null;
    let runner: ClientRunner | null = null;
    try {
      sim = await startSim(clientProtocols[client]!);
      const node: BenchNode = { id: 'bench', host: '127.0.0.1', port: sim.port, password: 'youshallnotpass' };
      runner = await startClient(client, [node], []);
      await runner.send({ type: 'load', identifier: IDENTIFIER, reps: 1 }, 'loaded', 60_000); // warm-up
      const { samples, via } = await runner.send({ type: 'load', identifier: IDENTIFIER, reps }, 'loaded', 30_000 + reps * 30_000);
      const ok = samples.every((s) => s.tracks === PLAYLIST_SIZE && s.decoded === PLAYLIST_SIZE);
      rows.push({ client, via, samples, ok, failure: ok ? null : `got ${samples.map((s) => `${s.tracks}/${s.decoded}`).join(', ')} tracks/decoded of ${PLAYLIST_SIZE}` });
      const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
      log(`  ${client.padEnd(18)} ${ms.map((m) => m.toFixed(1)).join(', ')} ms (${via})${ok ? '' : '  FAILED: not every track'}`);
    } catch (error) {
      const failure = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      log(`  ${client.padEnd(18)} FAILED: ${failure}`);
      rows.push({ client, via: '', samples: [], ok: false, failure });
    } finally {
      await runner?.stop().catch(() => {});
      await sim?.stop().catch(() => {});
    }
  }
  return rows;
}
