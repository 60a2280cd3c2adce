/**
 * flood: `playerUpdate`s over 1000 guilds at fixed rates, every Nth frame a track event instead
 * (TrackStart and TrackEnd in turn per guild), to one client at a time. What it costs each
 * client's main thread per event is the figure lavathread exists to lower; how long a track event
 * takes to reach the players is what its batching must not spoil.
 */
import type { BenchNode } from '../clients/client.js';
import { startClient, type ClientRunner } from '../harness/client-runner.js';
import type { Measurement } from '../harness/measure.js';
import type { TrackLatency } from '../harness/messages.js';
import { startSim, type SimProcess } from '../harness/sim-process.js';
import { verifyFloodMix, type FloodSent, type Verdict } from '../harness/verify.js';

export interface FloodOptions {
  readonly clients: readonly string[];
  readonly rates: readonly number[];
  readonly seconds: number;
  readonly reps: number;
  readonly guilds: number;
  /** Unmeasured flood before the measured ones, per rate. */
  readonly warmupSeconds: number;
  /** Every Nth frame is a track event (0: playerUpdates only). @default 100 */
  readonly eventEvery?: number;
  /** How long to wait, after a flood, for frames still on their way. @default 10000 */
  readonly collectTimeoutMs?: number;
}

export interface FloodSample {
  readonly client: string;
  readonly rate: number;
  readonly rep: number;
  /** Frames sent, of them track events; and what the players received (updates and track events). */
  readonly frames: number;
  readonly trackEventsSent: number;
  readonly received: number;
  readonly achievedRate: number;
  readonly deliveredRate: number;
  readonly mainNsPerEvent: number;
  readonly processNsPerEvent: number;
  /** Send to listener, ms; null for a client that does not read tracks (the floor). */
  readonly trackLatency: TrackLatency | null;
  readonly measurement: Measurement;
  readonly verdict: Verdict;
}

/** Which protocol each client speaks, so it gets a simulator of that version. */
export const clientProtocols: Readonly<Record<string, 3 | 4>> = {
  floor: 4,
  'ws-json': 4,
  'lavathread-worker': 4,
  'lavathread-inline': 4,
  'lavathread-baseline': 4,
  'lavathread-file-store': 4,
  'lavathread-redis-store': 4,
  shoukaku: 4,
  'lavalink-client': 4,
  lavaclient: 3,
  aqualink: 4,
  dropper: 4,
};

/** What the simulator answers a flood with (src/testing/flood.ts FloodResult). */
interface FloodAnswer extends FloodSent {
  readonly elapsedMs: number;
}

const sum = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** The floor counts frames without parsing: it can be checked in total only. */
const totalsOnly = new Set(['floor']);

export const guildIdsFor = (count: number): string[] => Array.from({ length: count }, (_, i) => String(900000000000000000n + BigInt(i)));

export async function runFlood(options: FloodOptions, log: (line: string) => void): Promise<FloodSample[]> {
  const guildIds = guildIdsFor(options.guilds);
  const eventEvery = options.eventEvery ?? 100;
  /** Flood, then wait until the client's players had it all (or the timeout): what the client got. */
  const floodOnce = async (client: string, sim: SimProcess, runner: ClientRunner, rate: number, durationMs: number) => {
    await runner.send({ type: 'measure' }, 'measuring');
    const sent = await sim.control<FloodAnswer>('POST', 'flood', { rate, guilds: options.guilds, durationMs, guildIds, eventEvery });
    // The floor counts every frame as an update; the others count updates and track events apart.
    const expected = totalsOnly.has(client) ? { expected: sent.frames } : { expected: sum(sent.updates), expectedTrackEvents: sum(sent.trackStarts) + sum(sent.trackEnds) };
    const got = await runner.send({ type: 'collect', ...expected, timeoutMs: options.collectTimeoutMs ?? 10_000 }, 'result', 30_000);
    return { sent, got };
  };
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
      for (const { client, sim, runner } of rigs) await floodOnce(client, sim, runner, rate, options.warmupSeconds * 1000);
      for (let rep = 0; rep < options.reps; rep++) {
        // Clients take turns within each repetition, so drift on a shared machine hits all alike.
        const order = rep % 2 === 0 ? rigs : [...rigs].reverse();
        for (const { client, sim, runner } of order) {
          const { sent, got } = await floodOnce(client, sim, runner, rate, options.seconds * 1000);
          const verdict = verifyFloodMix(sent, got, !totalsOnly.has(client));
          const m = got.measurement;
          const events = got.received + got.trackEvents;
          const sample: FloodSample = {
            client,
            rate,
            rep,
            frames: sent.frames,
            trackEventsSent: sum(sent.trackStarts) + sum(sent.trackEnds),
            received: events,
            achievedRate: sent.frames / (sent.elapsedMs / 1000),
            deliveredRate: events / (m.wallMs / 1000),
            mainNsPerEvent: m.mainCpuNs / Math.max(1, events),
            processNsPerEvent: m.processCpuNs / Math.max(1, events),
            trackLatency: got.trackLatency,
            measurement: m,
            verdict,
          };
          samples.push(sample);
          const latency = got.trackLatency ? `, track event p50 ${got.trackLatency.p50Ms.toFixed(2)} / p99 ${got.trackLatency.p99Ms.toFixed(2)} ms` : '';
          log(
            `  ${client.padEnd(18)} ${String(rate).padStart(6)}/s rep ${rep + 1}: main ${(sample.mainNsPerEvent / 1000).toFixed(3)} µs/event, ` +
              `process ${(sample.processNsPerEvent / 1000).toFixed(3)} µs/event, RSS peak ${(m.rssPeakBytes / 2 ** 20).toFixed(0)} MB, ELU ${m.elu.toFixed(3)}, delay p99 ${m.delay.p99.toFixed(1)} ms${latency}` +
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
