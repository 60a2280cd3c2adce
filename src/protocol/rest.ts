/**
 * REST requests made through a socket's worker, and their results in one shape for both
 * protocol versions (each adapter turns its version's answers into these, with the readers of
 * rest-readers.ts: a field the node sent malformed gets its default, never a TypeError).
 */
import { InvalidOptionError } from '../errors.js';
import type { NodeFilters } from './filters.js';
import type { NodeStats } from './messages.js';
import { SEARCH_TYPES, type Lyrics, type Playlist, type SearchResult, type SearchType } from './plugins.js';
import type { TrackInfo } from './track-codec.js';

/** Any value JSON can carry: what a node's answers are made of. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface Track {
  encoded: string;
  info: TrackInfo;
  /** What the source's plugin adds (v4); `{}` otherwise. */
  pluginInfo: JsonObject;
  /** What the bot attached when it played the track (v4); `{}` otherwise. */
  userData: JsonObject;
}

export interface LoadException {
  message: string | null;
  severity: 'common' | 'suspicious' | 'fault';
  cause: string | null;
}

export type LoadResult =
  | { loadType: 'track'; track: Track }
  | { loadType: 'playlist'; playlist: Playlist }
  | { loadType: 'search'; tracks: Track[] }
  | { loadType: 'empty' }
  | { loadType: 'error'; exception: LoadException };

/** Who the node says it is (v4 `GET /v4/info`, 3.7 `GET /v3/info`). */
export interface NodeInfo {
  version: {
    semver: string;
    major: number;
    minor: number;
    patch: number;
    preRelease: string | null;
    /** Build metadata (v4); null on 3.7. */
    build: string | null;
  };
  /** Epoch ms. */
  buildTime: number;
  git: { branch: string; commit: string; /** Epoch ms. */ commitTime: number };
  jvm: string;
  lavaplayer: string;
  sourceManagers: string[];
  /** The filters this node has enabled. */
  filters: string[];
  plugins: { name: string; version: string }[];
}

/** The IP block a route planner rotates through (`size` is a big integer, as text). */
export interface IpBlock {
  type: 'Inet4Address' | 'Inet6Address' | (string & {});
  size: string;
}

export interface FailingAddress {
  failingAddress: string;
  /** Epoch ms. */
  failingTimestamp: number;
  failingTime: string;
}

/** What every route planner reports. */
export interface RoutePlannerDetails {
  ipBlock: IpBlock;
  failingAddresses: FailingAddress[];
}

/**
 * A node's route planner (`GET /v4/routeplanner/status`, v3 `GET /routeplanner/status`), by class. Indexes are big integers,
 * as text, as Lavalink sends them. A class this library does not know comes as `Other`, with the
 * node's name for it and the details every planner has.
 */
export type RoutePlannerStatus =
  | { class: 'RotatingIpRoutePlanner'; details: RoutePlannerDetails & { rotateIndex: string; ipIndex: string; currentAddress: string } }
  | { class: 'NanoIpRoutePlanner'; details: RoutePlannerDetails & { currentAddressIndex: string } }
  | { class: 'RotatingNanoIpRoutePlanner'; details: RoutePlannerDetails & { blockIndex: string; currentAddressIndex: string } }
  | { class: 'BalancingIpRoutePlanner'; details: RoutePlannerDetails }
  | { class: 'Other'; name: string; details: RoutePlannerDetails };

/** A session's resuming settings (v4 `PATCH /v4/sessions/{id}`; v3: a resume key is set or not). */
export interface SessionInfo {
  resuming: boolean;
  /** Seconds the node keeps the session after the connection drops. */
  timeout: number;
}

/** A player as the node reports it (`GET /sessions/{id}/players`, v4 and 3.7, normalised). */
export interface NodePlayer {
  guildId: string;
  track: Track | null;
  volume: number;
  paused: boolean;
  /** ms into the track when the node answered. */
  position: number;
  /** Whether the node's voice connection to Discord is open. */
  connected: boolean;
  /** ms to Discord's voice server; -1 when not connected or not reported. */
  ping: number;
  filters: NodeFilters;
  /** `channelId` is v4.2's; null elsewhere. Strings are '' without a voice connection. */
  voice: { token: string; endpoint: string; sessionId: string; channelId: string | null };
}

export type RestRequest =
  | { readonly kind: 'load'; readonly identifier: string }
  | { readonly kind: 'decode'; readonly tracks: readonly string[] }
  | { readonly kind: 'info' }
  | { readonly kind: 'stats' }
  | { readonly kind: 'version' }
  | { readonly kind: 'routePlanner' }
  | { readonly kind: 'unmark'; readonly address: string | null }
  | { readonly kind: 'players' }
  | { readonly kind: 'player'; readonly guildId: string }
  /** LavaSearch: `query` carries its source prefix. */
  | { readonly kind: 'loadSearch'; readonly query: string; readonly types: readonly SearchType[] }
  | { readonly kind: 'sponsorBlockCategories'; readonly guildId: string }
  /** An empty list clears the guild's categories. */
  | { readonly kind: 'setSponsorBlockCategories'; readonly guildId: string; readonly categories: readonly string[] }
  /** LavaLyrics: the lyrics of the guild's current track, or of an encoded `track`. */
  | { readonly kind: 'lyrics'; readonly guildId: string | null; readonly track: string | null; readonly skipTrackSource: boolean }
  | { readonly kind: 'lyricsSubscription'; readonly guildId: string; readonly subscribe: boolean; readonly skipTrackSource: boolean }
  | {
      readonly kind: 'updateSession';
      readonly resuming?: boolean;
      /** Seconds. */
      readonly timeout?: number;
      /**
       * v3 only: the key to set when `resuming` is true (v3 resumes by key; the socket's own,
       * `socket.resumeKey`, is the one its reconnects present). Ignored by v4.
       */
      readonly resumeKey?: string | null;
    };

