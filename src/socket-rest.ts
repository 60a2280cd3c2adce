/**
 * `socket.rest`: the node's REST API, typed, over the socket's worker. It is still the function
 * it always was (`socket.rest('GET', '/v4/info')`, now answering `JsonValue`), with a method per
 * route attached; each checks its arguments here, before anything crosses to the worker, and the
 * worker's adapter answers in one shape for both protocol versions (protocol/rest.ts).
 */
import { InvalidOptionError, readArgument } from './errors.js';
import { jsonData } from './protocol/json-data.js';
import type { NodeStats } from './protocol/messages.js';
import { SEARCH_TYPES, type Lyrics, type SearchResult, type SearchType } from './protocol/plugins.js';
import {
  isGuildId,
  isTimeout,
  type JsonValue,
  type LoadResult,
  type NodeInfo,
  type NodePlayer,
  type RestRequest,
  type RestResult,
  type RoutePlannerStatus,
  type SessionInfo,
  type Track,
} from './protocol/rest.js';

/** An HTTP method for `socket.rest(method, path)` and `rest.call()`. */
export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const REST_METHODS: ReadonlySet<string> = new Set<RestMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** What `socket.rest.sessions.update()` changes; give one or both. */
export interface SessionUpdate {
  /** Keep the session for `timeout` seconds when the connection drops. */
  resuming?: boolean;
  /** Seconds, 0 or more. */
  timeout?: number;
}

/**
 * The node's REST API. Every call runs on the socket's worker and rejects with a
 * {@link LavalinkError}: `RestError` (the node's status and body), `TimeoutError`,
 * `SocketClosedError`, or `InvalidOptionError` for a bad argument (nothing is sent then).
 *
 * @example
 * const info = await socket.rest.info();
 * console.log(`${socket.id} runs Lavalink ${info.version.semver}`);
 * const raw = await socket.rest('GET', '/v4/info'); // as before: any route, untyped JSON
 */
export interface SocketRest {
  /**
   * Any route, as it is: the parsed JSON answer, the text of a non-JSON one, or null for 204.
   * `body` is checked as JSON data before it leaves (typed loosely, as it always was).
   */
  <Body>(method: RestMethod | (string & {}), path: string, body?: Body): Promise<JsonValue>;
  /** Loads tracks by identifier (a URL, or `ytsearch:...`). */
  load(identifier: string): Promise<LoadResult>;
  /** Searches (`ytsearch:` unless another source is given); a URL or an already prefixed query is loaded as it is. */
  search(query: string, source?: string): Promise<LoadResult>;
  /** Decodes by the node (`Manager.decode` decodes locally). An empty list answers [] without asking. */
  decode(track: string): Promise<Track>;
  /** Decodes several tracks by the node, in order. */
  decode(tracks: readonly string[]): Promise<Track[]>;
  /** Who the node is. v3 before 3.7: rejects with the node's 404 (RestError, `LAVALINK_REST_ERROR`, status 404). */
  info(): Promise<NodeInfo>;
  /** The node's version, as `GET /version` answers it ('3.3' for a 3.3 node, which has no such route). */
  version(): Promise<string>;
  /** The node's stats, asked now. v3 before 3.7: rejects with the node's 404 (`socket.stats` holds the last stats frame). */
  stats(): Promise<NodeStats>;
  /** The route planner's status; null when the node has none. */
  routePlanner(): Promise<RoutePlannerStatus | null>;
  /** Frees a failing address for the route planner again, or every one when none is given. */
  unmark(address?: string | null): Promise<void>;
  /** The session's settings. */
  readonly sessions: {
    /**
     * Changes the session's resuming (v4: `PATCH /v4/sessions/{id}`; 3.7: `PATCH /v3/sessions/{id}`
     * with the socket's resume key; 3.3–3.6: a `configureResuming` frame, which also sets the
     * timeout, to 60 s when left out). The socket configures resuming again after every new
     * session (`ManagerOptions.resuming`, `resumeTimeout`): this lasts for the current one.
     */
    update(options: SessionUpdate): Promise<SessionInfo>;
  };
  /** The session's players, as the node holds them. */
  readonly players: {
    /** The players of this socket's session (v4, 3.7; older v3 nodes reject with their 404). */
    list(): Promise<NodePlayer[]>;
    /** One guild's player; null when the node has none for it. */
    get(guildId: string): Promise<NodePlayer | null>;
  };
  /**
   * LavaSearch: tracks, albums, artists, playlists and suggested texts for a query (`ytsearch:`
   * unless another source prefix is given). Rejects `LAVALINK_PLUGIN_MISSING` when the node does
   * not list lavasearch-plugin.
   */
  loadSearch(query: string, options?: LoadSearchOptions | null): Promise<SearchResult>;
  /**
   * LavaLyrics: the lyrics of an encoded track (or a Track); null when there are none. Rejects
   * `LAVALINK_PLUGIN_MISSING` when the node does not list lavalyrics-plugin.
   */
  lyrics(track: string | Track, options?: LyricsOptions | null): Promise<Lyrics | null>;
  /**
   * A plugin's route (or any other), typed by the caller: `T` is what the caller says the route
   * answers; it is not checked.
   * @example const lyrics = await socket.rest.call<{ text: string }>('GET', `/v4/lyrics/${encoded}`);
   */
  call<T extends JsonValue = JsonValue>(method: RestMethod, path: string, body?: JsonValue): Promise<T>;
}

