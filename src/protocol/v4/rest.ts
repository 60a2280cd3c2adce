/** v4 REST (spec §4.3–4.6), answered in the version-neutral shapes of protocol/rest.ts. */
import { SocketClosedError } from '../../errors.js';
import type { AdapterContext } from '../adapter.js';
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
    case 'playlist': {
      const d = (typeof data === 'object' && data !== null ? data : {}) as { info?: { name?: unknown; selectedTrack?: unknown } | null; tracks?: unknown };
      return {
        loadType: 'playlist',
        playlist: { name: text(d.info?.name), selectedTrack: num(d.info?.selectedTrack, -1), tracks: (Array.isArray(d.tracks) ? d.tracks : []).map(toTrack) },
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
