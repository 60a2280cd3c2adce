/**
 * LavaLyrics (topi314/LavaLyrics 1.x) as the simulator serves it: made-up timed lyrics for any
 * track of known length, and live lyrics for the players of a subscribed guild (found or not found
 * at each track start, then one event per line as playback reaches it).
 */
import type { SimSession } from './session.js';
import type { SimPlayer } from './sim-player.js';
import type { SimTrack } from './types.js';

export interface LyricsLine {
  readonly timestamp: number;
  readonly duration: number;
  readonly line: string;
  readonly plugin: Record<string, never>;
}

/** LavaLyrics' Lyrics object. */
export interface Lyrics {
  readonly sourceName: string;
  readonly provider: string;
  readonly text: string;
  readonly lines: readonly LyricsLine[];
  readonly plugin: Record<string, never>;
}

/**
 * Four lines at each quarter of the track, `Line <n> of <title>`; none for a stream, a track of
 * unknown length, or one whose title says it is instrumental (so tests can ask for "not found").
 */
export function lyricsOf(track: SimTrack): Lyrics | null {
  const { length, isStream, title, sourceName } = track.info;
  if (isStream || !(length > 0) || /instrumental/i.test(title)) return null;
  const quarter = Math.floor(length / 4);
  const lines = [0, 1, 2, 3].map((i) => ({ timestamp: Math.floor((i * length) / 4), duration: quarter, line: `Line ${i + 1} of ${title}`, plugin: {} }));
  return { sourceName, provider: 'Simulated', text: lines.map((l) => l.line).join('\n'), lines, plugin: {} };
}

export class LavaLyrics {
  /**
   * Subscribed guilds per session, each with a token of its subscription: the line cues of an
   * ended subscription check it and stay quiet, even if the guild subscribes again meanwhile.
   */
  readonly #subscriptions = new WeakMap<SimSession, Map<string, object>>();

  /** Live lyrics from now on; at once for a track already loaded. Subscribing twice changes nothing. */
  subscribe(session: SimSession, guildId: string): void {
    let guilds = this.#subscriptions.get(session);
    if (!guilds) this.#subscriptions.set(session, (guilds = new Map<string, object>()));
    if (guilds.has(guildId)) return;
    const token = {};
    guilds.set(guildId, token);
    const player = session.players.get(guildId);
    if (player?.track) this.#announce(session, player, player.track, token);
  }

  unsubscribe(session: SimSession, guildId: string): void {
    this.#subscriptions.get(session)?.delete(guildId);
  }

  onTrackStart(session: SimSession, player: SimPlayer, track: SimTrack): void {
    const token = this.#subscriptions.get(session)?.get(player.guildId);
    if (token) this.#announce(session, player, track, token);
  }

  #announce(session: SimSession, player: SimPlayer, track: SimTrack, token: object): void {
    const send = (type: string, fields: Record<string, unknown>): void => session.sendPlayerEvent(player.guildId, type, fields);
    const lyrics = lyricsOf(track);
    if (!lyrics) return send('LyricsNotFoundEvent', {});
    send('LyricsFoundEvent', { lyrics });
    lyrics.lines.forEach((line, lineIndex) => {
      player.cue(line.timestamp, () => {
        if (this.#subscriptions.get(session)?.get(player.guildId) === token) send('LyricsLineEvent', { lineIndex, line, skipped: false });
      });
    });
  }
}
