/**
 * Filter settings bots reach for, as plain `Filters` objects: pass one to `player.setFilters()`,
 * or spread it over the filters a player has (`{ ...player.filters, ...FilterPresets.nightcore }`).
 * Frozen all the way down: a preset is shared, so nobody can change it for everyone.
 */
import type { Filters } from './protocol/filters.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Ready-made `Filters` for `player.setFilters()`, frozen.
 *
 * @example
 * ```ts
 * await player.setFilters({ ...player.filters, ...FilterPresets.nightcore });
 * ```
 */
export const FilterPresets = deepFreeze({
  /** Faster and higher. */
  nightcore: {
    /** Speed and pitch together. */
    timescale: {
      /** 20% faster. */
      speed: 1.2,
      /** 20% higher. */
      pitch: 1.2,
      /** Rate unchanged. */
      rate: 1,
    },
  },
  /** Slower and lower. */
  vaporwave: {
    /** Speed and pitch together. */
    timescale: {
      /** 15% slower. */
      speed: 0.85,
      /** 20% lower. */
      pitch: 0.8,
      /** Rate unchanged. */
      rate: 1,
    },
  },
  /** The four lowest of the 15 equalizer bands raised (gains are -0.25 to 1.0). */
  bassBoost: {
    /** Gains for the four lowest bands (about 25 to 100 Hz). */
    equalizer: [
      {
        /** The band. */
        band: 0,
        /** Its gain. */
        gain: 0.2,
      },
      { band: 1, gain: 0.15 },
      { band: 2, gain: 0.1 },
      { band: 3, gain: 0.05 },
    ],
  },
  /** The sound circling the listener ("8D audio"): a slow stereo rotation. */
  eightD: {
    /** A slow rotation around the listener. */
    rotation: {
      /** One turn every five seconds. */
      rotationHz: 0.2,
    },
  },
  /** Takes out the voice band, as karaoke tracks do. */
  karaoke: {
    /** The karaoke filter, at full strength on the voice band. */
    karaoke: {
      /** Remove it all. */
      level: 1,
      /** Remove all of the centre signal. */
      monoLevel: 1,
      /** Around 220 Hz. */
      filterBand: 220,
      /** 100 Hz wide. */
      filterWidth: 100,
    },
  },
} satisfies Record<string, Filters>);

/** The name of a preset in `FilterPresets`. */
export type FilterPresetName = keyof typeof FilterPresets;
