/** The flood fault: `playerUpdate` frames at a fixed rate over N guilds, for a bounded time. */
import type { SimSession } from './session.js';

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
}

export interface FloodResult {
  /** Frames each session was sent. Guild `guildIds[i]` got `floor(frames / guilds)`, plus one if `i < frames % guilds`. */
  readonly frames: number;
  readonly guildIds: readonly string[];
  /** How many sessions were flooded. */
  readonly sessions: number;
  readonly elapsedMs: number;
}

/** First made-up guild id: snowflake-sized, so clients that parse ids see realistic ones. */
const FIRST_GUILD = 900000000000000000n;

export function floodGuildIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(FIRST_GUILD + BigInt(i)));
}

/**
 * Sends frames in catch-up ticks: each tick sends what the rate says is due by now, so a late
 * timer never lowers the achieved rate, only makes it burstier. `signal` (the simulator closing)
 * stops the flood at once; it then resolves with what was sent so far.
 */
export function flood(sessions: () => readonly SimSession[], options: FloodOptions, fullState: boolean, signal: AbortSignal): Promise<FloodResult> {
  const guildIds = options.guildIds ?? floodGuildIds(options.guilds);
  const total = Math.floor((options.rate * options.durationMs) / 1000);
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
      resolve({ frames: sent, guildIds, sessions: targets, elapsedMs: performance.now() - start });
    };
    const tick = (): void => {
      const elapsed = performance.now() - start;
      const due = Math.min(total, Math.floor((options.rate * elapsed) / 1000));
      const open = sessions().filter((s) => s.state === 'open');
      targets = Math.max(targets, open.length);
      const now = Date.now();
      const position = options.wallClockPosition === true ? now : now - startTime;
      const tail = fullState ? `,"connected":true,"ping":20}}` : '}}';
      for (; sent < due; sent++) {
        const frame = `{"op":"playerUpdate","guildId":"${guildIds[guild]}","state":{"time":${now},"position":${position}${tail}`;
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
