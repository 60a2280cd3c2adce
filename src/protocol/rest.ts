/**
 * REST requests made through a socket's worker, and their results in one shape for both
 * protocol versions (each adapter turns its version's answers into these, with the readers at
 * the end of this file: a field the node sent malformed gets its default, never a TypeError).
 */
import { InvalidOptionError, RestError } from '../errors.js';
import { toNodeFilters, type NodeFilters } from './filters.js';
import type { NodeStats } from './messages.js';
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
  | { loadType: 'playlist'; playlist: { name: string; selectedTrack: number; tracks: Track[] } }
  | { loadType: 'search'; tracks: Track[] }
  | { loadType: 'empty' }
  | { loadType: 'error'; exception: LoadException };

/** Who the node says it is (v4 `GET /v4/info`, 3.7 `GET /v3/info`; spec §4.6). */
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
 * A node's route planner (spec §3.4 "Route planner", §4.6), by class. Indexes are big integers,
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

const KINDS = 'load, decode, info, stats, version, routePlanner, unmark, players, player, updateSession';

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
      if (typeof r.guildId !== 'string' || !isGuildId(r.guildId)) throw bad('{ kind: "player", guildId: a guild id (a string of digits) }');
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

// ------------------------------------------------------------------ readers of a node's JSON

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const object = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);

/** A string field from a node's JSON: strings and numbers as text, anything else as ''. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** A number field: finite numbers, and numeric text (NodeLink sends version parts as strings); else the fallback. */
export function num(value: unknown, fallback = 0): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : fallback;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : fallback;
  }
  return fallback;
}

const nullableText = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const texts = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === 'string');

/** Lavalink's 404 for a guild without a player (its 404 for a lost session says `Session not found`). */
export function isPlayerMissing(error: unknown): boolean {
  return error instanceof RestError && error.status === 404 && (error.body as { message?: unknown } | null)?.message === 'Player not found';
}

/** An answer that must be a list; anything else is a body this client cannot read. */
export function listOf(raw: unknown, method: string, path: string): unknown[] {
  if (!Array.isArray(raw)) throw new RestError(`${method} ${path} answered something that is not a list`, 200, method, path, raw);
  return raw as unknown[];
}

/** Decoded tracks, one for each sent: a node that answers another count cannot be matched up. */
export function toTracks(raw: unknown, expected: number, method: string, path: string): Track[] {
  const tracks = listOf(raw, method, path);
  if (tracks.length !== expected) throw new RestError(`${method} ${path} answered ${tracks.length} tracks for ${expected}`, 200, method, path, raw);
  return tracks.map(toTrack);
}

/** A Track from either version's track JSON (v3 `{track, info}`, v4 `{encoded, info, ...}`). */
export function toTrack(raw: unknown): Track {
  const o = object(raw);
  const info = object(o.info);
  return {
    encoded: typeof o.encoded === 'string' ? o.encoded : typeof o.track === 'string' ? o.track : '',
    info: {
      identifier: text(info.identifier),
      isSeekable: Boolean(info.isSeekable),
      author: text(info.author),
      length: num(info.length),
      isStream: Boolean(info.isStream),
      position: num(info.position),
      title: text(info.title),
      uri: nullableText(info.uri),
      sourceName: text(info.sourceName),
      artworkUrl: nullableText(info.artworkUrl),
      isrc: nullableText(info.isrc),
    },
    // Parsed JSON: every value in it is JSON.
    pluginInfo: isObject(o.pluginInfo) ? (o.pluginInfo as JsonObject) : {},
    userData: isObject(o.userData) ? (o.userData as JsonObject) : {},
  };
}

export function toException(raw: unknown): LoadException {
  const o = object(raw);
  const severity = text(o.severity).toLowerCase();
  return {
    message: nullableText(o.message),
    severity: severity === 'common' || severity === 'suspicious' ? severity : 'fault',
    cause: nullableText(o.cause),
  };
}

