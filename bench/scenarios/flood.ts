/**
 * flood: `playerUpdate`s over 1000 guilds at fixed rates, to one client at a time. What it costs
 * each client's main thread per event is the figure lavathread exists to lower.
 */
import type { BenchNode } from '../clients/client.js';
import { startClient, type ClientRunner } from '../harness/client-runner.js';
import type { Measurement } from '../harness/measure.js';
import { startSim, type SimProcess } from '../harness/sim-process.js';
import { verifyFlood, type Verdict } from '../harness/verify.js';

export interface FloodOptions {
  readonly clients: readonly string[];
  readonly rates: readonly number[];
  readonly seconds: number;
  readonly reps: number;
  readonly guilds: number;
  /** Unmeasured flood before the measured ones, per rate. */
  readonly warmupSeconds: number;
  /** How long to wait, after a flood, for frames still on their way. @default 10000 */
  readonly collectTimeoutMs?: number;
}

export interface FloodSample {
  readonly client: string;
  readonly rate: number;
  readonly rep: number;
  readonly frames: number;
  readonly received: number;
  readonly achievedRate: number;
  readonly deliveredRate: number;
  readonly mainNsPerEvent: number;
  readonly processNsPerEvent: number;
  readonly measurement: Measurement;
  readonly verdict: Verdict;
}

/** Which protocol each client speaks, so it gets a simulator of that version. */
export const clientProtocols: Readonly<Record<string, 3 | 4>> = {
  floor: 4,
  'ws-json': 4,
  'lavathread-worker': 4,
  'lavathread-inline': 4,
  shoukaku: 4,
  'lavalink-client': 4,
  lavaclient: 3,
  dropper: 4,
};

/** The floor counts frames without parsing: it can be checked in total only. */
const totalsOnly = new Set(['floor']);

export const guildIdsFor = (count: number): string[] => Array.from({ length: count }, (_, i) => String(900000000000000000n + BigInt(i)));

export async function runFlood(options: FloodOptions, log: (line: string) => void): Promise<FloodSample[]> {
  const guildIds = guildIdsFor(options.guilds);
  const rigs: { client: string; sim: SimProcess; runner: ClientRunner }[] = [];
  try {
    for (const client of options.clients) {
      const protocol = clientProtocols[client];
      if (!protocol) throw new Error(`unknown client ${client}`);
      const sim = await startSim(protocol);
      const node: BenchNode = { id: 'bench', host: '127.0.0.1', port: sim.port, password: 'youshallnotpass' };
      try {
        rigs.push({ client, sim, runner: await startClient(client, [node], guildIds) });
      } catch (error) {
        await sim.stop();
        throw error;
      }
    }
    const samples: FloodSample[] = [];
    for (const rate of options.rates) {
      // Steady state, not start-up: an unmeasured flood first lets each client's hot code get
      // compiled (a batching client calls its decoder ~100 times a second, not 5000).
      for (const { sim, runner } of rigs) {
        await runner.send({ type: 'measure' }, 'measuring');
        const warm = await sim.control<{ frames: number }>('POST', 'flood', { rate, guilds: options.guilds, durationMs: options.warmupSeconds * 1000, guildIds });
        await runner.send({ type: 'collect', expected: warm.frames, timeoutMs: options.collectTimeoutMs ?? 10_000 }, 'result', 30_000);
      }
      for (let rep = 0; rep < options.reps; rep++) {
        // Clients take turns within each repetition, so drift on a shared machine hits all alike.
        const order = rep % 2 === 0 ? rigs : [...rigs].reverse();
        for (const { client, sim, runner } of order) {
          await runner.send({ type: 'measure' }, 'measuring');
          const flood = await sim.control<{ frames: number; elapsedMs: number }>('POST', 'flood', { rate, guilds: options.guilds, durationMs: options.seconds * 1000, guildIds });
          const result = await runner.send({ type: 'collect', expected: flood.frames, timeoutMs: options.collectTimeoutMs ?? 10_000 }, 'result', 30_000);
          const verdict = verifyFlood(flood.frames, guildIds, result.received, result.perGuild, !totalsOnly.has(client));
          const m = result.measurement;
          const sample: FloodSample = {
            client,
            rate,
            rep,
            frames: flood.frames,
            received: result.received,
            achievedRate: flood.frames / (flood.elapsedMs / 1000),
            deliveredRate: result.received / (m.wallMs / 1000),
            mainNsPerEvent: m.mainCpuNs / Math.max(1, result.received),
            processNsPerEvent: m.processCpuNs / Math.max(1, result.received),
            measurement: m,
            verdict,
          };
          samples.push(sample);
          log(
            `  ${client.padEnd(18)} ${String(rate).padStart(6)}/s rep ${rep + 1}: main ${(sample.mainNsPerEvent / 1000).toFixed(3)} µs/event, ` +
              `process ${(sample.processNsPerEvent / 1000).toFixed(3)} µs/event, ELU ${m.elu.toFixed(3)}, delay p99 ${m.delay.p99.toFixed(1)} ms` +
              (verdict.ok ? '' : `  REJECTED: ${verdict.reason}`),
          );
        }
      }
    }
    return samples;
  } finally {
    for (const { sim, runner } of rigs) {
      await runner.stop().catch(() => {});
      await sim.stop().catch(() => {});
    }
  }
}