/** What `manager.loadSearch()` and `rest.loadSearch()` take. */
export interface LoadSearchOptions {
  /** What to look for; left out, everything the source finds. */
  types?: readonly SearchType[];
  /** The search source when the query has no prefix. @default 'ytsearch' */
  source?: string;
}

/** What the lyrics calls take. */
export interface LyricsOptions {
  /** Look for lyrics on other sources only, never on the track's own. @default false */
  skipTrackSource?: boolean;
}

/** What the facade runs on: the socket's two ways to the worker, and its resume key. */
export interface SocketRestDeps {
  /** A typed request, answered in the version-neutral shapes (`Socket.request`). */
  request<R extends RestRequest>(request: R): Promise<RestResult<R['kind']>>;
  /** A raw call; method and path are checked, body is a plain JSON copy. */
  raw(method: RestMethod, path: string, body: JsonValue | undefined): Promise<JsonValue>;
  /** The key the socket's reconnects present (v3 resuming), or null. */
  resumeKey(): string | null;
}

/** The identifier `search` loads: the query prefixed with its source, unless it is a URL or prefixed already. */
export function searchIdentifier(query: string, source: string): string {
  const isUrl = /^https?:\/\//.test(query);
  const prefixed = /^[a-z]+search:/.test(query);
  return isUrl || prefixed ? query : `${source}:${query}`;
}

