/** Every filter Lavalink knows (spec §6), in one shape for both versions; omitted filters are off. */
import type { EqualizerBand } from './ops.js';

export interface Filters {
  volume?: number;
  equalizer?: EqualizerBand[];
  karaoke?: { level?: number; monoLevel?: number; filterBand?: number; filterWidth?: number };
  timescale?: { speed?: number; pitch?: number; rate?: number };
  tremolo?: { frequency?: number; depth?: number };
  vibrato?: { frequency?: number; depth?: number };
  rotation?: { rotationHz?: number };
  distortion?: { sinOffset?: number; sinScale?: number; cosOffset?: number; cosScale?: number; tanOffset?: number; tanScale?: number; offset?: number; scale?: number };
  channelMix?: { leftToLeft?: number; leftToRight?: number; rightToLeft?: number; rightToRight?: number };
  lowPass?: { smoothing?: number };
  /** Plugin filters by plugin name (the v3 adapter sends them as top-level keys). */
  pluginFilters?: Record<string, unknown>;
}
