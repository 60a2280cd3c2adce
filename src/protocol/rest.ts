/**
 * REST requests made through a socket's worker and what each answers, in one shape for both
 * protocol versions (the shapes: rest-shapes.ts; each adapter builds them with the readers of
 * rest-readers.ts: a field the node sent malformed gets its default, never a TypeError).
 */
import { InvalidOptionError } from '../errors.js';
import type { NodeStats } from './messages.js';
import { SEARCH_TYPES, type Lyrics, type SearchResult, type SearchType } from './plugins.js';
import type { LoadResult, NodeInfo, NodePlayer, RoutePlannerStatus, SessionInfo, Track } from './rest-shapes.js';

export * from './rest-shapes.js';

/** A typed REST request for `socket.request()`; `kind` names the route, and `RestResults` says what each answers. */
export type RestRequest =
  | {
    /** Load tracks: `GET /loadtracks`. */
    readonly kind: 'load';
    /** A URL, or a search such as `ytsearch:query`. */
    readonly identifier: string;
  }
  | {
    /** Decode tracks: `POST /decodetracks`. */
    readonly kind: 'decode';
    /** Encoded tracks. */
    readonly tracks: readonly string[];
  }
  | {
    /** The node's info: `GET /info`. */
    readonly kind: 'info';
  }
  | {
    /** The node's stats: `GET /stats`. */
    readonly kind: 'stats';
  }
  | {
    /** The node's version string: `GET /version`. */
    readonly kind: 'version';
  }
  | {
    /** The route planner's status. */
    readonly kind: 'routePlanner';
  }
  | {
    /** Unmark failing addresses of the route planner. */
    readonly kind: 'unmark';
    /** One address to unmark; null unmarks all. */
    readonly address: string | null;
  }
  | {
    /** Every player of this session. */
    readonly kind: 'players';
  }
  | {
    /** One player of this session. */
    readonly kind: 'player';
    /** Its guild. */
    readonly guildId: string;
  }
  /** LavaSearch: `query` carries its source prefix. */
  | {
    /** LavaSearch: `GET /v4/loadsearch`. */
    readonly kind: 'loadSearch';
    /** The search, with its source prefix (`spsearch:...`). */
    readonly query: string;
    /** What kinds of results to ask for. */
    readonly types: readonly SearchType[];
  }
  | {
    /** SponsorBlock: the categories skipped in a guild. */
    readonly kind: 'sponsorBlockCategories';
    /** Its guild. */
    readonly guildId: string;
  }
  /** An empty list clears the guild's categories. */
  | {
    /** SponsorBlock: set the categories skipped in a guild. */
    readonly kind: 'setSponsorBlockCategories';
    /** Its guild. */
    readonly guildId: string;
    /** Category names; an empty list clears them. */
    readonly categories: readonly string[];
  }
  /** LavaLyrics: the lyrics of the guild's current track, or of an encoded `track`. */
  | {
    /** LavaLyrics: lyrics of a guild's current track, or of a given track. */
    readonly kind: 'lyrics';
    /** The guild whose current track to ask about; null with `track`. */
    readonly guildId: string | null;
    /** An encoded track to ask about; null with `guildId`. */
    readonly track: string | null;
    /** Whether to ask other lyrics sources than the track's own. */
    readonly skipTrackSource: boolean;
  }
  | {
    /** LavaLyrics: live lyrics lines for a guild's player, on or off. */
    readonly kind: 'lyricsSubscription';
    /** Its guild. */
    readonly guildId: string;
    /** true to receive `LyricsLineEvent`s, false to stop. */
    readonly subscribe: boolean;
    /** Whether to ask other lyrics sources than the track's own. */
    readonly skipTrackSource: boolean;
  }
  | {
      /** Update the session's resuming settings. */
      readonly kind: 'updateSession';
      /** Whether the node keeps the session when the connection drops. */
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
  /** A `LoadResult`. */
  load: LoadResult;
  /** The decoded tracks, in the order asked. */
  decode: Track[];
  /** The node's `NodeInfo`. */
  info: NodeInfo;
  /** The node's `NodeStats`. */
  stats: NodeStats;
  /** The node's version string. */
  version: string;
  /** null: the node has no route planner (v4 answers 204, v3 `{class: null}`). */
  routePlanner: RoutePlannerStatus | null;
  /** Nothing: the addresses were unmarked. */
  unmark: null;
  /** Every player of the session. */
  players: NodePlayer[];
  /** null: the node has no player for that guild. */
  player: NodePlayer | null;
  /** The session's settings as the node now holds them. */
  updateSession: SessionInfo;
  /** What LavaSearch found. */
  loadSearch: SearchResult;
  /** Category names. */
  sponsorBlockCategories: string[];
  /** Nothing: the categories were set. */
  setSponsorBlockCategories: null;
  /** null: no lyrics for that track. */
  lyrics: Lyrics | null;
  /** Nothing: the subscription changed. */
  lyricsSubscription: null;
}

/** What a request of kind `K` answers. */
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
