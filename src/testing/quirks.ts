/**
 * Quirks: how servers that speak Lavalink's v4 protocol without being Lavalink behave
 * (NodeLink 2.x, as observed). Each behaviour is a switch, off by default (Lavalink's behaviour); a
 * {@link Flavour} is a preset of switches, and switches given one by one override it.
 */
import { InvalidOptionError } from '../errors.js';

/** Which server the simulator imitates: Lavalink itself, or NodeLink 2.3 (protocol 4 only). */
export type Flavour = 'lavalink' | 'nodelink';

/** One switch per behaviour; every one is `false` for Lavalink and `true` for NodeLink. */
export interface Quirks {
  /**
   * The server says it is NodeLink 2.3.0: `GET /version` answers `2.3.0` as text, without the
   * `Lavalink-Api-Version` header; `GET /v4/info` has `isNodeLink: true`, version parts as strings,
   * `jvm` and `lavaplayer` `"0.0.0"`, and a `sourceManagers` list unrelated to what loads.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { nodeLinkIdentity: true } }
   */
  nodeLinkIdentity: boolean;
  /**
   * No resuming: `PATCH` and `GET /v4/sessions/{id}` answer 404, a handshake's `Session-Id` is
   * ignored (`ready` always has `resumed: false` and a new id), and when a socket closes its
   * session ends with its players at once.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { noResuming: true } }
   */
  noResuming: boolean;
  /**
   * Local files (catalogue identifiers that are absolute paths, `/music/song.mp3`) load with
   * `length: -1` and are encoded with length -1. (A track of unknown length plays until stopped
   * and its position keeps growing whatever this switch says.)
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { unknownLengths: true } }
   */
  unknownLengths: boolean;
  /**
   * `playerUpdate`s only on the interval: none at once after a play, a track start, a seek, a
   * pause, a filters change, a voice change or a resume.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { updatesOnIntervalOnly: true } }
   */
  updatesOnIntervalOnly: boolean;
  /**
   * Extra `TrackStartEvent`s: two after a replace (TrackEndEvent `replaced`, then two starts of
   * the new track), and one more for the current track on every seek or filters change while it
   * plays (a track loaded and not paused).
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { extraTrackStarts: true } }
   */
  extraTrackStarts: boolean;
  /**
   * The answer to a `PATCH` that starts a track waits until its `TrackStartEvent` is written to
   * the WebSocket, so the event reaches the client first even when the socket is backed up.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { trackStartBeforeReply: true } }
   */
  trackStartBeforeReply: boolean;
  /**
   * Local files are encoded as NodeLink encodes them: message version 3 with no probe string
   * after `sourceName` (Lavalink writes one, `mp3`, `flac`...).
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { probelessLocalTracks: true } }
   */
  probelessLocalTracks: boolean;
  /**
   * No `stats` frame on connect: the first comes one `statsIntervalMs` later.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { statsAfterInterval: true }, statsIntervalMs: 100 }
   */
  statsAfterInterval: boolean;
  /**
   * `stats.players` (WebSocket and `GET /v4/stats`) counts playing players only, like
   * `playingPlayers`.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { statsCountPlayingOnly: true } }
   */
  statsCountPlayingOnly: boolean;
  /**
   * `WebSocketClosedEvent` without `code` and `reason` (only `byRemote`), as NodeLink sends when
   * the voice endpoint cannot be reached.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { bareVoiceClosed: true } }
   */
  bareVoiceClosed: boolean;
  /**
   * REST error bodies always carry `trace` and never `error`: `{timestamp, status, trace,
   * message, path}`.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { traceOnlyErrors: true } }
   */
  traceOnlyErrors: boolean;
  /**
   * A `PATCH` with `paused` (true or false) answers 400 unless the player has a live voice
   * connection (one given in the same `PATCH` counts); nothing of it is applied.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { pauseNeedsVoice: true } }
   */
  pauseNeedsVoice: boolean;
  /**
   * `?noReplace=true` is ignored: a new track always replaces the current one.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { ignoresNoReplace: true } }
   */
  ignoresNoReplace: boolean;
  /**
   * `userData` sent with a track is not kept: tracks in answers and events carry `userData: {}`.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { dropsUserData: true } }
   */
  dropsUserData: boolean;
  /**
   * `GET /v4/sessions/{id}/players/{guild}` of an unknown player creates it and answers 200
   * (Lavalink: 404).
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { getCreatesPlayer: true } }
   */
  getCreatesPlayer: boolean;
  /**
   * Filters do not stick: filters applied while no track is loaded are dropped (a `PATCH`
   * applies filters before the track it starts, so filters sent with a new track to an idle
   * player are dropped too), and a seek clears the filters.
   * @default false (`true` for flavour `'nodelink'`)
   * @example { quirks: { volatileFilters: true } }
   */
  volatileFilters: boolean;
}

export type QuirkName = keyof Quirks;

const lavalink: Readonly<Quirks> = Object.freeze({
  nodeLinkIdentity: false,
  noResuming: false,
  unknownLengths: false,
  updatesOnIntervalOnly: false,
  extraTrackStarts: false,
  trackStartBeforeReply: false,
  probelessLocalTracks: false,
  statsAfterInterval: false,
  statsCountPlayingOnly: false,
  bareVoiceClosed: false,
  traceOnlyErrors: false,
  pauseNeedsVoice: false,
  ignoresNoReplace: false,
  dropsUserData: false,
  getCreatesPlayer: false,
  volatileFilters: false,
});

export const quirkNames = Object.keys(lavalink) as readonly QuirkName[];

/** Each flavour's switches: Lavalink has none of the quirks, NodeLink 2.3 every one. */
export const flavours: Readonly<Record<Flavour, Readonly<Quirks>>> = {
  lavalink,
  nodelink: Object.freeze(Object.fromEntries(quirkNames.map((name) => [name, true])) as unknown as Quirks),
};

/** The switches of a flavour with `overrides` applied; throws InvalidOptionError on anything else. */
export function resolveQuirks(flavour: unknown, overrides: unknown, protocol: 3 | 4): Readonly<Quirks> {
  if (typeof flavour !== 'string' || !Object.hasOwn(flavours, flavour)) throw new InvalidOptionError('flavour', "'lavalink' or 'nodelink'", flavour);
  if (flavour === 'nodelink' && protocol !== 4) throw new InvalidOptionError('flavour', "'lavalink' for protocol 3 (NodeLink speaks protocol 4 only)", flavour);
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new InvalidOptionError('quirks', `an object of switches (${quirkNames.join(', ')})`, overrides);
  }
  const quirks: Quirks = { ...flavours[flavour as Flavour] };
  for (const [name, value] of Object.entries(overrides)) {
    if (!(quirkNames as readonly string[]).includes(name)) throw new InvalidOptionError('quirks', `an object whose keys are among ${quirkNames.join(', ')}`, name);
    if (value === undefined) continue; // left to the flavour
    if (typeof value !== 'boolean') throw new InvalidOptionError(`quirks.${name}`, 'a boolean', value);
    if (value && protocol !== 4) throw new InvalidOptionError(`quirks.${name}`, 'false for protocol 3 (the quirks are those of protocol 4 servers)', value);
    quirks[name as QuirkName] = value;
  }
  return Object.freeze(quirks);
}