/** `/v4/info` or `/v3/info`. 3.7's docs show `version` as a bare string: read that too. */
export function toNodeInfo(raw: unknown): NodeInfo {
  const o = object(raw);
  const v = object(o.version);
  const semver = typeof o.version === 'string' ? o.version : text(v.semver);
  const [major, minor, patch] = semver.split(/[.+-]/).map((part) => num(part));
  const git = object(o.git);
  return {
    version: {
      semver,
      major: num(v.major, major ?? 0),
      minor: num(v.minor, minor ?? 0),
      patch: num(v.patch, patch ?? 0),
      preRelease: nullableText(v.preRelease),
      build: nullableText(v.build),
    },
    buildTime: num(o.buildTime),
    git: { branch: text(git.branch), commit: text(git.commit), commitTime: num(git.commitTime) },
    jvm: text(o.jvm),
    lavaplayer: text(o.lavaplayer),
    sourceManagers: texts(o.sourceManagers),
    filters: texts(o.filters),
    plugins: list(o.plugins).filter(isObject).map((p) => ({ name: text(p.name), version: text(p.version) })),
  };
}

/** `/v4/stats` or `/v3/stats` (or a stats frame): `frameStats` is null when absent. */
export function toStats(raw: unknown): NodeStats {
  const o = object(raw);
  const memory = object(o.memory);
  const cpu = object(o.cpu);
  const frames = isObject(o.frameStats) ? o.frameStats : null;
  return {
    players: num(o.players),
    playingPlayers: num(o.playingPlayers),
    uptime: num(o.uptime),
    memory: { free: num(memory.free), used: num(memory.used), allocated: num(memory.allocated), reservable: num(memory.reservable) },
    cpu: { cores: num(cpu.cores), systemLoad: num(cpu.systemLoad), lavalinkLoad: num(cpu.lavalinkLoad) },
    frameStats: frames ? { sent: num(frames.sent), nulled: num(frames.nulled), deficit: num(frames.deficit) } : null,
  };
}

/** A route planner's status; null for none (v4: a 204, so no body; v3: `{class: null, details: null}`). */
export function toRoutePlannerStatus(raw: unknown): RoutePlannerStatus | null {
  const o = object(raw);
  if (typeof o.class !== 'string' || o.class === '') return null;
  const d = object(o.details);
  const block = object(d.ipBlock);
  const details: RoutePlannerDetails = {
    ipBlock: { type: text(block.type), size: text(block.size) },
    failingAddresses: list(d.failingAddresses)
      .filter(isObject)
      // 3.3's docs call it `address`.
      .map((f) => ({ failingAddress: text(f.failingAddress ?? f.address), failingTimestamp: num(f.failingTimestamp), failingTime: text(f.failingTime) })),
  };
  switch (o.class) {
    case 'RotatingIpRoutePlanner':
      return { class: o.class, details: { ...details, rotateIndex: text(d.rotateIndex), ipIndex: text(d.ipIndex), currentAddress: text(d.currentAddress) } };
    case 'NanoIpRoutePlanner':
      return { class: o.class, details: { ...details, currentAddressIndex: text(d.currentAddressIndex) } };
    case 'RotatingNanoIpRoutePlanner':
      return { class: o.class, details: { ...details, blockIndex: text(d.blockIndex), currentAddressIndex: text(d.currentAddressIndex) } };
    case 'BalancingIpRoutePlanner':
      return { class: o.class, details };
    default:
      return { class: 'Other', name: o.class, details };
  }
}

/**
 * A player from either version: v4 reports position, connection and ping in `state`; 3.7 has no
 * `state`, and reports the connection and ping in `voice` and the position in the track's info.
 */
export function toNodePlayer(raw: unknown): NodePlayer {
  const p = object(raw);
  const state = object(p.state);
  const voice = object(p.voice);
  const track = isObject(p.track) ? toTrack(p.track) : null;
  return {
    guildId: text(p.guildId),
    track,
    volume: num(p.volume, 100),
    paused: Boolean(p.paused),
    position: num(state.position, track?.info.position ?? 0),
    connected: Boolean(state.connected ?? voice.connected),
    ping: num(state.ping ?? voice.ping, -1),
    filters: toNodeFilters(p.filters),
    voice: {
      token: text(voice.token),
      endpoint: text(voice.endpoint),
      sessionId: text(voice.sessionId),
      channelId: nullableText(voice.channelId),
    },
  };
}
