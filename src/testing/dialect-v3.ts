/** The v3 wire dialect (Lavalink 3.3 and 3.7). */
import { infoFor, type Dialect, type PlayerView, type StatsView } from './dialect.js';
import { withPosition } from '../protocol/track-codec.js';
import type { Release } from './release.js';
import type { EndReason, LoadResult, SimException, SimTrack } from './types.js';

const endReasons: Readonly<Record<EndReason, string>> = {
  finished: 'FINISHED',
  loadFailed: 'LOAD_FAILED',
  stopped: 'STOPPED',
  replaced: 'REPLACED',
  cleanup: 'CLEANUP',
};

export function v3Dialect(release: Release): Dialect {
  const modern = release.name !== '3.3'; // 3.7: `encoded` beside `track`, exception objects, full state
  // Lavalink encodes a track with its position in it (lavaplayer's last 8 bytes).
  const track = (t: SimTrack, position = 0): Record<string, unknown> => {
    const encoded = withPosition(t.encoded, position);
    return { ...(modern ? { encoded } : {}), track: encoded, info: infoFor(release, t.info, position) };
  };
  const exception = (e: SimException): Record<string, unknown> =>
    modern ? { message: e.message, severity: e.severity.toUpperCase(), cause: e.cause } : { message: e.message, severity: e.severity.toUpperCase() };
  const playerState = (p: PlayerView, now: number): Record<string, unknown> => {
    if (!release.fullPlayerState) return p.track ? { time: now, position: p.position } : { time: now };
    return { time: now, position: p.position, connected: p.voiceConnected, ping: p.ping };
  };
  return {
    release,
    track,
    eventTrack: (t, position) => {
      const encoded = withPosition(t.encoded, position);
      return modern ? { encodedTrack: encoded, track: encoded } : { track: encoded };
    },
    endReason: (reason) => endReasons[reason],
    // 3.3 sent a bare message string; 3.7 only the exception object.
    exceptionFields: (e) => (modern ? { exception: exception(e) } : { error: e.message }),
    exception,
    playerState,
    player: (p) => ({
      guildId: p.guildId,
      track: p.track ? track(p.track, p.position) : null,
      volume: p.volume,
      paused: p.paused,
      voice: {
        token: p.voice?.token ?? '',
        endpoint: p.voice?.endpoint ?? '',
        sessionId: p.voice?.sessionId ?? '',
        connected: p.voiceConnected,
        ping: p.ping,
      },
      filters: p.filters,
    }),
    stats: (s: StatsView) => {
      const { frameStats, ...rest } = s;
      return frameStats ? { ...rest, frameStats } : rest; // absent, not null, in v3
    },
    loadResult: (r: LoadResult) => {
      switch (r.kind) {
        case 'track':
          return { loadType: 'TRACK_LOADED', playlistInfo: {}, tracks: [track(r.track)] };
        case 'playlist':
          return { loadType: 'PLAYLIST_LOADED', playlistInfo: { name: r.name, selectedTrack: r.selectedTrack }, tracks: r.tracks.map((t) => track(t)) };
        case 'search':
          return { loadType: 'SEARCH_RESULT', playlistInfo: {}, tracks: r.tracks.map((t) => track(t)) };
        case 'empty':
          return { loadType: 'NO_MATCHES', playlistInfo: {}, tracks: [] };
        case 'error':
          return { loadType: 'LOAD_FAILED', playlistInfo: {}, tracks: [], exception: exception(r.exception) };
      }
    },
    // 3.3-3.6 answer the flat info; 3.7 repeats it at the top level beside encoded/info.
    decodedTrack: (t) => (modern ? { encoded: t.encoded, info: infoFor(release, t.info), ...infoFor(release, t.info) } : infoFor(release, t.info)),
    decodedTracks: (ts) => ts.map((t) => track(t)),
  };
}