export function createSocketRest(deps: SocketRestDeps): SocketRest {
  const raw = async (method: unknown, path: unknown, body?: unknown): Promise<JsonValue> => {
    if (typeof method !== 'string' || !REST_METHODS.has(method.toUpperCase())) throw new InvalidOptionError('method', `one of ${[...REST_METHODS].join(', ')}`, method);
    if (typeof path !== 'string' || !/^\/[\x21-\x7e]*$/.test(path)) throw new InvalidOptionError('path', 'a path starting with / (no spaces or control characters)', path);
    // A plain copy, checked: what the worker gets is JSON data, whatever the caller's object does later.
    const data = jsonData(body, 'body') as JsonValue | undefined;
    return deps.raw(method.toUpperCase() as RestMethod, path, data);
  };

  const load = async (identifier: string): Promise<LoadResult> => {
    if (typeof identifier !== 'string' || identifier === '') throw new InvalidOptionError('identifier', 'a non-empty string', identifier);
    return deps.request({ kind: 'load', identifier });
  };

  async function decode(track: string): Promise<Track>;
  async function decode(tracks: readonly string[]): Promise<Track[]>;
  async function decode(input: string | readonly string[]): Promise<Track | Track[]> {
    const expected = 'an encoded track or an array of them';
    const list = readArgument('tracks', expected, () => (typeof input === 'string' ? [input] : Array.isArray(input) ? [...(input as unknown[])] : null));
    if (list === null || !list.every((t): t is string => typeof t === 'string')) throw new InvalidOptionError('tracks', expected, input);
    if (list.length === 0) return [];
    const tracks = await deps.request({ kind: 'decode', tracks: list });
    // The adapter answers one track for each sent, or rejects.
    return typeof input === 'string' ? tracks[0]! : tracks;
  }

  const rest = Object.assign(raw, {
    load,
    search: async (query: string, source = 'ytsearch'): Promise<LoadResult> => {
      if (typeof query !== 'string' || query.trim() === '') throw new InvalidOptionError('query', 'a non-empty string', query);
      if (typeof source !== 'string' || !/^[a-z][a-z0-9]*$/.test(source)) throw new InvalidOptionError('source', 'a search source such as `ytsearch` or `scsearch`', source);
      return load(searchIdentifier(query, source));
    },
    decode,
    info: async (): Promise<NodeInfo> => deps.request({ kind: 'info' }),
    version: async (): Promise<string> => deps.request({ kind: 'version' }),
    stats: async (): Promise<NodeStats> => deps.request({ kind: 'stats' }),
    routePlanner: async (): Promise<RoutePlannerStatus | null> => deps.request({ kind: 'routePlanner' }),
    unmark: async (address?: string | null): Promise<void> => {
      if (address !== undefined && address !== null && (typeof address !== 'string' || address === '')) {
        throw new InvalidOptionError('address', 'an IP address (a non-empty string), or nothing to free every address', address);
      }
      await deps.request({ kind: 'unmark', address: address ?? null });
    },
    sessions: {
      update: async (options: SessionUpdate): Promise<SessionInfo> => {
        const expected = 'an object with resuming (a boolean) and/or timeout (whole seconds, 0 or more)';
        const { resuming, timeout } = readArgument('options', expected, () => {
          if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', expected, options);
          return { resuming: options.resuming, timeout: options.timeout };
        });
        if (resuming !== undefined && typeof resuming !== 'boolean') throw new InvalidOptionError('options.resuming', 'a boolean', resuming);
        if (timeout !== undefined && !isTimeout(timeout)) throw new InvalidOptionError('options.timeout', 'whole seconds, 0 or more', timeout);
        if (resuming === undefined && timeout === undefined) throw new InvalidOptionError('options', expected, options);
        return deps.request({
          kind: 'updateSession',
          ...(resuming !== undefined ? { resuming } : {}),
          ...(timeout !== undefined ? { timeout } : {}),
          resumeKey: deps.resumeKey(),
        });
      },
    },
    players: {
      list: async (): Promise<NodePlayer[]> => deps.request({ kind: 'players' }),
      get: async (guildId: string): Promise<NodePlayer | null> => {
        if (typeof guildId !== 'string' || !isGuildId(guildId)) throw new InvalidOptionError('guildId', 'a guild id (a string of digits)', guildId);
        return deps.request({ kind: 'player', guildId });
      },
    },
    loadSearch: async (query: string, options?: LoadSearchOptions | null): Promise<SearchResult> => {
      if (typeof query !== 'string' || query.trim() === '') throw new InvalidOptionError('query', 'a non-empty string', query);
      const { types = SEARCH_TYPES, source = 'ytsearch' } = readArgument('options', 'an object of search options (or nothing)', () => ({ ...options }));
      if (!Array.isArray(types) || !(types as unknown[]).every((t) => SEARCH_TYPES.includes(t as SearchType))) throw new InvalidOptionError('options.types', `some of ${SEARCH_TYPES.join(', ')}`, types);
      if (typeof source !== 'string' || !/^[a-z][a-z0-9]*$/.test(source)) throw new InvalidOptionError('options.source', 'a search source such as `ytsearch` or `spsearch`', source);
      // All types asked for is the same as none named: the plugin's default, which is every type.
      return deps.request({ kind: 'loadSearch', query: searchIdentifier(query, source), types: types.length === SEARCH_TYPES.length ? [] : [...new Set(types)] });
    },
    lyrics: async (track: string | Track, options?: LyricsOptions | null): Promise<Lyrics | null> => {
      const encoded = readArgument('track', 'an encoded track or a Track', () => (typeof track === 'string' ? track : (track as Track | null | undefined)?.encoded));
      if (typeof encoded !== 'string' || encoded === '') throw new InvalidOptionError('track', 'an encoded track or a Track', track);
      return deps.request({ kind: 'lyrics', guildId: null, track: encoded, skipTrackSource: readSkipTrackSource(options) });
    },
    call: async <T extends JsonValue = JsonValue>(method: RestMethod, path: string, body?: JsonValue): Promise<T> => (await raw(method, path, body)) as T,
  });
  return rest;
}

/** LyricsOptions' `skipTrackSource`, checked. */
export function readSkipTrackSource(options: LyricsOptions | null | undefined): boolean {
  const skip = readArgument('options', 'an object such as { skipTrackSource: true } (or nothing)', () => options?.skipTrackSource);
  if (skip !== undefined && typeof skip !== 'boolean') throw new InvalidOptionError('options.skipTrackSource', 'a boolean', skip);
  return skip === true;
}