/** What each request kind answers. */
export interface RestResults {
  load: LoadResult;
  decode: Track[];
  info: NodeInfo;
  stats: NodeStats;
  version: string;
  /** null: the node has no route planner (v4 answers 204, v3 `{class: null}`). */
  routePlanner: RoutePlannerStatus | null;
  unmark: null;
  players: NodePlayer[];
  /** null: the node has no player for that guild. */
  player: NodePlayer | null;
  updateSession: SessionInfo;
  loadSearch: SearchResult;
  sponsorBlockCategories: string[];
  setSponsorBlockCategories: null;
  /** null: no lyrics for that track. */
  lyrics: Lyrics | null;
  lyricsSubscription: null;
}

export type RestResult<K extends RestRequest['kind']> = RestResults[K];

/** Any request's answer. */
export type RestAnswer = RestResults[RestRequest['kind']];

/** One handler per request kind, each checked against its own answer (an adapter's REST table). */
export type RestHandlers<Context> = {
  readonly [K in RestRequest['kind']]: (request: Extract<RestRequest, { kind: K }>, context: Context) => Promise<RestResult<K>>;
};

/** Runs the handler of a request's kind. */
export function dispatchRest<Context>(handlers: RestHandlers<Context>, request: RestRequest, context: Context): Promise<RestAnswer> {
  const handler = handlers[request.kind] as (request: RestRequest, context: Context) => Promise<RestAnswer>;
  return handler(request, context);
}

const KINDS = 'load, decode, info, stats, version, routePlanner, unmark, players, player, updateSession, loadSearch, sponsorBlockCategories, setSponsorBlockCategories, lyrics, lyricsSubscription';

/** Checks a request (a plain copy, see json-data.ts) before it goes to the worker. */
export function validateRequest(value: unknown): RestRequest {
  const bad = (expected: string): InvalidOptionError => new InvalidOptionError('request', expected, value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('a REST request ({ kind, ... })');
  const r = value as Record<string, unknown>;
  switch (r.kind) {
    case 'load':
      if (typeof r.identifier !== 'string' || r.identifier === '') throw bad('{ kind: "load", identifier: a non-empty string }');
      break;
    case 'decode':
      if (!Array.isArray(r.tracks) || !r.tracks.every((t) => typeof t === 'string')) throw bad('{ kind: "decode", tracks: encoded tracks }');
      break;
    case 'unmark':
      if (r.address !== null && typeof r.address !== 'string') throw bad('{ kind: "unmark", address: a string or null }');
      break;
    case 'player':
    case 'sponsorBlockCategories':
      if (typeof r.guildId !== 'string' || !isGuildId(r.guildId)) throw bad(`{ kind: "${r.kind}", guildId: a guild id (a string of digits) }`);
      break;
    case 'loadSearch':
      if (typeof r.query !== 'string' || r.query === '' || !Array.isArray(r.types) || !r.types.every((t) => SEARCH_TYPES.includes(t as SearchType))) {
        throw bad(`{ kind: "loadSearch", query: a non-empty string, types: some of ${SEARCH_TYPES.join(', ')} }`);
      }
      break;
    case 'setSponsorBlockCategories':
      if (typeof r.guildId !== 'string' || !isGuildId(r.guildId) || !Array.isArray(r.categories) || !r.categories.every((c) => typeof c === 'string' && c !== '')) {
        throw bad('{ kind: "setSponsorBlockCategories", guildId: a guild id, categories: category names }');
      }
      break;
    case 'lyrics': {
      const guild = typeof r.guildId === 'string' && isGuildId(r.guildId);
      const track = typeof r.track === 'string' && r.track !== '';
      if (guild === track || (r.guildId !== null && !guild) || (r.track !== null && !track) || typeof r.skipTrackSource !== 'boolean') {
        throw bad('{ kind: "lyrics", guildId: a guild id or null, track: an encoded track or null (one of them), skipTrackSource: a boolean }');
      }
      break;
    }
    case 'lyricsSubscription':
      if (typeof r.guildId !== 'string' || !isGuildId(r.guildId) || typeof r.subscribe !== 'boolean' || typeof r.skipTrackSource !== 'boolean') {
        throw bad('{ kind: "lyricsSubscription", guildId: a guild id, subscribe: a boolean, skipTrackSource: a boolean }');
      }
      break;
    case 'updateSession': {
      const expected = '{ kind: "updateSession", resuming?: a boolean, timeout?: whole seconds (0 or more), resumeKey?: a string or null }, with resuming or timeout';
      if (r.resuming !== undefined && typeof r.resuming !== 'boolean') throw bad(expected);
      if (r.timeout !== undefined && !isTimeout(r.timeout)) throw bad(expected);
      if (r.resumeKey !== undefined && r.resumeKey !== null && (typeof r.resumeKey !== 'string' || r.resumeKey === '')) throw bad(expected);
      if (r.resuming === undefined && r.timeout === undefined) throw bad(expected);
      break;
    }
    case 'info':
    case 'stats':
    case 'version':
    case 'routePlanner':
    case 'players':
      break;
    default:
      throw bad(`a request of a known kind (${KINDS})`);
  }
  return value as RestRequest;
}

/** A Discord guild id: a snowflake, as digits (a route variable Lavalink parses as a Long). */
export const isGuildId = (value: string): boolean => /^\d{1,20}$/.test(value);

/** A session timeout: whole seconds, 0 or more. */
export const isTimeout = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export * from './rest-readers.js';
