/**
 * Realistic traffic: every player the node holds gets a playerUpdate every `updateIntervalMs`
 * (Lavalink's default is 5 s) and a track change (TrackEndEvent then TrackStartEvent) every
 * `trackMs`, staggered evenly so the node sends a steady stream rather than bursts. Unlike the
 * flood, it only talks about guilds whose players live on this node, and it counts per guild what
 * it sent, so a benchmark can check that each of them arrived.
 */
import type { SimSession } from './session.js';
import type { SimPlayer } from './sim-player.js';
import type { SimTrack } from './types.js';

export interface TrafficOptions {
  /** How long to run, in ms (at most 10 minutes). */
  readonly durationMs: number;
  /** Between two playerUpdates of one player. @default 5000 */
  readonly updateIntervalMs?: number;
  /** Between two track changes of one player (the track's length). @default 180000 */
  readonly trackMs?: number;
}

export interface TrafficResult {
  /** playerUpdates sent, per guild. */
  readonly updates: Record<string, number>;
  /** Track events sent (two per track change), per guild. */
  readonly trackEvents: Record<string, number>;
  /** Players the traffic went to (those of open sessions when it started). */
  readonly players: number;
  readonly elapsedMs: number;
}

interface Target {
  readonly session: SimSession;
  readonly player: SimPlayer;
}

/** Sends the events of a finished track and of the next one, as a node does between two tracks. */
export function changeTrack(session: SimSession, player: SimPlayer, track: SimTrack): void {
  session.sendEvent(player, { type: 'TrackEndEvent', track, position: track.info.length, reason: 'finished' });
  session.sendEvent(player, { type: 'TrackStartEvent', track, position: 0 });
}

/**
 * Runs in catch-up ticks like the flood: a late timer makes the traffic burstier, never smaller.
 * Frames for a session that is no longer open are not sent and not counted.
 */
export function traffic(sessions: readonly SimSession[], track: SimTrack, options: TrafficOptions, signal: AbortSignal): Promise<TrafficResult> {
  const updateIntervalMs = options.updateIntervalMs ?? 5000;
  const trackMs = options.trackMs ?? 180_000;
  const targets: Target[] = [];
  for (const session of sessions) if (session.state === 'open') for (const player of session.players.values()) targets.push({ session, player });
  const updates: Record<string, number> = {};
  const trackEvents: Record<string, number> = {};
  for (const { player } of targets) updates[player.guildId] = trackEvents[player.guildId] = 0;
  const n = targets.length;
  const totalUpdates = Math.floor((options.durationMs * n) / updateIntervalMs);
  const totalChanges = Math.floor((options.durationMs * n) / trackMs);
  const start = performance.now();
  let sentUpdates = 0;
  let sentChanges = 0;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve({ updates, trackEvents, players: n, elapsedMs: performance.now() - start });
    };
    const tick = (): void => {
      const elapsed = performance.now() - start;
      const updatesDue = Math.min(totalUpdates, Math.floor((elapsed * n) / updateIntervalMs));
      for (; sentUpdates < updatesDue; sentUpdates++) {
        const { session, player } = targets[sentUpdates % n]!;
        if (session.state !== 'open') continue;
        session.sendPlayerUpdate(player);
        updates[player.guildId]!++;
      }
      const changesDue = Math.min(totalChanges, Math.floor((elapsed * n) / trackMs));
      for (; sentChanges < changesDue; sentChanges++) {
        // From the other end of the list, so a player's track change and its update do not coincide.
        const { session, player } = targets[n - 1 - (sentChanges % n)]!;
        if (session.state !== 'open') continue;
        changeTrack(session, player, track);
        trackEvents[player.guildId]! += 2;
      }
      if (elapsed >= options.durationMs || n === 0) finish();
      else timer = setTimeout(tick, 5);
    };
    if (signal.aborted) return finish();
    signal.addEventListener('abort', finish, { once: true });
    tick();
  });
}
