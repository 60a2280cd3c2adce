/** A Player's command arguments, checked at the boundary before the player changes. */
import { InvalidOptionError, readArgument } from '../errors.js';
import { jsonData } from '../protocol/json-data.js';
import type { EqualizerBand, OutgoingOp } from '../protocol/ops.js';

/** How `player.connect()` joins: deafened or muted, and how long to wait. */
export interface ConnectOptions {
  /** @default false */
  selfDeaf?: boolean;
  /** @default false */
  selfMute?: boolean;
  /** How long to wait for the node to have the voice credentials, ms. @default the manager's `voiceTimeout` */
  timeout?: number;
}

/** How `player.play()` plays a track. */
export interface PlayOptions {
  /** Start this many ms into the track. */
  startTime?: number;
  /** Stop the track at this many ms. */
  endTime?: number;
  /** Do nothing if a track is already playing (or paused). */
  noReplace?: boolean;
  /** Start paused. */
  paused?: boolean;
  /** Volume to play at, 0 to 1000; left out, the player's volume stays. */
  volume?: number;
  /** v4: stored with the track on the node. */
  userData?: Record<string, unknown>;
}

/** An options argument: an object, or null/undefined for none. */
export function optionsObject(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidOptionError(name, 'an object of options (or nothing)', value);
  return value as Record<string, unknown>;
}

/** connect()'s arguments: a voice channel id (or {id}) and the self-mute/deaf options. */
export function checkConnect(channel: unknown, options: unknown): { id: string; selfDeaf: boolean; selfMute: boolean; timeout: number | undefined } {
  const expected = 'a voice channel id (a string of digits)';
  const id = readArgument('channel', expected, () => (typeof channel === 'string' ? channel : (channel as { id?: unknown } | null | undefined)?.id));
  if (typeof id !== 'string' || !/^\d{1,20}$/.test(id)) throw new InvalidOptionError('channel', expected, channel);
  const { selfDeaf = false, selfMute = false, timeout } = readArgument('options', 'an object of options (or nothing)', () => ({ ...optionsObject(options, 'options') })) as ConnectOptions;
  if (typeof selfDeaf !== 'boolean') throw new InvalidOptionError('options.selfDeaf', 'a boolean', selfDeaf);
  if (typeof selfMute !== 'boolean') throw new InvalidOptionError('options.selfMute', 'a boolean', selfMute);
  if (timeout !== undefined && !(Number.isSafeInteger(timeout) && timeout >= 1 && timeout <= 2 ** 31 - 1)) throw new InvalidOptionError('options.timeout', 'an integer of milliseconds from 1 to 2147483647', timeout);
  return { id, selfDeaf, selfMute, timeout };
}

/** What an encoded track is made of (standard or URL-safe base64). */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** `play()`'s arguments checked before the player changes: the track's encoded string, and the options. */
export function checkPlay(track: unknown, playOptions: unknown): { encoded: string; options: PlayOptions } {
  const encoded = readArgument('track', 'an encoded track or a Track', () => (typeof track === 'string' ? track : (track as { encoded?: unknown } | null | undefined)?.encoded));
  if (typeof encoded !== 'string' || encoded === '') throw new InvalidOptionError('track', 'an encoded track or a Track', track);
  // A URL or a search is the commonest slip: refuse it here rather than as the node's 400.
  if (!BASE64.test(encoded)) throw new InvalidOptionError('track', 'an encoded track or a Track (load a URL or a search with manager.load() first)', encoded);
  return { encoded, options: readArgument('options', 'an object of play options (or nothing)', () => checkPlayOptions(playOptions)) };
}

/** The play op for checked options: only the options given go on the wire (`paused` is the op's `pause`). */
export function playOp(guildId: string, encoded: string, options: PlayOptions): OutgoingOp {
  const { startTime, endTime, noReplace, paused: pause, volume, userData } = options;
  const given = Object.fromEntries(Object.entries({ startTime, endTime, noReplace, pause, volume, userData }).filter(([, v]) => v !== undefined));
  return { op: 'play', guildId, track: encoded, ...given };
}

/** Every play option checked (and userData copied) before the player changes. */
export function checkPlayOptions(value: unknown): PlayOptions {
  const o = optionsObject(value, 'options');
  const out: PlayOptions = {};
  for (const key of ['startTime', 'endTime'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || (v as number) < 0) throw new InvalidOptionError(`options.${key}`, 'a whole number of ms, at least 0', v);
    out[key] = v as number;
  }
  for (const key of ['noReplace', 'paused'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new InvalidOptionError(`options.${key}`, 'a boolean', v);
    out[key] = v;
  }
  if (o.volume !== undefined) {
    checkVolume(o.volume as number);
    out.volume = o.volume as number;
  }
  if (o.userData !== undefined) {
    const data = jsonData(o.userData, 'options.userData');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InvalidOptionError('options.userData', 'an object', o.userData);
    out.userData = data as Record<string, unknown>;
  }
  return out;
}

/** Equalizer bands, copied plain: 0..14, gains from -0.25 to 1. */
export function checkBands(bands: unknown): EqualizerBand[] {
  const expected = 'an array of {band: 0..14, gain: -0.25..1}';
  let copy: EqualizerBand[];
  try {
    copy = jsonData(bands, 'bands') as EqualizerBand[];
  } catch {
    throw new InvalidOptionError('bands', expected, bands);
  }
  if (!Array.isArray(copy) || !copy.every((b) => Number.isInteger(b?.band) && b.band >= 0 && b.band <= 14 && typeof b.gain === 'number' && b.gain >= -0.25 && b.gain <= 1)) {
    throw new InvalidOptionError('bands', expected, bands);
  }
  return copy;
}

export function checkVolume(volume: number): void {
  if (!Number.isInteger(volume) || volume < 0 || volume > 1000) throw new InvalidOptionError('volume', 'an integer from 0 to 1000', volume);
}
