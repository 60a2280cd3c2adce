/**
 * stall: the client's main thread busy (a synchronous loop) for a few seconds in the middle of a
 * flood, against a node that drops clients missing a pong for 1 s. During the stall the node sends
 * a track change (TrackEndEvent + TrackStartEvent) to some guilds. Reported: whether the
 * connection was kept, how many of those track events the players never got, and how long after
 * the loop the client had them all plus the first playerUpdate sent after the loop.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchNode } from '../clients/client.js';
import { startClient, type ClientRunner } from '../harness/client-runner.js';
import type { StallReport } from '../harness/messages.js';
import { startSim, type SimProcess } from '../harness/sim-process.js';
import { stallOutcome, type StallOutcome } from '../harness/stall-outcome.js';
import { clientProtocols, guildIdsFor } from './flood.js';

export interface StallOptions {
  readonly clients: readonly string[];
  readonly reps: number;
  /** How long the main thread is stuck. */
  readonly stallMs: number;
  readonly guilds: number;
  /** Guilds that get a track change during the stall (two events each). */
  readonly trackGuilds: number;
  /** playerUpdates per second over `guilds` during the whole run. */
  readonly rate: number;
  readonly heartbeat: { readonly intervalMs: number; readonly timeoutMs: number };
}

export interface StallSample extends StallOutcome {
  readonly client: string;
  readonly rep: number;
  readonly heartbeatDrops: number;
  readonly report: StallReport | null;
  /** The run broke (crash, hang): nothing above counts. */
  readonly failure: string | null;
}

/** The floor does not parse frames: it cannot tell track events apart. */
export const stallSkips: Readonly<Record<string, string>> = { floor: 'counts frames without parsing them: no track events to count' };

interface SessionSnapshot {
  readonly id: string;
  readonly state: string;
}

/** Flood before the stall, and after it (the catch-up needs fresh updates and time to arrive). */
const LEAD_MS = 500;
const TAIL_MS = 1500;
/**
 * When the track changes are sent, into the stall: after the heartbeat (a ping every 250 ms, a
 * drop after 1 s without a pong) had time to drop a client that stopped answering, so a client
 * that lost its connection cannot have had them in its socket buffer already; and well before the
 * loop ends.
 */
export function sendAtMs(stallMs: number, heartbeat: StallOptions['heartbeat']): number {
  const afterDrop = heartbeat.intervalMs + heartbeat.timeoutMs + 250;
  const beforeEnd = stallMs - 400;
  if (beforeEnd < afterDrop) throw new Error(`a ${stallMs} ms stall is too short to send track events after a heartbeat drop (${afterDrop} ms in) and before its end`);
  return Math.min(afterDrop + 500, beforeEnd);
}

async function oneStall(client: string, rep: number, options: StallOptions, sim: SimProcess, runner: ClientRunner, guildIds: readonly string[]): Promise<StallSample> {
  const before = await sim.control<SessionSnapshot[]>('GET', 'sessions');
  const drops0 = (await sim.control<{ dropped: number }>('GET', 'heartbeat')).dropped;
  await runner.send({ type: 'measure' }, 'measuring');
  const flooding = sim.control<{ frames: number }>('POST', 'flood', { rate: options.rate, guilds: options.guilds, durationMs: LEAD_MS + options.stallMs + TAIL_MS, guildIds, wallClockPosition: true });
  flooding.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
  await sleep(LEAD_MS);
  const trackGuilds = guildIds.slice(0, options.trackGuilds);
  const stalled = runner.send({ type: 'stall', ms: options.stallMs, expectedTrackEvents: trackGuilds.length * 2, timeoutMs: TAIL_MS }, 'stalled', options.stallMs + TAIL_MS + 30_000);
  stalled.catch(() => {});
  // Mid-stall: past the heartbeat's timeout, well before the loop ends.
  await sleep(sendAtMs(options.stallMs, options.heartbeat));
  const sentFrom = Date.now();
  await sim.control('POST', 'track-change', { guildIds: trackGuilds });
  const sentUntil = Date.now();
  const report = await stalled;
  await flooding;
  const after = await sim.control<SessionSnapshot[]>('GET', 'sessions');
  const heartbeatDrops = (await sim.control<{ dropped: number }>('GET', 'heartbeat')).dropped - drops0;
  await runner.send({ type: 'collect', expected: 0, timeoutMs: 0 }, 'result'); // ends the measuring window
  const sessionStillOpen = before.some((s) => after.some((a) => a.id === s.id && a.state === 'open'));
  const outcome = stallOutcome({ report, trackEventsSent: trackGuilds.length * 2, sentFrom, sentUntil, heartbeatDrops, sessionStillOpen });
  return { client, rep, ...outcome, heartbeatDrops, report, failure: null };
}

const ms = (value: number | null | undefined): string => (value === null || value === undefined ? 'never' : `${value.toFixed(1)} ms`);

export async function runStall(options: StallOptions, log: (line: string) => void): Promise<StallSample[]> {
  const guildIds = guildIdsFor(options.guilds);
  const samples: StallSample[] = [];
  for (const client of options.clients) {
    const protocol = clientProtocols[client];
    if (!protocol) throw new Error(`unknown client ${client}`);
    // A fresh client and node for every repetition: a client dropped once starts the next one clean.
    for (let rep = 0; rep < options.reps; rep++) {
      let sim: SimProcess | null = null;
      let runner: ClientRunner | null = null;
      try {
        sim = await startSim(protocol, ['--heartbeat-interval', String(options.heartbeat.intervalMs), '--heartbeat-timeout', String(options.heartbeat.timeoutMs)]);
        const node: BenchNode = { id: 'bench', host: '127.0.0.1', port: sim.port, password: 'youshallnotpass' };
        runner = await startClient(client, [node], guildIds);
        const sample = await oneStall(client, rep, options, sim, runner, guildIds);
        samples.push(sample);
        log(
          `  ${client.padEnd(18)} rep ${rep + 1}: connection ${sample.connectionKept ? 'kept' : 'LOST'}, ${sample.trackEventsLost}/${sample.trackEventsSent} track events lost, ` +
            `caught up ${sample.catchUpMs === null ? 'never' : `in ${sample.catchUpMs.toFixed(1)} ms`} (track events ${ms(sample.report?.trackCaughtUpMs)}, fresh playerUpdate ${ms(sample.report?.freshUpdateMs)})` +
            (sample.valid ? '' : '  (INVALID: the track events did not leave during the stall)'),
        );
      } catch (error) {
        const failure = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        log(`  ${client.padEnd(18)} rep ${rep + 1}: FAILED: ${failure}`);
        samples.push({ client, rep, connectionKept: false, trackEventsSent: options.trackGuilds * 2, trackEventsLost: options.trackGuilds * 2, catchUpMs: null, valid: false, metTarget: false, heartbeatDrops: 0, report: null, failure });
      } finally {
        // No graceful close: a client that lost its node may take long to give up on it.
        await runner?.kill();
        await sim?.stop().catch(() => {});
      }
    }
  }
  return samples;
}
