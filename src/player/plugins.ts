/**
 * A player's plugin calls: SponsorBlock's categories (`player.sponsorBlock`) and LavaLyrics'
 * lyrics of what it plays (`player.lyrics`). What the player asked the node to keep (categories,
 * a live-lyrics subscription) lives on the node with the player's session: it is asked for again
 * when the player is rebuilt on a node (a failover, a move, a lost session), and the session store
 * keeps it, so a restarted process asks a node that lost the session too.
 */
import { ErrorCode, InvalidOptionError, LavalinkError, readArgument } from '../errors.js';
import type { Player } from '../player.js';
import { SPONSORBLOCK_CATEGORIES, type Lyrics, type SponsorBlockCategory } from '../protocol/plugins.js';
import type { StoredPlugins } from '../session-store/session-store.js';
import { readSkipTrackSource, type LyricsOptions } from '../socket-rest.js';

/** What a player asked its node to keep. */
interface Kept {
  categories?: readonly string[];
  lyrics?: { skipTrackSource: boolean } | undefined;
}

/** Only players that used a plugin have an entry. */
const asked = new WeakMap<Player, Kept>();

function alive(player: Player): Player {
  if (player.destroyed) throw new LavalinkError(ErrorCode.BadOp, `Player ${player.guildId} was destroyed`);
  return player;
}

function remember(player: Player, change: Kept): void {
  asked.set(player, { ...asked.get(player), ...change });
}

/** SponsorBlock for one player: the segment categories its node skips in YouTube tracks. */
export class PlayerSponsorBlock {
  readonly #player: Player;

  constructor(player: Player) {
    this.#player = player;
  }

  /** The categories the node skips for this player; [] for none. */
  async categories(): Promise<string[]> {
    const player = alive(this.#player);
    return player.socket.request({ kind: 'sponsorBlockCategories', guildId: player.guildId });
  }

  /** Sets the categories to skip (an empty list: none). The node then sends segment and chapter events. */
  async setCategories(categories: readonly SponsorBlockCategory[]): Promise<void> {
    const player = alive(this.#player);
    const expected = `a list of categories (${SPONSORBLOCK_CATEGORIES.join(', ')})`;
    const list = readArgument('categories', expected, () => (Array.isArray(categories) ? [...(categories as unknown[])] : null));
    if (list === null || !list.every((c) => SPONSORBLOCK_CATEGORIES.includes(c as SponsorBlockCategory))) throw new InvalidOptionError('categories', expected, categories);
    const unique = [...new Set(list as string[])];
    await player.socket.request({ kind: 'setSponsorBlockCategories', guildId: player.guildId, categories: unique });
    remember(player, { categories: unique });
  }

  /** Skips nothing any more. */
  clear(): Promise<void> {
    return this.setCategories([]);
  }
}

/** LavaLyrics for one player: the lyrics of its track, and live lines as it plays. */
export class PlayerLyrics {
  readonly #player: Player;

  constructor(player: Player) {
    this.#player = player;
  }

  /** The lyrics of the current track; null when there are none. */
  async current(options?: LyricsOptions | null): Promise<Lyrics | null> {
    const player = alive(this.#player);
    return player.socket.request({ kind: 'lyrics', guildId: player.guildId, track: null, skipTrackSource: readSkipTrackSource(options) });
  }

  /**
   * Live lyrics: from now on, for this track and each one after it, the player emits `pluginEvent`
   * with `LyricsFoundEvent` or `LyricsNotFoundEvent`, then a `LyricsLineEvent` as each line comes.
   */
  async subscribe(options?: LyricsOptions | null): Promise<void> {
    const player = alive(this.#player);
    const skipTrackSource = readSkipTrackSource(options);
    await player.socket.request({ kind: 'lyricsSubscription', guildId: player.guildId, subscribe: true, skipTrackSource });
    remember(player, { lyrics: { skipTrackSource } });
  }

  /** Stops the live lyrics lines this player subscribed to. */
  async unsubscribe(): Promise<void> {
    const player = alive(this.#player);
    await player.socket.request({ kind: 'lyricsSubscription', guildId: player.guildId, subscribe: false, skipTrackSource: false });
    remember(player, { lyrics: undefined });
  }
}

/** What the session store keeps of what the player asked its node to keep; undefined for nothing. */
export function pluginsSnapshot(player: Player): StoredPlugins | undefined {
  const kept = asked.get(player);
  const categories = kept?.categories ?? [];
  if (!kept || (categories.length === 0 && !kept.lyrics)) return undefined;
  return { ...(categories.length > 0 && { sponsorBlock: [...categories] }), ...(kept.lyrics && { lyrics: { skipTrackSource: kept.lyrics.skipTrackSource } }) };
}

/**
 * Takes back what a stored player had asked its node to keep (asked for again if it is restored
 * on a node). Read as untrusted: a store may hold anything; what cannot be read is left out.
 */
export function adoptPlugins(player: Player, stored: unknown): void {
  if (typeof stored !== 'object' || stored === null) return;
  const { sponsorBlock, lyrics } = stored as { sponsorBlock?: unknown; lyrics?: unknown };
  const categories = Array.isArray(sponsorBlock) ? sponsorBlock.filter((c): c is string => SPONSORBLOCK_CATEGORIES.includes(c as SponsorBlockCategory)) : [];
  const skipTrackSource = typeof lyrics === 'object' && lyrics !== null ? (lyrics as { skipTrackSource?: unknown }).skipTrackSource : undefined;
  const kept: Kept = { ...(categories.length > 0 && { categories }), ...(typeof skipTrackSource === 'boolean' && { lyrics: { skipTrackSource } }) };
  if (kept.categories || kept.lyrics) asked.set(player, kept);
}

/**
 * Asks the player's (new) node again for what the player had asked its old one to keep; null when
 * there is nothing to ask (most players: then the restore does not wait even a tick).
 */
export function restorePlugins(player: Player): Promise<void> | null {
  const kept = asked.get(player);
  const categories = kept?.categories ?? [];
  if (!kept || player.destroyed || (categories.length === 0 && !kept.lyrics)) return null;
  const { guildId, socket } = player;
  return (async () => {
    if (categories.length > 0) await socket.request({ kind: 'setSponsorBlockCategories', guildId, categories });
    if (kept.lyrics) await socket.request({ kind: 'lyricsSubscription', guildId, subscribe: true, skipTrackSource: kept.lyrics.skipTrackSource });
  })();
}
