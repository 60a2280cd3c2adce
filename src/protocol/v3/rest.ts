/**
 * v3 REST, answered in the version-neutral shapes of protocol/rest.ts. Lavalink 3.7
 * has what v4 has under `/v3`; 3.3–3.6 have only track loading, decoding and the route planner:
 * asked for more, they reject with the node's own 404 (a RestError), said plainly.
 */
import { InvalidOptionError, PluginMissingError, RestError, SocketClosedError } from '../../errors.js';
import type { AdapterContext } from '../adapter.js';
import { Plugins } from '../plugins.js';
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

/** Lavalink's default resume timeout, 60 s: what a `configureResuming` frame without one sets. */
const DEFAULT_TIMEOUT_S = 60;

const handlers: RestHandlers<AdapterContext> = {
  load: async ({ identifier }, { rest }) => toLoadResult(await rest.request('GET', `/loadtracks?identifier=${encodeURIComponent(identifier)}`)),
  decode: async ({ tracks }, { rest }) => toTracks(await rest.request('POST', '/decodetracks', tracks), tracks.length, 'POST', '/decodetracks'),
  info: async (_request, context) => toNodeInfo(await since37(context, 'GET', '/v3/info', 'Lavalink before 3.7 has no info route')),
  stats: async (_request, context) => toStats(await since37(context, 'GET', '/v3/stats', 'Lavalink before 3.7 has no stats route (socket.stats holds the last stats frame it sent)')),
  version: async (_request, { rest }) => {
    try {
      return text(await rest.request('GET', '/version'));
    } catch (error) {
      if (error instanceof RestError && error.status === 404) return '3.3'; // 3.3 has no /version
      throw error;
    }
  },
  // No route planner: `{class: null, details: null}`.
  routePlanner: async (_request, { rest }) => toRoutePlannerStatus(await rest.request('GET', '/routeplanner/status')),
  unmark: async ({ address }, { rest }) => {
    if (address === null) await rest.request('POST', '/routeplanner/free/all');
    else await rest.request('POST', '/routeplanner/free/address', { address });
    return null;
  },
  players: async (_request, context) => {
    const path = `${await sessionPath(context)}/players`;
    return listOf(await context.rest.request('GET', path), 'GET', path).map(toNodePlayer);
  },
  player: async ({ guildId }, context) => {
    const path = `${await sessionPath(context)}/players/${guildId}`;
    try {
      return toNodePlayer(await context.rest.request('GET', path));
    } catch (error) {
      if (isPlayerMissing(error)) return null;
      throw error;
    }
  },
  updateSession: async (request, context) => (context.sessionId !== null ? patchSession(request, context) : configureResuming(request, context)),
  // The plugins' routes are v4's; the main thread refuses them for a v3 node before they come here.
  loadSearch: () => noPluginRoutes(Plugins.LavaSearch),
  sponsorBlockCategories: () => noPluginRoutes(Plugins.SponsorBlock),
  setSponsorBlockCategories: () => noPluginRoutes(Plugins.SponsorBlock),
  lyrics: () => noPluginRoutes(Plugins.LavaLyrics),
  lyricsSubscription: () => noPluginRoutes(Plugins.LavaLyrics),
};

function noPluginRoutes(plugin: string): never {
  throw new PluginMissingError(plugin, '', `The ${plugin} routes are served by Lavalink v4 nodes only`);
}

export function v3Request(request: RestRequest, context: AdapterContext): Promise<RestAnswer> {
  return dispatchRest(handlers, request, context);
}

type UpdateSession = Extract<RestRequest, { kind: 'updateSession' }>;

/** v3 resumes by key: turning resuming on sets the socket's own key, the one its reconnects present. */
function keyFor(request: UpdateSession): string | null | undefined {
  if (request.resuming === false) return null;
  if (request.resuming === undefined) return undefined;
  if (typeof request.resumeKey === 'string') return request.resumeKey;
  throw new InvalidOptionError('resuming', 'false or left out: this v3 socket has no resume key to set (the manager\'s `resuming` is off, or the node refused it)', true);
}

/** 3.7: `PATCH /v3/sessions/{id}` `{resumingKey?, timeout?}` answers `{resumingKey, timeout}`. */
async function patchSession(request: UpdateSession, context: AdapterContext): Promise<SessionInfo> {
  const key = keyFor(request);
  const body = { ...(key !== undefined ? { resumingKey: key } : {}), ...(request.timeout !== undefined ? { timeout: request.timeout } : {}) };
  const raw = await context.rest.request('PATCH', `/v3/sessions/${context.sessionId}`, body);
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as { resumingKey?: unknown; timeout?: unknown };
  return { resuming: typeof o.resumingKey === 'string', timeout: num(o.timeout, DEFAULT_TIMEOUT_S) };
}

/**
 * 3.3–3.6 have no session REST, only the `configureResuming` frame, which sets the key and the
 * timeout together and is not answered: a left-out `resuming` keeps the socket's key, a left-out
 * timeout becomes Lavalink's default, and the answer is what was sent.
 */
async function configureResuming(request: UpdateSession, context: AdapterContext): Promise<SessionInfo> {
  const asked = keyFor(request);
  const key = asked !== undefined ? asked : (request.resumeKey ?? null);
  const timeout = request.timeout ?? DEFAULT_TIMEOUT_S;
  await context.writeFrame(JSON.stringify({ op: 'configureResuming', key, timeout }));
  return { resuming: key !== null, timeout };
}

/**
 * A route of 3.7: an older node's 404 is rethrown saying why, with the node's status and body
 * (code LAVALINK_REST_ERROR, status 404).
 */
async function since37(context: AdapterContext, method: string, path: string, why: string): Promise<unknown> {
  try {
    return await context.rest.request(method, path);
  } catch (error) {
    if (error instanceof RestError && error.status === 404) {
      throw new RestError(`${method} ${path} answered 404: ${why}`, 404, method, path, error.body);
    }
    throw error;
  }
}

/**
 * The session's REST path (3.7). Without a session id the node is either older than 3.7 (no
 * session REST at all: its 404 for `/v3/info` says so) or a 3.7 whose `ready` has not come yet.
 */
async function sessionPath(context: AdapterContext): Promise<string> {
  if (context.sessionId !== null) return `/v3/sessions/${context.sessionId}`;
  await since37(context, 'GET', '/v3/info', 'Lavalink before 3.7 has no session REST (its players live only in the WebSocket session)');
  throw new SocketClosedError('No Lavalink session yet (waiting for ready)');
}

function toLoadResult(raw: unknown): LoadResult {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as { loadType?: unknown; tracks?: unknown; playlistInfo?: { name?: unknown; selectedTrack?: unknown } | null; exception?: unknown };
  const tracks = (Array.isArray(r.tracks) ? r.tracks : []).map(toTrack);
  switch (r.loadType) {
    case 'TRACK_LOADED':
      return tracks[0] ? { loadType: 'track', track: tracks[0] } : { loadType: 'empty' };
    case 'PLAYLIST_LOADED':
      return { loadType: 'playlist', playlist: { name: text(r.playlistInfo?.name), selectedTrack: num(r.playlistInfo?.selectedTrack, -1), pluginInfo: {}, tracks } };
    case 'SEARCH_RESULT':
      return { loadType: 'search', tracks };
    case 'LOAD_FAILED':
      return { loadType: 'error', exception: toException(r.exception) };
    default:
      return { loadType: 'empty' };
  }
}
