/**
 * SponsorBlock (topi314/SponsorBlock-Plugin 3.x) as the simulator serves it: the categories to
 * skip, kept per session and guild, and for a YouTube track that starts while some are set, one
 * made-up segment and two chapters at fixed points of its length, skipped and announced as
 * playback reaches them. Fixed points let a test know every time in advance.
 */
import type { SimSession } from './session.js';
import type { SimPlayer } from './sim-player.js';
import type { SimTrack } from './types.js';

/** The categories SponsorBlock knows; a PUT with anything else answers 400. */
export const sponsorBlockCategories: readonly string[] = ['sponsor', 'selfpromo', 'interaction', 'intro', 'outro', 'preview', 'music_offtopic', 'filler'];

export class SponsorBlock {
  /** Per session, so they go with it; a guild needs no player to have categories. */
  readonly #categories = new WeakMap<SimSession, Map<string, readonly string[]>>();

  /** The guild's categories; undefined when none were ever set. */
  categories(session: SimSession, guildId: string): readonly string[] | undefined {
    return this.#categories.get(session)?.get(guildId);
  }

  setCategories(session: SimSession, guildId: string, categories: readonly string[]): void {
    let guilds = this.#categories.get(session);
    if (!guilds) this.#categories.set(session, (guilds = new Map<string, readonly string[]>()));
    guilds.set(guildId, [...new Set(categories)]);
  }

  /** Cleared, not forgotten: the guild's categories read back as an empty list. */
  clearCategories(session: SimSession, guildId: string): void {
    this.setCategories(session, guildId, []);
  }

  /**
   * For a YouTube track of known length L: a segment from S = min(1000, L/4) to S + min(1000, L/4),
   * and chapters split at H = L/2 (times in whole ms). Segments and chapters are announced now; the
   * skip (with a seek to the segment's end) and the second chapter wait for playback.
   */
  onTrackStart(session: SimSession, player: SimPlayer, track: SimTrack): void {
    const categories = this.categories(session, player.guildId);
    const length = track.info.length;
    if (!categories?.[0] || track.info.sourceName !== 'youtube' || track.info.isStream || !(length > 0)) return;
    const send = (type: string, fields: Record<string, unknown>): void => session.sendPlayerEvent(player.guildId, type, fields);
    const quarter = Math.floor(length / 4);
    const start = Math.min(1000, quarter);
    const segment = { category: categories[0], start, end: start + Math.min(1000, quarter) };
    const half = Math.floor(length / 2);
    const intro = { name: 'Intro', start: 0, end: half, duration: half };
    const main = { name: 'Main', start: half, end: length, duration: length - half };
    send('SegmentsLoaded', { segments: [segment] });
    send('ChaptersLoaded', { chapters: [intro, main] });
    // A track started past the middle (a PATCH with a position) is in its second chapter already.
    const inMain = player.position >= half;
    send('ChapterStarted', { chapter: inMain ? main : intro });
    player.cue(segment.start, () => {
      send('SegmentSkipped', { segment });
      player.seek(segment.end);
    });
    if (!inMain) player.cue(half, () => send('ChapterStarted', { chapter: main }));
  }
}
