/**
 * Reading a node's frame into a {@link NodeEvent}: the part both protocol versions share. Each
 * adapter supplies an {@link EventDialect} for what its version spells differently (where the
 * track is, how it is carried); the rest is read here, field by field. Pure, and it never throws:
 * a frame is JSON from the network, so any field may hold anything, and a value of the wrong type
 * is left out, replaced by its neutral value, or makes the frame unreadable (null).
 */
import type { NodeFrame } from './frames.js';
import type { NodeStats } from './messages.js';
import type { NodeEvent, PlayerState, TrackEndReason, TrackExceptionInfo } from './node-events.js';
import { readPluginEvent } from './plugin-events.js';
import { text, toTrack, type Track } from './rest.js';
import { decodeTrack } from './track-codec.js';

/** What a protocol version spells its own way in event frames. */
export interface EventDialect {
  /** The track an `event` frame names; null when it names none this codec can read. */
  track(frame: NodeFrame): Track | null;
}

/** A frame read with `dialect`; null for `ready` and for ops and event types this reader does not know. */
export function readEvent(frame: NodeFrame, dialect: EventDialect): NodeEvent | null {
  switch (frame.op) {
    case 'playerUpdate':
      return readPlayerUpdate(frame);
    case 'stats':
      return { type: 'stats', stats: readStats(frame) };
    case 'event':
      return readPlayerEvent(frame, dialect);
    default:
      return null;
  }
}

function readPlayerUpdate(frame: NodeFrame): NodeEvent | null {
  const { guildId, state } = frame;
  if (typeof guildId !== 'string' || !isObject(state)) return null;
  // `time` is the node's clock; a frame without one still says where the player is. Fields a
  // server adds travel on as it sent them (a bot may read them); the four known ones are checked.
  const { time: _time, position: _position, connected: _connected, ping: _ping, ...extra } = state;
  const read: PlayerState = { ...extra, time: finite(state.time) ?? 0 };
  // The position stays as sent (even negative): the main side clamps it where it applies it.
  const position = finite(state.position);
  if (position !== undefined) read.position = position;
  if (typeof state.connected === 'boolean') read.connected = state.connected;
  const ping = finite(state.ping);
  if (ping !== undefined) read.ping = ping;
  return { type: 'playerUpdate', guildId, state: read };
}

function readPlayerEvent(frame: NodeFrame, dialect: EventDialect): NodeEvent | null {
  const { guildId } = frame;
  // Events are routed by guild: one without a guild id belongs to no player.
  if (typeof guildId !== 'string') return null;
  switch (frame.type) {
    case 'TrackStartEvent':
      return { type: 'trackStart', guildId, track: dialect.track(frame) };
    case 'TrackEndEvent':
      return { type: 'trackEnd', guildId, track: dialect.track(frame), reason: endReason(frame.reason) };
    case 'TrackExceptionEvent':
      return { type: 'trackException', guildId, track: dialect.track(frame), exception: readException(frame) };
    case 'TrackStuckEvent':
      return { type: 'trackStuck', guildId, track: dialect.track(frame), thresholdMs: finite(numeric(frame.thresholdMs)) ?? 0 };
    case 'WebSocketClosedEvent':
      // Some servers leave code and reason out when the voice endpoint cannot be reached: -1, ''.
      return { type: 'voiceClosed', guildId, code: finite(frame.code) ?? -1, reason: text(frame.reason), byRemote: frame.byRemote === true };
    default:
      // A plugin's event (SponsorBlock, LavaLyrics, one nobody knows yet): the bot hears it, typed where it can be.
      return typeof frame.type === 'string' ? { type: 'plugin', guildId, event: readPluginEvent(frame.type, frame) } : null;
  }
}

/** v3 spells end reasons in upper case (`FINISHED`), v4 in camel case (`finished`). */
const endReasons: Readonly<Record<string, TrackEndReason>> = {
  finished: 'finished',
  loadFailed: 'loadFailed',
  stopped: 'stopped',
  replaced: 'replaced',
  cleanup: 'cleanup',
  FINISHED: 'finished',
  LOAD_FAILED: 'loadFailed',
  STOPPED: 'stopped',
  REPLACED: 'replaced',
  CLEANUP: 'cleanup',
};

/**
 * Both spellings are read for both versions, as the main thread always did: a server that mixes
 * them is still understood. A reason nobody documents ends the track without starting the next
 * one (`stopped`): a queue must not skip ahead on an end it cannot explain, and dropping the event
 * would leave the player playing a track that has ended.
 */
function endReason(raw: unknown): TrackEndReason {
  return typeof raw === 'string' && Object.hasOwn(endReasons, raw) ? endReasons[raw]! : 'stopped';
}

/** v3.4+ and v4 send an `exception` object; 3.3 only an `error` string. */
function readException(frame: NodeFrame): TrackExceptionInfo {
  const raw = isObject(frame.exception) ? frame.exception : { message: frame.error };
  return {
    message: typeof raw.message === 'string' ? raw.message : null,
    // v3 says COMMON/SUSPICIOUS/FAULT, v4 common/suspicious/fault; another server's word is kept, lower-cased.
    severity: (text(raw.severity) || 'common').toLowerCase(),
    cause: typeof raw.cause === 'string' ? raw.cause : null,
  };
}

/** Stats from a frame, field by field: a malformed one must not break `penalties` or `ideal`. */
export function readStats(frame: Record<string, unknown>): NodeStats {
  const n = (value: unknown): number => finite(value) ?? 0;
  const part = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const memory = part(frame.memory);
  const cpu = part(frame.cpu);
  // Absent (v3) or null (v4) while none of the session's players plays.
  const frames = frame.frameStats === null || frame.frameStats === undefined ? null : part(frame.frameStats);
  return {
    players: n(frame.players),
    playingPlayers: n(frame.playingPlayers),
    uptime: n(frame.uptime),
    memory: { free: n(memory.free), used: n(memory.used), allocated: n(memory.allocated), reservable: n(memory.reservable) },
    cpu: { cores: n(cpu.cores), systemLoad: n(cpu.systemLoad), lavalinkLoad: n(cpu.lavalinkLoad) },
    frameStats: frames ? { sent: n(frames.sent), nulled: n(frames.nulled), deficit: n(frames.deficit) } : null,
  };
}

/** A track carried as its encoded string (v3 events), decoded here; null for anything else. */
export function trackFromEncoded(raw: unknown): Track | null {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    return { encoded: raw, info: decodeTrack(raw).info, pluginInfo: {}, userData: {} };
  } catch {
    // A plugin's track this codec cannot read: still playable, just without info.
    return { encoded: raw, info: { ...EMPTY_INFO }, pluginInfo: {}, userData: {} };
  }
}

/** A track carried as a Track object (v4 events), normalised; null for anything else. */
export function trackFromObject(raw: unknown): Track | null {
  if (!isObject(raw) || typeof raw.encoded !== 'string' || raw.encoded === '') return null;
  return toTrack(raw);
}

const EMPTY_INFO: Track['info'] = { identifier: '', isSeekable: false, author: '', length: 0, isStream: false, position: 0, title: '', uri: null, sourceName: '', artworkUrl: null, isrc: null };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number, or undefined (JSON can carry 1e999, which parses to Infinity). */
function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Numbers, and numbers sent as text (Lavalink's own docs show some as strings); anything else undefined. */
function numeric(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
}
