/**
 * The flood fault: `playerUpdate` frames at a fixed rate over N guilds, for a bounded time,
 * optionally mixed with track events (a TrackStartEvent / TrackEndEvent pair per guild, in turn).
 */
import type { Dialect } from './dialect.js';
import type { SimSession } from './session.js';
import type { SimTrack } from './types.js';

/**
 * What `sim.flood()` sends: `playerUpdate`s at `rate` a second over `guilds` guilds for `durationMs`, optionally mixed with track events.
 *
 * @example
 * ```ts
 * const result = await sim.flood({ rate: 5000, guilds: 1000, durationMs: 3000 });
 * ```
 */
export interface FloodOptions {
  /** Frames per second sent to each session. */
  readonly rate: number;
  /** How many guilds the frames rotate over. */
  readonly guilds: number;
  /** How long to flood, in ms (at most 10 minutes). */
  readonly durationMs: number;
  /** Guild ids to use instead of made-up ones (length must equal `guilds`). */
  readonly guildIds?: readonly string[];
  /**
   * Each frame's `position` is the wall clock (Date.now()) instead of the time since the flood
   * began: a client that exposes only the position can still tell a frame sent after a moment.
   * @default false
   */
  readonly wallClockPosition?: boolean;
  /**
   * Every `eventEvery`-th frame (the `eventEvery`-th, the `2 * eventEvery`-th...) is a track event
   * instead of a playerUpdate, for the guild whose turn it is: each guild gets a TrackStartEvent,
   * then a TrackEndEvent (reason `finished`), then a TrackStartEvent again, as this release writes
   * them. Each event's track is a made-up one encoded for this release whose `info.uri` is
   * `sim:flood?sent=<ms>`, the send time as `performance.timeOrigin + performance.now()` (epoch
   * ms with a fraction): a client in another process on the same machine can tell how long the
   * event took to reach it, from the encoded track alone if need be (v3 events carry only that).
   * 0 sends playerUpdates only. Events take the guild rotation's turn, so when `eventEvery`
   * divides `guilds` the same few guilds get all of them (1000 guilds, every 100th frame: 10).
   * @default 0
   * @example
   * await sim.flood({ rate: 5000, guilds: 1000, durationMs: 3000, eventEvery: 100 });
   */
  readonly eventEvery?: number;
}

/** What a flood sent, to compare with what a client received. */
export interface FloodResult {
  /** Frames each session was sent. Guild `guildIds[i]` got `floor(frames / guilds)`, plus one if `i < frames % guilds`. */
  readonly frames: number;
  /** The guilds flooded, in rotation order. */
  readonly guildIds: readonly string[];
  /** How many sessions were flooded. */
  readonly sessions: number;
  /** How long the flood took, ms. */
  readonly elapsedMs: number;
  /** Per guild, what each session was sent of each kind (every guild of `guildIds` is a key; they add up to `frames`). */
  readonly updates: Record<string, number>;
  /** Per guild, the `TrackStartEvent`s each session was sent. */
  readonly trackStarts: Record<string, number>;
  /** Per guild, the `TrackEndEvent`s each session was sent. */
  readonly trackEnds: Record<string, number>;
}

/** How the simulator that floods writes its frames. */
export interface FloodWire {
  /** The release sends `connected` and `ping` in every player state. */
  readonly fullState: boolean;
  readonly dialect: Dialect;
  /** A made-up track whose `info.uri` is `uri`, encoded as the release writes tracks. */
  track(uri: string): SimTrack;
}

/** First made-up guild id: snowflake-sized, so clients that parse ids see realistic ones. */
const FIRST_GUILD = 900000000000000000n;

/** What a flood's track `uri` starts with; the send time follows it. */
export const FLOOD_SENT_PREFIX = 'sim:flood?sent=';

/** The made-up guild ids a flood of `count` guilds uses (snowflake-sized), for setting up players on them first. */
export function floodGuildIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(FIRST_GUILD + BigInt(i)));
}

/**
 * Sends frames in catch-up ticks: each tick sends what the rate says is due by now, so a late
 * timer never lowers the achieved rate, only makes it burstier. `signal` (the simulator closing)
 * stops the flood at once; it then resolves with what was sent so far.
 */
export function flood(sessions: () => readonly SimSession[], options: FloodOptions, wire: FloodWire, signal: AbortSignal): Promise<FloodResult> {
  const guildIds = options.guildIds ?? floodGuildIds(options.guilds);
  const total = Math.floor((options.rate * options.durationMs) / 1000);
  const eventEvery = options.eventEvery ?? 0;
  // Counted by guild slot, turned into records once at the end.
  const updates = new Array<number>(guildIds.length).fill(0);
  const starts = new Array<number>(guildIds.length).fill(0);
  const ends = new Array<number>(guildIds.length).fill(0);
  const start = performance.now();
  const startTime = Date.now();
  let sent = 0;
  let guild = 0;
  let targets = 0;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      const byGuild = (counts: number[]): Record<string, number> => Object.fromEntries(guildIds.map((id, i) => [id, counts[i]!]));
      resolve({ frames: sent, guildIds, sessions: targets, elapsedMs: performance.now() - start, updates: byGuild(updates), trackStarts: byGuild(starts), trackEnds: byGuild(ends) });
    };
    const tick = (): void => {
      const elapsed = performance.now() - start;
      const due = Math.min(total, Math.floor((options.rate * elapsed) / 1000));
      const open = sessions().filter((s) => s.state === 'open');
      targets = Math.max(targets, open.length);
      const now = Date.now();
      const position = options.wallClockPosition === true ? now : now - startTime;
      const tail = wire.fullState ? `,"connected":true,"ping":20}}` : '}}';
      for (; sent < due; sent++) {
        let frame: string;
        if (eventEvery > 0 && (sent + 1) % eventEvery === 0) {
          // A guild's events alternate, starting with TrackStart: it has ended each track it started.
          const isStart = starts[guild] === ends[guild];
          frame = trackEvent(wire, guildIds[guild]!, isStart);
          (isStart ? starts : ends)[guild]!++;
        } else {
          frame = `{"op":"playerUpdate","guildId":"${guildIds[guild]}","state":{"time":${now},"position":${position}${tail}`;
          updates[guild]!++;
        }
        guild = guild + 1 === guildIds.length ? 0 : guild + 1;
        for (const session of open) session.sendRaw(frame);
      }
      if (sent >= total || elapsed >= options.durationMs) finish();
      else timer = setTimeout(tick, 1);
    };
    if (signal.aborted) return finish();
    signal.addEventListener('abort', finish, { once: true });
    tick();
  });
}

/** One track event frame, spelled as `session.sendEvent` spells it, stamped with its send time. */
function trackEvent(wire: FloodWire, guildId: string, isStart: boolean): string {
  const track = wire.track(`${FLOOD_SENT_PREFIX}${performance.timeOrigin + performance.now()}`);
  const d = wire.dialect;
  const base = { op: 'event', type: isStart ? 'TrackStartEvent' : 'TrackEndEvent', guildId };
  return JSON.stringify(isStart ? { ...base, ...d.eventTrack(track, 0) } : { ...base, ...d.eventTrack(track, track.info.length), reason: d.endReason('finished') });
}
