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

export const FilterPresets = deepFreeze({
  /** Faster and higher. */
  nightcore: { timescale: { speed: 1.2, pitch: 1.2, rate: 1 } },
  /** Slower and lower. */
  vaporwave: { timescale: { speed: 0.85, pitch: 0.8, rate: 1 } },
  /** The four lowest of the 15 equalizer bands raised (gains are -0.25 to 1.0). */
  bassBoost: {
    equalizer: [
      { band: 0, gain: 0.2 },
      { band: 1, gain: 0.15 },
      { band: 2, gain: 0.1 },
      { band: 3, gain: 0.05 },
    ],
  },
  /** The sound circling the listener ("8D audio"): a slow stereo rotation. */
  eightD: { rotation: { rotationHz: 0.2 } },
  /** Takes out the voice band, as karaoke tracks do. */
  karaoke: { karaoke: { level: 1, monoLevel: 1, filterBand: 220, filterWidth: 100 } },
} satisfies Record<string, Filters>);

export type FilterPresetName = keyof typeof FilterPresets;
