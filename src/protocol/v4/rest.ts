/** v4 REST (tracks, players, sessions, info, stats, version, route planner), answered in the version-neutral shapes of protocol/rest.ts. */
import { RestError, SocketClosedError } from '../../errors.js';
import type { AdapterContext } from '../adapter.js';
import { toLyrics, toPlaylist, toSearchResult } from '../plugins.js';
import {
  dispatchRest,
  isPlayerMissing,
  listOf,
  num,
  text,
  toException,
  toNodeInfo,
  toNodePlayer,
  toRoutePlannerStatus,
  toStats,
  toTrack,
  toTracks,
  type LoadResult,
  type RestAnswer,
  type RestHandlers,
  type RestRequest,
  type SessionInfo,
} from '../rest.js';

function sessionPath(context: AdapterContext): string {
  if (context.sessionId === null) throw new SocketClosedError('No Lavalink session yet (waiting for ready)');
  return `/v4/sessions/${context.sessionId}`;
}

const handlers: RestHandlers<AdapterContext> = {
  load: async ({ identifier }, { rest }) => toLoadResult(await rest.request('GET', `/v4/loadtracks?identifier=${encodeURIComponent(identifier)}`)),
  decode: async ({ tracks }, { rest }) => toTracks(await rest.request('POST', '/v4/decodetracks', tracks), tracks.length, 'POST', '/v4/decodetracks'),
  info: async (_request, { rest }) => toNodeInfo(await rest.request('GET', '/v4/info')),
  stats: async (_request, { rest }) => toStats(await rest.request('GET', '/v4/stats')),
  version: async (_request, { rest }) => text(await rest.request('GET', '/version')),
  // No route planner: 204, no body.
  routePlanner: async (_request, { rest }) => toRoutePlannerStatus(await rest.request('GET', '/v4/routeplanner/status')),
  unmark: async ({ address }, { rest }) => {
    if (address === null) await rest.request('POST', '/v4/routeplanner/free/all');
    else await rest.request('POST', '/v4/routeplanner/free/address', { address });
    return null;
  },
  players: async (_request, context) => {
    const path = `${sessionPath(context)}/players`;
    return listOf(await context.rest.request('GET', path), 'GET', path).map(toNodePlayer);
  },
  player: async ({ guildId }, context) => {
    try {
      return toNodePlayer(await context.rest.request('GET', `${sessionPath(context)}/players/${guildId}`));
    } catch (error) {
      if (isPlayerMissing(error)) return null;
      throw error;
    }
  },
  updateSession: async ({ resuming, timeout }, context) => {
    const body = { ...(resuming !== undefined ? { resuming } : {}), ...(timeout !== undefined ? { timeout } : {}) };
    return toSessionInfo(await context.rest.request('PATCH', sessionPath(context), body));
  },
  // Plugin routes (protocol/plugins.ts); the main thread checked the node lists the plugin.
  loadSearch: async ({ query, types }, { rest }) => {
    const path = `/v4/loadsearch?query=${encodeURIComponent(query)}${types.length > 0 ? `&types=${types.join(',')}` : ''}`;
    try {
      return toSearchResult(await rest.request('GET', path), toTrack);
    } catch (error) {
      // No source takes the query's prefix: nothing found, as a 204 says.
      if (error instanceof RestError && error.status === 404) return toSearchResult(null, toTrack);
      throw error;
    }
  },
  sponsorBlockCategories: async ({ guildId }, context) => {
    try {
      return listOf(await context.rest.request('GET', `${sessionPath(context)}/players/${guildId}/sponsorblock/categories`), 'GET', 'sponsorblock/categories').filter((c): c is string => typeof c === 'string');
    } catch (error) {
      // The plugin answers 404 `Guild not found` for a guild whose categories were never set.
      if (error instanceof RestError && error.status === 404 && (error.body as { message?: unknown } | null)?.message !== 'Session not found') return [];
      throw error;
    }
  },
  setSponsorBlockCategories: async ({ guildId, categories }, context) => {
    const path = `${sessionPath(context)}/players/${guildId}/sponsorblock/categories`;
    await (categories.length > 0 ? context.rest.request('PUT', path, categories) : context.rest.request('DELETE', path));
    return null;
  },
  lyrics: async ({ guildId, track, skipTrackSource }, context) => {
    const path = guildId !== null ? `${sessionPath(context)}/players/${guildId}/track/lyrics?` : `/v4/lyrics?track=${encodeURIComponent(track!)}&`;
    return toLyrics(await context.rest.request('GET', `${path}skipTrackSource=${skipTrackSource}`));
  },
  lyricsSubscription: async ({ guildId, subscribe, skipTrackSource }, context) => {
    const path = `${sessionPath(context)}/players/${guildId}/lyrics/subscribe`;
    await (subscribe ? context.rest.request('POST', `${path}?skipTrackSource=${skipTrackSource}`) : context.rest.request('DELETE', path));
    return null;
  },
};

export function v4Request(request: RestRequest, context: AdapterContext): Promise<RestAnswer> {
  return dispatchRest(handlers, request, context);
}

function toSessionInfo(raw: unknown): SessionInfo {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as { resuming?: unknown; timeout?: unknown };
  return { resuming: o.resuming === true, timeout: num(o.timeout, 60) };
}

function toLoadResult(raw: unknown): LoadResult {
  const { loadType, data } = (typeof raw === 'object' && raw !== null ? raw : {}) as { loadType?: unknown; data?: unknown };
  switch (loadType) {
    case 'track':
      return { loadType: 'track', track: toTrack(data) };
    case 'playlist':
      return { loadType: 'playlist', playlist: toPlaylist(data, toTrack) };
    case 'search':
      return { loadType: 'search', tracks: (Array.isArray(data) ? data : []).map(toTrack) };
    case 'error':
      return { loadType: 'error', exception: toException(data) };
    default:
      return { loadType: 'empty' };
  }
}
