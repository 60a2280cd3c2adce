/**
 * REST requests the Manager makes through a socket's worker, and their results in one shape for
 * both protocol versions (each adapter turns its version's answers into these).
 */
import { InvalidOptionError } from '../errors.js';
import type { TrackInfo } from './track-codec.js';

export interface Track {
  encoded: string;
  info: TrackInfo;
  pluginInfo: Record<string, unknown>;
  userData: Record<string, unknown>;
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

export type RestRequest =
  | { readonly kind: 'load'; readonly identifier: string }
  | { readonly kind: 'decode'; readonly tracks: readonly string[] }
  | { readonly kind: 'info' }
  | { readonly kind: 'stats' }
  | { readonly kind: 'version' }
  | { readonly kind: 'routePlanner' }
  | { readonly kind: 'unmark'; readonly address: string | null }
  | { readonly kind: 'players' };

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
    case 'info':
    case 'stats':
    case 'version':
    case 'routePlanner':
    case 'players':
      break;
    default:
      throw bad('a request of a known kind (load, decode, info, stats, version, routePlanner, unmark, players)');
  }
  return value as RestRequest;
}

/** A player as the node reports it (v4 `GET /sessions/{id}/players`, normalised). */
export interface NodePlayer {
  guildId: string;
  track: Track | null;
  volume: number;
  paused: boolean;
  position: number;
  connected: boolean;
  filters: Record<string, unknown>;
  voice: { token: string; endpoint: string; sessionId: string; channelId: string | null };
}

export type RestResult<K extends RestRequest['kind']> = K extends 'load'
  ? LoadResult
  : K extends 'decode'
    ? Track[]
    : K extends 'version'
      ? string
      : K extends 'players'
        ? NodePlayer[]
        : K extends 'unmark'
          ? null
          : unknown;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string field from a node's JSON: strings and numbers as text, anything else as ''. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** A Track from either version's track JSON (v3 `{track, info}`, v4 `{encoded, info, ...}`). */
export function toTrack(raw: unknown): Track {
  const o = isObject(raw) ? raw : {};
  const info = (isObject(o.info) ? o.info : {}) as Partial<TrackInfo>;
  return {
    encoded: typeof o.encoded === 'string' ? o.encoded : typeof o.track === 'string' ? o.track : '',
    info: {
      identifier: text(info.identifier),
      isSeekable: Boolean(info.isSeekable),
      author: text(info.author),
      length: Number(info.length ?? 0),
      isStream: Boolean(info.isStream),
      position: Number(info.position ?? 0),
      title: text(info.title),
      uri: typeof info.uri === 'string' ? info.uri : null,
      sourceName: text(info.sourceName),
      artworkUrl: typeof info.artworkUrl === 'string' ? info.artworkUrl : null,
      isrc: typeof info.isrc === 'string' ? info.isrc : null,
    },
    pluginInfo: isObject(o.pluginInfo) ? o.pluginInfo : {},
    userData: isObject(o.userData) ? o.userData : {},
  };
}

export function toException(raw: unknown): LoadException {
  const o = isObject(raw) ? raw : {};
  const severity = text(o.severity).toLowerCase();
  return {
    message: typeof o.message === 'string' ? o.message : null,
    severity: severity === 'common' || severity === 'suspicious' ? severity : 'fault',
    cause: typeof o.cause === 'string' ? o.cause : null,
  };
}
