/**
 * realistic: 10,000 players over 8 nodes at Lavalink's default playerUpdate interval (5 s, so
 * ~2,000 updates a second in all) with tracks a few minutes long (so tens of TrackEnd+TrackStart
 * pairs a second). Each node sends only to the players the client placed on it: the simulators'
 * traffic goes to the players each holds, and answers per guild what it sent.
 */
import type { BenchNode } from '../clients/client.js';
import { startClient, type ClientRunner } from '../harness/client-runner.js';
import type { Measurement } from '../harness/measure.js';
import { startSims, type SimGroup } from '../harness/sim-process.js';
import { combine, mergeCounts, verifyFlood, verifyPerGuild, type Verdict } from '../harness/verify.js';
import { clientProtocols, guildIdsFor } from './flood.js';

export interface RealisticOptions {
  readonly clients: readonly string[];
  readonly players: number;
  readonly nodes: number;
  readonly seconds: number;
  readonly reps: number;
  readonly updateIntervalMs: number;
  readonly trackMs: number;
  /** Unmeasured traffic first, so hot code is compiled. */
  readonly warmupSeconds: number;
  /** How long to wait, after the traffic, for what is still on its way. @default 10000 */
  readonly collectTimeoutMs?: number;
}

export interface RealisticSample {
  readonly client: string;
  readonly rep: number;
  readonly updatesSent: number;
  readonly trackEventsSent: number;
  readonly updatesReceived: number;
  readonly trackEventsReceived: number;
  /** Main-thread CPU ms per second of wall time. */
  readonly mainCpuMsPerSecond: number;
  readonly mainUsPerEvent: number;
  readonly processUsPerEvent: number;
  readonly measurement: Measurement;
  readonly verdict: Verdict;
}

export interface RealisticRun {
  readonly client: string;
  /** Players on each node, as the simulators saw them (the client's own placement). */
  readonly placement: readonly number[];
  readonly samples: readonly RealisticSample[];
  /** Set when the client could not be run (crash, hang, players missing): its samples do not count. */
  readonly failure: string | null;
}

/** The floor counts frames without parsing: checked in total only. */
const totalsOnly = new Set(['floor']);

interface PlayerSnapshot {
  readonly guildId: string;
}

/** Every guild must have exactly one player over all the nodes; answers players per node. */
async function placement(sims: SimGroup, guildIds: readonly string[]): Promise<number[]> {
  const lists = await Promise.all(sims.controls.map((control) => control<PlayerSnapshot[]>('GET', 'players')));
  const seen = new Map<string, number>();
  for (const list of lists) for (const p of list) seen.set(p.guildId, (seen.get(p.guildId) ?? 0) + 1);
  const absent = guildIds.filter((g) => !seen.has(g));
  const doubled = [...seen.values()].filter((n) => n > 1).length;
  if (absent.length > 0 || doubled > 0) throw new Error(`players misplaced: ${absent.length} guilds have no player on any node, ${doubled} have several`);
  return lists.map((l) => l.length);
}

async function trafficRound(sims: SimGroup, runner: ClientRunner, options: RealisticOptions, durationMs: number, totalsOnly: boolean) {
  await runner.send({ type: 'measure' }, 'measuring');
  const results = await Promise.all(
    sims.controls.map((control) => control<{ updates: Record<string, number>; trackEvents: Record<string, number> }>('POST', 'traffic', { durationMs, updateIntervalMs: options.updateIntervalMs, trackMs: options.trackMs })),
  );
  const updates = mergeCounts(results.map((r) => r.updates));
  const trackEvents = mergeCounts(results.map((r) => r.trackEvents));
  const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
  const updatesSent = sum(updates);
  const trackEventsSent = sum(trackEvents);
  // The floor counts every frame as one update: it waits for the sum.
  const expected = totalsOnly ? { expected: updatesSent + trackEventsSent } : { expected: updatesSent, expectedTrackEvents: trackEventsSent };
  const timeoutMs = options.collectTimeoutMs ?? 10_000;
  const result = await runner.send({ type: 'collect', ...expected, timeoutMs }, 'result', timeoutMs + 20_000);
  return { updates, trackEvents, updatesSent, trackEventsSent, result };
}

interface Rig {
  readonly client: string;
  readonly sims: SimGroup;
  readonly runner: ClientRunner;
  readonly placement: readonly number[];
  readonly samples: RealisticSample[];
  failure: string | null;
}

