/**
 * One client under test, in its own process: `node --import tsx bench/client-process.ts`, driven
 * by the harness over IPC (harness/messages.ts). It counts what its players receive and measures
 * its own main thread while the harness floods it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchClient, BenchClientFactory } from './clients/client.js';
import { startMeasuring, threadCpuNs } from './harness/measure.js';
import type { FromClient, LoadSample, ToClient, TrackLatency } from './harness/messages.js';
import { percentile } from './harness/stats.js';

let client: BenchClient | null = null;
let guilds: readonly string[] = [];
let players = 0;
let received = 0;
let trackEvents = 0;
let perGuild = new Map<string, number>();
let perGuildTrack = new Map<string, number>();
/** Track events by kind, per guild: the flood checks starts and ends apart. */
let perGuildStart = new Map<string, number>();
let perGuildEnd = new Map<string, number>();
/** Receive time minus send time (ms) of each track event that carried its send time. */
let latenciesMs: number[] = [];
let stopMeasuring: (() => ReturnType<ReturnType<typeof startMeasuring>>) | null = null;
/** Set while collecting: called from the counters themselves, so waiting costs no polling wake-ups. */
let onTarget: { expected: number; expectedTrack: number; done(): void } | null = null;
/** Set during a stall and its catch-up: what arrived since the busy loop began. */
let stall: { endedAt: number; trackEvents: number; expectedTrack: number; trackAt: number | null; freshAt: number | null; check(): void } | null = null;

const reply = (message: FromClient): void => void process.send!(message);

function onPlayerUpdate(guildId: string, position?: number): void {
  received++;
  perGuild.set(guildId, (perGuild.get(guildId) ?? 0) + 1);
  if (onTarget && received >= onTarget.expected && trackEvents >= onTarget.expectedTrack) onTarget.done();
  if (stall && stall.freshAt === null && position !== undefined && position >= stall.endedAt) {
    stall.freshAt = performance.now();
    stall.check();
  }
}

function onTrackEvent(guildId: string, type: string, sentAt?: number): void {
  // The same clock as the simulator's stamp (epoch ms): both processes run on this machine.
  if (sentAt !== undefined) latenciesMs.push(performance.timeOrigin + performance.now() - sentAt);
  trackEvents++;
  perGuildTrack.set(guildId, (perGuildTrack.get(guildId) ?? 0) + 1);
  if (type === 'TrackStartEvent') perGuildStart.set(guildId, (perGuildStart.get(guildId) ?? 0) + 1);
  else if (type === 'TrackEndEvent') perGuildEnd.set(guildId, (perGuildEnd.get(guildId) ?? 0) + 1);
  if (onTarget && received >= onTarget.expected && trackEvents >= onTarget.expectedTrack) onTarget.done();
  if (stall && ++stall.trackEvents === stall.expectedTrack) {
    stall.trackAt = performance.now();
    stall.check();
  }
}

function latency(samples: number[]): TrackLatency | null {
  if (samples.length === 0) return null;
  const sorted = samples.sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1]! };
}

function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // the main thread is stuck: no timers, no I/O, no pongs
  }
}

