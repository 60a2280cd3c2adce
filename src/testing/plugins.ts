/**
 * The Lavalink plugins a simulator can serve, switched on one by one (`plugins` option): LavaSrc
 * (lavasrc.ts), LavaSearch (lavasearch.ts), SponsorBlock (sponsorblock.ts) and LavaLyrics
 * (lavalyrics.ts). This file names them, checks the option, adds them to `/v4/info`, and hands
 * each track start to the plugins that react to one. Their routes are in plugin-routes.ts.
 */
import { InvalidOptionError } from '../errors.js';
import type { TrackSource } from './catalogue.js';
import { LavaLyrics } from './lavalyrics.js';
import { lavaSrc, lavaSrcSources } from './lavasrc.js';
import type { SimSession } from './session.js';
import type { SimPlayer } from './sim-player.js';
import { SponsorBlock } from './sponsorblock.js';
import type { SimTrack } from './types.js';

/** A plugin the simulator can serve (protocol 4 only, as the plugins are Lavalink 4 plugins). */
export type SimulatorPlugin = 'lavasrc' | 'lavasearch' | 'sponsorblock' | 'lavalyrics';

/** Each plugin as `/v4/info` lists it: the name and the release its wire format follows. */
const listed: Readonly<Record<SimulatorPlugin, { readonly name: string; readonly version: string }>> = {
  lavasrc: { name: 'lavasrc-plugin', version: '4.8.1' },
  lavasearch: { name: 'lavasearch-plugin', version: '1.0.0' },
  sponsorblock: { name: 'sponsorblock-plugin', version: '3.0.1' },
  lavalyrics: { name: 'lavalyrics-plugin', version: '1.1.0' },
};

export const pluginNames = Object.keys(listed) as readonly SimulatorPlugin[];

/** The `plugins` option checked, deduplicated, in the order of {@link pluginNames} (so `/v4/info` is stable). */
export function resolvePlugins(value: unknown, protocol: 3 | 4): readonly SimulatorPlugin[] {
  if (value === undefined) return [];
  const expected = `an array of plugin names (${pluginNames.map((n) => `'${n}'`).join(', ')})`;
  if (!Array.isArray(value)) throw new InvalidOptionError('plugins', expected, value);
  const unknown: unknown = (value as unknown[]).find((name) => !(pluginNames as readonly unknown[]).includes(name));
  if (unknown !== undefined) throw new InvalidOptionError('plugins', expected, unknown);
  if (value.length > 0 && protocol !== 4) throw new InvalidOptionError('plugins', 'empty for protocol 3 (the plugins are those of Lavalink 4)', value);
  return Object.freeze(pluginNames.filter((name) => value.includes(name)));
}

/** The plugins one simulator serves, with the state they keep per session. */
export class SimPlugins {
  readonly names: readonly SimulatorPlugin[];
  readonly sponsorBlock: SponsorBlock | null;
  readonly lyrics: LavaLyrics | null;

  constructor(names: readonly SimulatorPlugin[]) {
    this.names = names;
    this.sponsorBlock = this.has('sponsorblock') ? new SponsorBlock() : null;
    this.lyrics = this.has('lavalyrics') ? new LavaLyrics() : null;
  }

  has(name: SimulatorPlugin): boolean {
    return this.names.includes(name);
  }

  /** Track sources for the catalogue. */
  get sources(): readonly TrackSource[] {
    return this.has('lavasrc') ? [lavaSrc] : [];
  }

  /** `/v4/info` with the plugins listed, and LavaSrc's source managers beside the node's own. */
  info(body: Record<string, unknown>): Record<string, unknown> {
    if (this.names.length === 0) return body;
    const own = Array.isArray(body.sourceManagers) ? (body.sourceManagers as unknown[]) : [];
    const sourceManagers = this.has('lavasrc') ? [...new Set([...own, ...lavaSrcSources])] : own;
    return { ...body, sourceManagers, plugins: this.names.map((name) => ({ ...listed[name] })) };
  }

  /** SponsorBlock first: its events follow the TrackStartEvent at once, as the real plugin's do. */
  onTrackStart(session: SimSession, player: SimPlayer, track: SimTrack): void {
    this.sponsorBlock?.onTrackStart(session, player, track);
    this.lyrics?.onTrackStart(session, player, track);
  }
}
