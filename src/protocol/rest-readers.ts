/**
 * Readers of a node's REST JSON into the shapes of rest.ts: field by field, so a value the node
 * sent malformed gets its default, never a TypeError.
 */
import { RestError } from '../errors.js';
import { toNodeFilters } from './filters.js';
import type { NodeStats } from './messages.js';
import type { JsonObject, LoadException, NodeInfo, NodePlayer, RoutePlannerDetails, RoutePlannerStatus, Track } from './rest.js';

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
