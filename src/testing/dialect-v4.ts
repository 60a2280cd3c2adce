/** The v4 wire dialect (Lavalink 4.x). */
import { infoFor, type Dialect, type PlayerView, type StatsView } from './dialect.js';
import { withPosition } from '../protocol/track-codec.js';
import type { Release } from './release.js';
import type { EndReason, LoadResult, SimException, SimTrack } from './types.js';

export function v4Dialect(release: Release): Dialect {
  // Lavalink encodes a track with its position in it (lavaplayer's last 8 bytes): a track started
  // at 90 s, or one that ended, comes back with other bytes than were sent.
  const track = (t: SimTrack, position = 0): Record<string, unknown> => ({
    encoded: withPosition(t.encoded, position),
    info: infoFor(release, t.info, position),
    pluginInfo: t.pluginInfo,
    userData: t.userData,
  });
  const exception = (e: SimException): Record<string, unknown> => ({
    message: e.message,
    severity: e.severity,
    cause: e.cause,
    ...(release.causeStackTrace ? { causeStackTrace: `${e.cause}\n\tat lavathread.simulator(Simulated)` } : {}),
  });
  const playerState = (p: PlayerView, now: number): Record<string, unknown> => ({
    time: now,
    position: p.position,
    connected: p.voiceConnected,
    ping: p.ping,
  });
  return {
    release,
    track,
    eventTrack: (t, position) => ({ track: track(t, position) }),
    endReason: (reason: EndReason) => reason,
    exceptionFields: (e) => ({ exception: exception(e) }),
    exception,
    playerState,
    player: (p, now) => ({
      guildId: p.guildId,
      track: p.track ? track(p.track, p.position) : null,
      volume: p.volume,
      paused: p.paused,
      state: playerState(p, now),
      voice: {
        token: p.voice?.token ?? '',
        endpoint: p.voice?.endpoint ?? '',
        sessionId: p.voice?.sessionId ?? '',
        ...(release.requiresChannelId ? { channelId: p.voice?.channelId ?? null } : {}),
      },
      filters: p.filters,
    }),
    stats: (s: StatsView) => ({ ...s }),
    loadResult: (r: LoadResult) => {
      switch (r.kind) {
        case 'track':
          return { loadType: 'track', data: track(r.track) };
        case 'playlist':
          return {
            loadType: 'playlist',
            data: { info: { name: r.name, selectedTrack: r.selectedTrack }, pluginInfo: r.pluginInfo ?? {}, tracks: r.tracks.map((t) => track(t)) },
          };
        case 'search':
          return { loadType: 'search', data: r.tracks.map((t) => track(t)) };
        case 'empty':
          // Lavalink 4 sends `data: null` here, though its REST docs show {}.
          return { loadType: 'empty', data: null };
        case 'error':
          return { loadType: 'error', data: exception(r.exception) };
      }
    },
    decodedTrack: (t) => track(t),
    decodedTracks: (ts) => ts.map((t) => track(t)),
  };
}