/** One client's nodes, the client with its players placed on them, and its placement checked. */
async function startRig(client: string, options: RealisticOptions, guildIds: readonly string[], log: (line: string) => void): Promise<Rig> {
  const protocol = clientProtocols[client];
  if (!protocol) throw new Error(`unknown client ${client}`);
  const sims = await startSims(options.nodes, protocol, { control: true });
  let runner: ClientRunner | null = null;
  try {
    const nodes: BenchNode[] = sims.ports.map((port, i) => ({ id: `node-${i}`, host: '127.0.0.1', port, password: 'youshallnotpass' }));
    const setupStarted = performance.now();
    runner = await startClient(client, nodes, guildIds, { timeoutMs: 180_000 });
    const nodesPlacement = await placement(sims, guildIds);
    log(`  ${client.padEnd(18)} ${options.players} players on ${options.nodes} nodes (${nodesPlacement.join('/')}) in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);
    return { client, sims, runner, placement: nodesPlacement, samples: [], failure: null };
  } catch (error) {
    await runner?.kill();
    await sims.stop().catch(() => {});
    throw error;
  }
}

async function measureRep(rig: Rig, options: RealisticOptions, rep: number, log: (line: string) => void): Promise<void> {
  const { client, sims, runner } = rig;
  const { updates, trackEvents, updatesSent, trackEventsSent, result } = await trafficRound(sims, runner, options, options.seconds * 1000, totalsOnly.has(client));
  const m = result.measurement;
  const events = result.received + result.trackEvents;
  const verdict = totalsOnly.has(client)
    ? verifyFlood(updatesSent + trackEventsSent, [], events, {}, false)
    : combine(verifyPerGuild(updates, result.perGuild, 'playerUpdates'), verifyPerGuild(trackEvents, result.perGuildTrack, 'track events'));
  const sample: RealisticSample = {
    client,
    rep,
    updatesSent,
    trackEventsSent,
    updatesReceived: result.received,
    trackEventsReceived: result.trackEvents,
    mainCpuMsPerSecond: m.mainCpuNs / 1e6 / (m.wallMs / 1000),
    mainUsPerEvent: m.mainCpuNs / 1000 / Math.max(1, events),
    processUsPerEvent: m.processCpuNs / 1000 / Math.max(1, events),
    measurement: m,
    verdict,
  };
  rig.samples.push(sample);
  log(
    `  ${client.padEnd(18)} rep ${rep + 1}: ${updatesSent} updates + ${trackEventsSent} track events; main ${sample.mainCpuMsPerSecond.toFixed(1)} ms/s, ` +
      `${sample.mainUsPerEvent.toFixed(2)} µs/event, ELU ${m.elu.toFixed(3)}, delay p99 ${m.delay.p99.toFixed(1)} ms, RSS peak ${(m.rssPeakBytes / 2 ** 20).toFixed(0)} MB` +
      (verdict.ok ? '' : `  REJECTED: ${verdict.reason}`),
  );
}

/**
 * Every client set up first, each on nodes of its own; then the clients take turns within each
 * repetition (reversed every other one, as in flood), so drift on a shared machine hits all alike.
 * Only the client being measured gets traffic; the others sit idle with their players.
 */
export async function runRealistic(options: RealisticOptions, log: (line: string) => void): Promise<RealisticRun[]> {
  const guildIds = guildIdsFor(options.players);
  const runs: RealisticRun[] = [];
  const rigs: Rig[] = [];
  const failed = (rig: Rig, error: unknown): void => {
    rig.failure = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    log(`  ${rig.client.padEnd(18)} FAILED: ${rig.failure}`);
  };
  try {
    for (const client of options.clients) {
      try {
        rigs.push(await startRig(client, options, guildIds, log));
      } catch (error) {
        const failure = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        log(`  ${client.padEnd(18)} FAILED: ${failure}`);
        runs.push({ client, placement: [], samples: [], failure });
      }
    }
    if (options.warmupSeconds > 0) {
      for (const rig of rigs) {
        await trafficRound(rig.sims, rig.runner, options, options.warmupSeconds * 1000, totalsOnly.has(rig.client)).catch((error: unknown) => failed(rig, error));
      }
    }
    for (let rep = 0; rep < options.reps; rep++) {
      const order = rep % 2 === 0 ? rigs : [...rigs].reverse();
      for (const rig of order) {
        if (rig.failure !== null) continue;
        await measureRep(rig, options, rep, log).catch((error: unknown) => failed(rig, error));
      }
    }
  } finally {
    // No graceful close: some close 10,000 players one REST call at a time, and the nodes go anyway.
    for (const rig of rigs) {
      await rig.runner.kill();
      await rig.sims.stop().catch(() => {});
    }
  }
  const order = new Map(options.clients.map((client, i) => [client, i]));
  runs.push(...rigs.map(({ client, placement: p, samples, failure }) => ({ client, placement: p, samples, failure })));
  return runs.sort((a, b) => order.get(a.client)! - order.get(b.client)!);
}
