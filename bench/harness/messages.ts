/** Parent ↔ client-process messages (over the child's IPC channel). */
import type { BenchNode } from '../clients/client.js';
import type { Measurement } from './measure.js';

export type ToClient =
  | { readonly type: 'start'; readonly client: string; readonly nodes: readonly BenchNode[]; readonly guilds: readonly string[] }
  | { readonly type: 'measure' }
  /** Stop when this many playerUpdates (and track events, if given) arrived, or after `timeoutMs`. */
  | { readonly type: 'collect'; readonly expected: number; readonly expectedTrackEvents?: number; readonly timeoutMs: number }
  /** Sequential setVolume round trips, then every guild's player at once. */
  | { readonly type: 'commands'; readonly sequential: number }
  /**
   * Busy-loops the main thread for `ms`, then waits (at most `timeoutMs`) until `expectedTrackEvents`
   * track events arrived since the loop began and a playerUpdate whose position (the flood's wall
   * clock) is at or after the loop's end.
   */
  | { readonly type: 'stall'; readonly ms: number; readonly expectedTrackEvents: number; readonly timeoutMs: number }
  /** `loadAndDecode(identifier)` `reps` times, each timed and its main-thread CPU measured. */
  | { readonly type: 'load'; readonly identifier: string; readonly reps: number }
  /** Creates players for these guilds (maybe none), forces GC, and reads the memory. Needs --expose-gc. */
  | { readonly type: 'memory'; readonly guilds: readonly string[] }
  | { readonly type: 'stop' };

export interface StallReport {
  readonly type: 'stalled';
  /** Wall clock (Date.now()) when the busy loop began and ended. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Track events received since the loop began (by the end of the wait). */
  readonly trackEvents: number;
  /** From the loop's end until the last expected track event arrived (null: never did). */
  readonly trackCaughtUpMs: number | null;
  /** From the loop's end until the first playerUpdate sent after it arrived (null: none did). */
  readonly freshUpdateMs: number | null;
}

/** Receive time minus send time of the track events that carried their send time (the flood's). */
export interface TrackLatency {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface LoadSample {
  readonly ms: number;
  readonly mainCpuMs: number;
  readonly tracks: number;
  readonly decoded: number;
}

export type FromClient =
  /** `connectMs`: from the start of connect() until every node had a usable session. */
  | { readonly type: 'ready'; readonly connectMs: number }
  | { readonly type: 'measuring' }
  | {
      readonly type: 'result';
      readonly received: number;
      readonly perGuild: Record<string, number>;
      readonly trackEvents: number;
      readonly perGuildTrack: Record<string, number>;
      readonly perGuildStart: Record<string, number>;
      readonly perGuildEnd: Record<string, number>;
      /** Null when no track event carried its send time. */
      readonly trackLatency: TrackLatency | null;
      readonly measurement: Measurement;
    }
  | { readonly type: 'commands'; readonly latenciesMs: readonly number[]; readonly burstMs: number; readonly burstSize: number }
  | StallReport
  | { readonly type: 'loaded'; readonly samples: readonly LoadSample[]; readonly via: string }
  | { readonly type: 'memory'; readonly players: number; readonly rssBytes: number; readonly heapUsedBytes: number; readonly createMs: number }
  | { readonly type: 'error'; readonly message: string };
