/** v4 REST (spec §4.3–4.6), answered in the version-neutral shapes of protocol/rest.ts. */
import { SocketClosedError } from '../../errors.js';
import type { AdapterContext } from '../adapter.js';
import { text, toException, toTrack, type LoadResult, type NodePlayer, type RestRequest } from '../rest.js';

export async function v4Request(request: RestRequest, context: AdapterContext): Promise<unknown> {
  const { rest } = context;
  switch (request.kind) {
    case 'load':
      return toLoadResult(await rest.request('GET', `/v4/loadtracks?identifier=${encodeURIComponent(request.identifier)}`));
    case 'decode':
      return ((await rest.request('POST', '/v4/decodetracks', request.tracks)) as unknown[]).map(toTrack);
    case 'info':
      return rest.request('GET', '/v4/info');
    case 'stats':
      return rest.request('GET', '/v4/stats');
    case 'version':
      return String(await rest.request('GET', '/version'));
    case 'routePlanner':
      return rest.request('GET', '/v4/routeplanner/status');
    case 'unmark':
      if (request.address === null) await rest.request('POST', '/v4/routeplanner/free/all');
      else await rest.request('POST', '/v4/routeplanner/free/address', { address: request.address });
      return null;
    case 'players': {
      if (context.sessionId === null) throw new SocketClosedError('No Lavalink session yet');
      const players = (await rest.request('GET', `/v4/sessions/${context.sessionId}/players`)) as unknown[];
      return players.map(toNodePlayer);
    }
  }
}

function toLoadResult(raw: unknown): LoadResult {
  const { loadType, data } = (raw ?? {}) as { loadType?: unknown; data?: unknown };
  switch (loadType) {
    case 'track':
      return { loadType: 'track', track: toTrack(data) };
    case 'playlist': {
      const d = (data ?? {}) as { info?: { name?: unknown; selectedTrack?: unknown }; tracks?: unknown[] };
      return {
        loadType: 'playlist',
        playlist: { name: text(d.info?.name), selectedTrack: Number(d.info?.selectedTrack ?? -1), tracks: (d.tracks ?? []).map(toTrack) },
      };
    }
    case 'search':
      return { loadType: 'search', tracks: (Array.isArray(data) ? data : []).map(toTrack) };
    case 'error':
      return { loadType: 'error', exception: toException(data) };
    default:
      return { loadType: 'empty' };
  }
}

function toNodePlayer(raw: unknown): NodePlayer {
  const p = (raw ?? {}) as { guildId?: unknown; track?: unknown; volume?: unknown; paused?: unknown; state?: { position?: unknown; connected?: unknown }; filters?: unknown; voice?: Record<string, unknown> };
  const voice = p.voice ?? {};
  return {
    guildId: text(p.guildId),
    track: p.track ? toTrack(p.track) : null,
    volume: Number(p.volume ?? 100),
    paused: Boolean(p.paused),
    position: Number(p.state?.position ?? 0),
    connected: Boolean(p.state?.connected),
    filters: (p.filters ?? {}) as Record<string, unknown>,
    voice: {
      token: text(voice.token),
      endpoint: text(voice.endpoint),
      sessionId: text(voice.sessionId),
      channelId: typeof voice.channelId === 'string' ? voice.channelId : null,
    },
  };
}
