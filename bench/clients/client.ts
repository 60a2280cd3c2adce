/**
 * What the harness drives: one Lavalink client, the way a bot drives it. Each adapter lives in
 * its own file here and runs in its own process (bench/client-process.ts), so no client is billed
 * for another's work or the simulator's.
 */
import { FLOOD_SENT_PREFIX } from '../../src/testing/flood.js';

export interface BenchNode {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly password: string;
}

export interface BenchClient {
  /** The Lavalink protocol the client speaks: it is run against a simulator of that version. */
  readonly protocol: 3 | 4;
  /** Connects to every node; resolves when each has a usable session. */
  connect(nodes: readonly BenchNode[], userId: string): Promise<void>;
  /**
   * Makes a player for each guild as a bot would (create, join voice with made-up Discord voice
   * events, so the client routes the node's frames to it). Players spread over the nodes the way
   * the client chooses.
   */
  createPlayers(guildIds: readonly string[]): Promise<void>;
  /**
   * Calls `listener(guildId, position)` for every playerUpdate a player (not just the socket)
   * received, with the frame's `state.position` where the library exposes it (the stall scenario
   * floods with wall-clock positions to tell frames sent after a moment).
   */
  onPlayerUpdate(listener: (guildId: string, position?: number) => void): void;
  /**
   * Calls `listener(guildId, type, sentAt)` for every track event a player received, `type` as
   * Lavalink names it (`TrackStartEvent`...). `sentAt` is the send time a flood wrote into the
   * event's track (see {@link floodSentAt}), read from what the library hands its listener.
   */
  onTrackEvent(listener: (guildId: string, type: string, sentAt?: number) => void): void;
  /** Sets a guild player's volume through the library's player API; settles when its promise does. */
  setVolume(guildId: string, volume: number): Promise<void>;
  /** Loads an identifier through the library's REST API; answers how many tracks it got. */
  loadTracks(identifier: string): Promise<number>;
  /**
   * Loads `identifier` through the library's REST API, then decodes every encoded track of the
   * answer through the library's decode API; answers how many tracks each step gave.
   */
  loadAndDecode(identifier: string): Promise<{ tracks: number; decoded: number }>;
  /** How `loadAndDecode` decodes (a local decoder, REST decodetracks, one REST call per track...). */
  readonly decodeVia: string;
  /** Loads `identifier` and plays its first track on the guild's player, through the library. */
  play(guildId: string, identifier: string): Promise<void>;
  close(): Promise<void>;
}

/** Each adapter module's default export. */
export type BenchClientFactory = () => BenchClient;

export const BENCH_USER_ID = '170939974227541168';

/**
 * The send time (epoch ms, `performance.timeOrigin + performance.now()` in the simulator) that the
 * simulator's flood writes into each event's track `uri`; undefined for any other track.
 */
export function floodSentAt(uri: string | null | undefined): number | undefined {
  return typeof uri === 'string' && uri.startsWith(FLOOD_SENT_PREFIX) ? Number(uri.slice(FLOOD_SENT_PREFIX.length)) : undefined;
}

/** Made-up Discord voice events for a guild: what a gateway would deliver after joining. */
export function fakeVoice(guildId: string, index: number): { state: Record<string, unknown>; server: Record<string, unknown> } {
  return {
    state: { guild_id: guildId, channel_id: String(800000000000000000n + BigInt(index)), user_id: BENCH_USER_ID, session_id: `bench-session-${index}`, deaf: false, mute: false, self_deaf: true, self_mute: false, suppress: false },
    server: { token: `bench-token-${index}`, guild_id: guildId, endpoint: 'bench.discord.media:443' },
  };
}

/** Runs `fn` over `items`, at most `limit` at a time (a peer's player creation costs a REST call each). */
export async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
