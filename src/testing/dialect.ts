/**
 * How one protocol version spells things on the wire. The simulator's engine works with
 * {@link SimTrack}s and {@link EndReason}s; a dialect turns them into the JSON of its version.
 */
import type { TrackInfo } from '../protocol/track-codec.js';
import type { Release } from './release.js';
import type { EndReason, LoadResult, SimException, SimTrack, VoiceState } from './types.js';

/** What a dialect needs to know about a player to describe it. */
export interface PlayerView {
  readonly guildId: string;
  readonly track: SimTrack | null;
  readonly position: number;
  readonly volume: number;
  readonly paused: boolean;
  readonly filters: Record<string, unknown>;
  readonly voice: VoiceState | null;
  readonly voiceConnected: boolean;
  readonly ping: number;
}

export interface StatsView {
  readonly players: number;
  readonly playingPlayers: number;
  readonly uptime: number;
  readonly memory: { free: number; used: number; allocated: number; reservable: number };
  readonly cpu: { cores: number; systemLoad: number; lavalinkLoad: number };
  readonly frameStats: { sent: number; nulled: number; deficit: number } | null;
}

export interface Dialect {
  readonly release: Release;
  /** A track as REST answers carry it. */
  track(track: SimTrack, position?: number): Record<string, unknown>;
  /** The track field(s) of a track event. */
  eventTrack(track: SimTrack, position: number): Record<string, unknown>;
  endReason(reason: EndReason): string;
  /** The failure fields of a TrackExceptionEvent. */
  exceptionFields(exception: SimException): Record<string, unknown>;
  exception(exception: SimException): Record<string, unknown>;
  playerState(player: PlayerView, now: number): Record<string, unknown>;
  /** A REST Player object (v4, 3.7). */
  player(player: PlayerView, now: number): Record<string, unknown>;
  stats(stats: StatsView): Record<string, unknown>;
  loadResult(result: LoadResult): Record<string, unknown>;
  decodedTrack(track: SimTrack): Record<string, unknown>;
  decodedTracks(tracks: readonly SimTrack[]): unknown[];
}

/** Track info without the v4-only fields, and without `sourceName` before 3.4. */
export function infoFor(release: Release, info: TrackInfo, position = info.position): Record<string, unknown> {
  const base: Record<string, unknown> = {
    identifier: info.identifier,
    isSeekable: info.isSeekable,
    author: info.author,
    length: info.length,
    isStream: info.isStream,
    position,
    title: info.title,
    uri: info.uri,
  };
  if (release.name !== '3.3') base.sourceName = info.sourceName;
  if (release.protocol === 4) {
    base.artworkUrl = info.artworkUrl;
    base.isrc = info.isrc;
  }
  return base;
}
