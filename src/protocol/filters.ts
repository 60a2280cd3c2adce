/**
 * Audio filters (Lavalink's `filters` object, the same fields in v3's `filters` op and v4's player
 * update): what a player asks for, and what a node reports back for one of its
 * players. `Filters` is the player's type as it stands today (src/player.ts will import it from
 * here); `NodeFilters` is the same read from a node, so its plugin filters are JSON.
 */
import type { EqualizerBand } from './ops.js';
import type { JsonValue } from './rest.js';

/** Every filter Lavalink knows; omitted filters are off. */
export interface Filters {
  /** Overall volume, from 0 to 5; 1 leaves it as it is. Above 1 may clip. */
  volume?: number;
  /** Gains of up to 15 bands (0 to 14); bands left out are unchanged. */
  equalizer?: EqualizerBand[];
  /** Removes a band of frequencies, typically the lead vocals. */
  karaoke?: {
    /** How much to remove, 0 to 1. */
    level?: number;
    /** How much of the mono (centre) signal to remove, 0 to 1. */
    monoLevel?: number;
    /** The band's centre frequency, Hz (220 by default). */
    filterBand?: number;
    /** The band's width, Hz (100 by default). */
    filterWidth?: number;
  };
  /** Changes speed, pitch and rate; 1 leaves each as it is. */
  timescale?: {
    /** Playback speed (tempo and pitch together), at least 0. */
    speed?: number;
    /** Pitch, at least 0. */
    pitch?: number;
    /** Rate (speed and pitch as one), at least 0. */
    rate?: number;
  };
  /** Wavers the volume. */
  tremolo?: {
    /** How often, Hz, above 0. */
    frequency?: number;
    /** How much, above 0 and at most 1. */
    depth?: number;
  };
  /** Wavers the pitch. */
  vibrato?: {
    /** How often, Hz, above 0 and at most 14. */
    frequency?: number;
    /** How much, above 0 and at most 1. */
    depth?: number;
  };
  /** Pans the audio around the listener ("8D"). */
  rotation?: {
    /** How often it goes round, Hz (0.2 is a common choice). */
    rotationHz?: number;
  };
  /** Distorts the samples through sine, cosine and tangent terms. */
  distortion?: {
    /** Sine offset. */
    sinOffset?: number;
    /** Sine scale. */
    sinScale?: number;
    /** Cosine offset. */
    cosOffset?: number;
    /** Cosine scale. */
    cosScale?: number;
    /** Tangent offset. */
    tanOffset?: number;
    /** Tangent scale. */
    tanScale?: number;
    /** Overall offset. */
    offset?: number;
    /** Overall scale. */
    scale?: number;
  };
  /** Mixes the left and right channels; 1, 0, 0, 1 leaves them as they are, all 0.5 makes mono. */
  channelMix?: {
    /** Share of the left channel kept on the left, 0 to 1. */
    leftToLeft?: number;
    /** Share of the left channel sent to the right, 0 to 1. */
    leftToRight?: number;
    /** Share of the right channel sent to the left, 0 to 1. */
    rightToLeft?: number;
    /** Share of the right channel kept on the right, 0 to 1. */
    rightToRight?: number;
  };
  /** Cuts high frequencies. */
  lowPass?: {
    /** How strongly, above 1 (1 or less turns it off). */
    smoothing?: number;
  };
  /** v4 plugin filters by plugin name (v3: sent as top-level keys). Checked as JSON data when sent. */
  pluginFilters?: Record<string, unknown>;
}

/** The filters a node reports for a player: the built-in ones as numbers, plugin filters as JSON. */
export type NodeFilters = Omit<Filters, 'pluginFilters'> & {
  /** By plugin name; v3 nodes' extra top-level keys land here too. */
  pluginFilters?: Record<string, JsonValue>;
};

/** The numeric fields of each built-in filter that takes an object. */
const filterFields = {
  karaoke: ['level', 'monoLevel', 'filterBand', 'filterWidth'],
  timescale: ['speed', 'pitch', 'rate'],
  tremolo: ['frequency', 'depth'],
  vibrato: ['frequency', 'depth'],
  rotation: ['rotationHz'],
  distortion: ['sinOffset', 'sinScale', 'cosOffset', 'cosScale', 'tanOffset', 'tanScale', 'offset', 'scale'],
  channelMix: ['leftToLeft', 'leftToRight', 'rightToLeft', 'rightToRight'],
  lowPass: ['smoothing'],
} as const;

type ObjectFilter = keyof typeof filterFields;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Defined, not assigned: a `__proto__` key from the node's JSON stays data, never a prototype. */
function define(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A node's filters object, field by field: what is not a number where one belongs is left out,
 * never thrown over. Keys it does not know are plugin filters (v4 sends them under
 * `pluginFilters`, v3 as extra top-level keys).
 */
export function toNodeFilters(raw: unknown): NodeFilters {
  if (!isObject(raw)) return {};
  const out: NodeFilters = {};
  const plugins: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'volume') {
      if (isNumber(value)) out.volume = value;
    } else if (key === 'equalizer') {
      if (Array.isArray(value)) out.equalizer = value.filter(isObject).filter((b) => isNumber(b.band) && isNumber(b.gain)).map((b) => ({ band: b.band as number, gain: b.gain as number }));
    } else if (key === 'pluginFilters') {
      if (isObject(value)) for (const [name, settings] of Object.entries(value)) define(plugins, name, settings as JsonValue);
    } else if (Object.hasOwn(filterFields, key)) {
      if (!isObject(value)) continue;
      const fields: Record<string, number> = {};
      for (const field of filterFields[key as ObjectFilter]) if (isNumber(value[field])) fields[field] = value[field];
      (out as Record<string, unknown>)[key] = fields;
    } else if (value !== null && value !== undefined) {
      define(plugins, key, value as JsonValue);
    }
  }
  if (Object.keys(plugins).length > 0) out.pluginFilters = plugins;
  return out;
}