async function handle(message: ToClient): Promise<void> {
  switch (message.type) {
    case 'start': {
      if (!/^[a-z0-9-]+$/.test(message.client)) throw new Error(`bad client name ${message.client}`);
      const factory = ((await import(`./clients/${message.client}.ts`)) as { default: BenchClientFactory }).default;
      client = factory();
      client.onPlayerUpdate(onPlayerUpdate);
      client.onTrackEvent(onTrackEvent);
      const started = performance.now();
      await client.connect(message.nodes, '170939974227541168');
      const connectMs = performance.now() - started;
      guilds = message.guilds;
      await client.createPlayers(message.guilds);
      players = message.guilds.length;
      return reply({ type: 'ready', connectMs });
    }
    case 'measure':
      received = 0;
      trackEvents = 0;
      perGuild = new Map();
      perGuildTrack = new Map();
      perGuildStart = new Map();
      perGuildEnd = new Map();
      latenciesMs = [];
      stopMeasuring = startMeasuring();
      return reply({ type: 'measuring' });
    case 'collect': {
      const expectedTrack = message.expectedTrackEvents ?? 0;
      if (received < message.expected || trackEvents < expectedTrack) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, message.timeoutMs);
          onTarget = { expected: message.expected, expectedTrack, done: () => (clearTimeout(timer), resolve()) };
        });
        onTarget = null;
      }
      const measurement = stopMeasuring!();
      return reply({
        type: 'result',
        received,
        perGuild: Object.fromEntries(perGuild),
        trackEvents,
        perGuildTrack: Object.fromEntries(perGuildTrack),
        perGuildStart: Object.fromEntries(perGuildStart),
        perGuildEnd: Object.fromEntries(perGuildEnd),
        trackLatency: latency(latenciesMs),
        measurement,
      });
    }
    case 'commands': {
      const latenciesMs: number[] = [];
      for (let i = 0; i < message.sequential; i++) {
        const started = performance.now();
        await client!.setVolume(guilds[i % guilds.length]!, 1 + (i % 1000));
        latenciesMs.push(performance.now() - started);
      }
      const burstStarted = performance.now();
      await Promise.all(guilds.map((guildId, i) => client!.setVolume(guildId, 1 + (i % 1000))));
      return reply({ type: 'commands', latenciesMs, burstMs: performance.now() - burstStarted, burstSize: guilds.length });
    }
    case 'stall': {
      let done: () => void = () => {};
      const caughtUp = new Promise<void>((resolve) => (done = resolve));
      const watch = {
        endedAt: Infinity,
        trackEvents: 0,
        expectedTrack: message.expectedTrackEvents,
        trackAt: null as number | null,
        freshAt: null as number | null,
        check: () => {
          if ((watch.trackAt !== null || watch.expectedTrack === 0) && watch.freshAt !== null) done();
        },
      };
      stall = watch;
      const startedAt = Date.now();
      busy(message.ms);
      const endedAt = Date.now();
      const ended = performance.now();
      watch.endedAt = endedAt;
      if (message.expectedTrackEvents === 0) watch.trackAt = ended;
      const timer = setTimeout(done, message.timeoutMs);
      await caughtUp;
      clearTimeout(timer);
      stall = null;
      return reply({
        type: 'stalled',
        startedAt,
        endedAt,
        trackEvents: watch.trackEvents,
        trackCaughtUpMs: watch.trackAt === null ? null : watch.trackAt - ended,
        freshUpdateMs: watch.freshAt === null ? null : watch.freshAt - ended,
      });
    }
    case 'load': {
      const samples: LoadSample[] = [];
      for (let i = 0; i < message.reps; i++) {
        const cpu0 = threadCpuNs();
        const started = performance.now();
        const { tracks, decoded } = await client!.loadAndDecode(message.identifier);
        samples.push({ ms: performance.now() - started, mainCpuMs: (threadCpuNs() - cpu0) / 1e6, tracks, decoded });
      }
      return reply({ type: 'loaded', samples, via: client!.decodeVia });
    }
    case 'memory': {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) throw new Error('the memory scenario needs a client process started with --expose-gc');
      const started = performance.now();
      await client!.createPlayers(message.guilds);
      const createMs = performance.now() - started;
      players += message.guilds.length;
      // Several passes with pauses: finalizers and weak callbacks free more on the next pass.
      for (let i = 0; i < 3; i++) {
        gc();
        await sleep(50);
      }
      const memory = process.memoryUsage();
      return reply({ type: 'memory', players, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, createMs });
    }
    case 'stop':
      await client?.close();
      process.disconnect();
      return;
  }
}

// The harness asks a client it is done with to exit this way only when profiling (exit writes
// the CPU profiles; a SIGKILL would not); otherwise it kills it outright.
process.on('SIGTERM', () => process.exit(0));

process.on('message', (message: ToClient) => {
  handle(message).catch((error: unknown) => {
    reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});
