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
/** Any JSON value: a primitive, an array or an object of JSON values. */
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object: string keys, JSON values. */
export type JsonObject = { [key: string]: JsonValue };

/** A track as the node describes it: its encoded form plus its decoded info. */
export interface Track {
  /** The base64 track message the node plays; hand it back to `play()` or `decode()`. */
  encoded: string;
  /** Title, author, length, URI and the rest, decoded. */
  info: TrackInfo;
  /** What the source's plugin adds (v4); `{}` otherwise. */
  pluginInfo: JsonObject;
  /** What the bot attached when it played the track (v4); `{}` otherwise. */
  userData: JsonObject;
}

/** Why a load failed, as the node reports it. */
export interface LoadException {
  /** The node's message, meant for a person; null when it gave none. */
  message: string | null;
  /** `common`: the source said why (a private video, a region lock); `suspicious`: an unexpected answer from the source; `fault`: a failure inside the node. */
  severity: 'common' | 'suspicious' | 'fault';
  /** The underlying error the node names; null when there is none. */
  cause: string | null;
}

/** What loading an identifier or a search answers, in one shape for v3 and v4 nodes; switch on `loadType`. */
export type LoadResult =
  | {
    /** One track: the identifier named a single track. */
    loadType: 'track';
    /** The track. */
    track: Track;
  }
  | {
    /** A playlist: the identifier named one. */
    loadType: 'playlist';
    /** The playlist, its name and tracks. */
    playlist: Playlist;
  }
  | {
    /** Search results: the identifier was a search (`ytsearch:...`). */
    loadType: 'search';
    /** The tracks found, best match first. */
    tracks: Track[];
  }
  | {
    /** Nothing matched. */
    loadType: 'empty';
  }
  | {
    /** The load failed; `exception` says why. */
    loadType: 'error';
    /** Why the load failed. */
    exception: LoadException;
  };

/** Who the node says it is (v4 `GET /v4/info`, 3.7 `GET /v3/info`). */
export interface NodeInfo {
  /** The node's version. */
  version: {
    /** The whole version string, e.g. `4.0.8`. */
    semver: string;
    /** Major version. */
    major: number;
    /** Minor version. */
    minor: number;
    /** Patch version. */
    patch: number;
    /** Pre-release label (e.g. `rc1`); null for a release. */
    preRelease: string | null;
    /** Build metadata (v4); null on 3.7. */
    build: string | null;
  };
  /** Epoch ms. */
  buildTime: number;
  /** The git branch and commit the node was built from. */
  git: {
    /** Branch. */
    branch: string;
    /** Commit hash. */
    commit: string;
    /** Epoch ms. */
    commitTime: number;
  };
  /** The JVM version the node runs on. */
  jvm: string;
  /** The lavaplayer version the node uses. */
  lavaplayer: string;
  /** Audio sources the node has enabled (`youtube`, `soundcloud`, `http`, ...). */
  sourceManagers: string[];
  /** The filters this node has enabled. */
  filters: string[];
  /** Plugins the node loaded. */
  plugins: {
    /** The plugin's name. */
    name: string;
    /** The plugin's version. */
    version: string;
  }[];
}

/** The IP block a route planner rotates through (`size` is a big integer, as text). */
export interface IpBlock {
  /** IPv4 or IPv6 block (other names pass through as the node sends them). */
  type: 'Inet4Address' | 'Inet6Address' | (string & {});
  /** How many addresses the block holds. */
  size: string;
}

/** An address the route planner marked as failing (rate-limited by a source). */
export interface FailingAddress {
  /** The address. */
  failingAddress: string;
  /** Epoch ms. */
  failingTimestamp: number;
  /** When it was marked, as the node formats it. */
  failingTime: string;
}

/** What every route planner reports. */
export interface RoutePlannerDetails {
  /** The block the planner takes addresses from. */
  ipBlock: IpBlock;
  /** Addresses marked as failing; `rest.unmark()` clears them. */
  failingAddresses: FailingAddress[];
}

/**
 * A node's route planner (`GET /v4/routeplanner/status`, v3 `GET /routeplanner/status`), by class. Indexes are big integers,
 * as text, as Lavalink sends them. A class this library does not know comes as `Other`, with the
 * node's name for it and the details every planner has.
 */
export type RoutePlannerStatus =
  | {
    /** Moves to another address when the current one is banned (IPv4 blocks, or IPv6 blocks smaller than a /64). */
    class: 'RotatingIpRoutePlanner';
    /** Common details plus where the rotation stands. */
    details: RoutePlannerDetails & {
      /** Index of the rotation, as text. */
      rotateIndex: string;
      /** Index of the current address, as text. */
      ipIndex: string;
      /** The address in use. */
      currentAddress: string;
    };
  }
  | {
    /** Moves to the next address on every clock tick (a /64 IPv6 block or larger). */
    class: 'NanoIpRoutePlanner';
    /** Common details plus the current address index. */
    details: RoutePlannerDetails & {
      /** Index of the current address, as text. */
      currentAddressIndex: string;
    };
  }
  | {
    /** Moves to the next address on every clock tick, and to another /64 block when one is banned. */
    class: 'RotatingNanoIpRoutePlanner';
    /** Common details plus where the rotation stands. */
    details: RoutePlannerDetails & {
      /** Index of the current block, as text. */
      blockIndex: string;
      /** Index of the current address, as text. */
      currentAddressIndex: string;
    };
  }
  | {
    /** A random address for each track load. */
    class: 'BalancingIpRoutePlanner';
    /** Common details. */
    details: RoutePlannerDetails;
  }
  | {
    /** A planner class this library does not know. */
    class: 'Other';
    /** The node's name for the class. */
    name: string;
    /** Common details. */
    details: RoutePlannerDetails;
  };

/** A session's resuming settings (v4 `PATCH /v4/sessions/{id}`; v3: a resume key is set or not). */
export interface SessionInfo {
  /** Whether the node keeps the session when the connection drops. */
  resuming: boolean;
  /** Seconds the node keeps the session after the connection drops. */
  timeout: number;
}

/** A player as the node reports it (`GET /sessions/{id}/players`, v4 and 3.7, normalised). */
export interface NodePlayer {
  /** The guild the player plays in. */
  guildId: string;
  /** The track it plays; null when none. */
  track: Track | null;
  /** Volume, 0 to 1000 (100 is unchanged). */
  volume: number;
  /** Whether it is paused. */
  paused: boolean;
  /** ms into the track when the node answered. */
  position: number;
  /** Whether the node's voice connection to Discord is open. */
  connected: boolean;
  /** ms to Discord's voice server; -1 when not connected or not reported. */
  ping: number;
  /** The filters the node applies. */
  filters: NodeFilters;
  /** `channelId` is v4.2's; null elsewhere. Strings are '' without a voice connection. */
  voice: {
    /** Discord voice token. */
    token: string;
    /** Discord voice server endpoint. */
    endpoint: string;
    /** Discord voice session id. */
    sessionId: string;
    /** The voice channel (Lavalink 4.2's DAVE field); null when the node does not report it. */
    channelId: string | null;
  };
}

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
