/**
 * The simulator's REST routes for one release: the v4 set, or the v3 set (unprefixed, plus the
 * `/v3` twins and session REST of 3.7). Routes are pure: a request in, a {@link Reply} out.
 */
import { TrackCodecError } from '../errors.js';
import { UnreadableTrackVersionError, type Catalogue } from './catalogue.js';
import type { Dialect, StatsView } from './dialect.js';
import { HttpError, json, noContent, type Reply } from './http-reply.js';
import { versionReply } from './identity.js';
import { patchPlayer, type PatchRules } from './player-patch.js';
import type { Quirks } from './quirks.js';
import type { RoutePlanner } from './route-planner.js';
import type { SimSession } from './session.js';
import type { SimTrack } from './types.js';

export interface RouteRequest {
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly pattern: RegExp;
  /** The handler takes a JSON body (`@RequestBody`); other routes ignore whatever body comes. */
  readonly readsBody: boolean;
  /** A promise when the answer waits for something (the `trackStartBeforeReply` quirk). */
  handle(request: RouteRequest): Reply | Promise<Reply>;
}

/** The server state routes read and change. */
export interface RouteHost extends PatchRules {
  readonly quirks: Readonly<Quirks>;
  readonly dialect: Dialect;
  readonly catalogue: Catalogue;
  readonly routePlanner: RoutePlanner | null;
  /** A connected session; paused ones are not reachable over REST, as in Lavalink. */
  openSession(id: string): SimSession | undefined;
  nodeStats(): StatsView;
  info(): Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A route for `path`, whose `{x}` segments become the request's params. */
export function route(method: Route['method'], path: string, handle: Route['handle'], options: { readsBody?: boolean } = {}): Route {
  const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '([^/]+)')}$`);
  return { method, pattern, handle, readsBody: options.readsBody ?? false };
}

/** The open session a path names, or 404 as Lavalink answers. */
export function sessionOf(host: Pick<RouteHost, 'openSession'>, id: string | undefined): SimSession {
  const found = host.openSession(id ?? '');
  if (!found) throw new HttpError(404, 'Session not found');
  return found;
}

/** guildId is a Long path variable: anything else fails conversion. */
export function guildOf(id: string | undefined): string {
  if (!id || !/^-?\d{1,19}$/.test(id)) throw new HttpError(400, `Failed to convert 'guildId' with value: '${id ?? ''}'`);
  return id;
}

/** A track a client sent, or the 400 (500 for a version lavaplayer 1.x misreads) Lavalink answers. */
export function decodeOrFail(catalogue: Catalogue, encoded: string): SimTrack {
  try {
    return catalogue.decode(encoded);
  } catch (error) {
    if (error instanceof TrackCodecError) throw new HttpError(400, `Failed to decode track: ${error.message}`);
    if (error instanceof UnreadableTrackVersionError) throw new HttpError(500, error.message);
    throw error;
  }
}

export function buildRoutes(host: RouteHost): Route[] {
  const { release } = host.dialect;
  const d = host.dialect;
  const routes: Route[] = [];
  const add = (method: Route['method'], path: string, handle: Route['handle'], options: { readsBody?: boolean } = {}): void => {
    routes.push(route(method, path, handle, options));
  };
  const readsBody = { readsBody: true };
  const session = (id: string | undefined): SimSession => sessionOf(host, id);
  const guild = guildOf;
  const decodeOne = (encoded: string): SimTrack => decodeOrFail(host.catalogue, encoded);

  // Track loading and decoding, under every prefix the release serves them.
  const loadPrefixes = release.protocol === 4 ? ['/v4'] : release.restPrefix === '/v3' ? ['', '/v3'] : [''];
  for (const prefix of loadPrefixes) {
    add('GET', `${prefix}/loadtracks`, ({ query }) => {
      const identifier = query.get('identifier');
      if (identifier === null) throw new HttpError(400, "Required request parameter 'identifier' for method parameter type String is not present");
      return json(d.loadResult(host.catalogue.load(identifier)));
    });
    add('GET', `${prefix}/decodetrack`, ({ query }) => {
      // 3.3 reads only `track=`; 3.7 and v4 also `encodedTrack=`.
      const encoded = (release.name === '3.3' ? null : query.get('encodedTrack')) ?? query.get('track');
      if (encoded === null) throw new HttpError(400, 'No track to decode provided');
      return json(d.decodedTrack(decodeOne(encoded)));
    });
    add('POST', `${prefix}/decodetracks`, ({ body }) => {
      if (!Array.isArray(body) || !body.every((t) => typeof t === 'string')) throw new HttpError(400, 'Failed to read request');
      if (body.length === 0) throw new HttpError(400, 'No tracks to decode provided');
      return json(d.decodedTracks(body.map((t: string) => decodeOne(t))));
    }, readsBody);
    add('GET', `${prefix}/routeplanner/status`, () => {
      if (host.routePlanner) return json(host.routePlanner.status());
      return release.protocol === 4 ? noContent : json({ class: null, details: null });
    });
    add('POST', `${prefix}/routeplanner/free/address`, ({ body }) => {
      const planner = plannerOrFail(host.routePlanner);
      if (!isObject(body) || typeof body.address !== 'string') throw new HttpError(400, 'Failed to read request');
      planner.free(body.address);
      return noContent;
    }, readsBody);
    add('POST', `${prefix}/routeplanner/free/all`, () => {
      plannerOrFail(host.routePlanner).freeAll();
      return noContent;
    });
  }

  if (release.hasVersionRoute) add('GET', '/version', () => versionReply(release, host.quirks));
  if (release.name === '3.7') add('GET', '/plugins', () => json([]));
  if (release.restPrefix === '') return routes;

  // Info, stats and sessions: v4, and 3.7 under /v3.
  const p = release.restPrefix;
  add('GET', `${p}/info`, () => json(host.info()));
  add('GET', `${p}/stats`, () => json(d.stats(host.nodeStats())));
  add('GET', `${p}/sessions/{sid}/players`, ({ params }) => {
    const s = session(params[0]);
    const now = Date.now();
    return json([...s.players.values()].map((player) => d.player(player, now)));
  });
  add('GET', `${p}/sessions/{sid}/players/{gid}`, ({ params }) => {
    const s = session(params[0]);
    const guildId = guild(params[1]);
    // NodeLink creates the player it is asked about; Lavalink answers 404.
    const player = host.quirks.getCreatesPlayer ? s.player(guildId) : s.players.get(guildId);
    if (!player) throw new HttpError(404, 'Player not found');
    return json(d.player(player, Date.now()));
  });
  add('PATCH', `${p}/sessions/{sid}/players/{gid}`, ({ params, query, body }) => {
    const s = session(params[0]);
    const guildId = guild(params[1]);
    const before = s.players.get(guildId)?.track ?? null;
    const player = patchPlayer(s, guildId, body, query.get('noReplace') === 'true', host);
    const reply = json(d.player(player, Date.now()));
    const started = player.track !== null && player.track !== before;
    // The TrackStartEvent is on the wire before the answer leaves, even on a backed-up socket.
    return started && host.quirks.trackStartBeforeReply ? s.written().then(() => reply) : reply;
  }, readsBody);
  add('DELETE', `${p}/sessions/{sid}/players/{gid}`, ({ params }) => {
    session(params[0]).destroyPlayer(guild(params[1]));
    return noContent;
  });
  // NodeLink has no session routes: both `PATCH` and `GET /v4/sessions/{id}` answer 404.
  if (host.quirks.noResuming) return routes;
  add('PATCH', `${p}/sessions/{sid}`, ({ params, body }) => {
    const s = session(params[0]);
    if (!isObject(body)) throw new HttpError(400, 'Failed to read request');
    if (body.timeout !== undefined && !(Number.isSafeInteger(body.timeout) && (body.timeout as number) >= 0)) {
      throw new HttpError(400, 'Failed to read request');
    }
    if (typeof body.timeout === 'number') s.timeout = body.timeout;
    if (release.protocol === 4) {
      if (body.resuming !== undefined && typeof body.resuming !== 'boolean') throw new HttpError(400, 'Failed to read request');
      if (typeof body.resuming === 'boolean') s.resuming = body.resuming;
      return json({ resuming: s.resuming, timeout: s.timeout });
    }
    if (body.resumingKey !== undefined && body.resumingKey !== null && typeof body.resumingKey !== 'string') {
      throw new HttpError(400, 'Failed to read request');
    }
    if (body.resumingKey !== undefined) s.resumeKey = body.resumingKey;
    return json({ resumingKey: s.resumeKey, timeout: s.timeout });
  }, readsBody);
  return routes;
}

function plannerOrFail(planner: RoutePlanner | null): RoutePlanner {
  if (!planner) throw new HttpError(500, "Can't access disabled route planner");
  return planner;
}
