/**
 * What a player is: its track, where in it, and the fields the bot sets (paused, volume,
 * filters: as asked from the moment it asks, see field-edits.ts). Kept whole enough to rebuild
 * the player on another node, and changed by the node's events through {@link PlayerModel.apply},
 * which answers what to tell the bot. No sockets, no emitters: unit-testable alone.
 */
import { neverApplied } from '../errors.js';
import { FieldEdits } from '../field-edits.js';
import type { Filters } from '../protocol/filters.js';
import type { PlayerEvent, PlayerState as NodePlayerState, TrackEndReason, TrackExceptionInfo } from '../protocol/node-events.js';
import type { PluginEvent } from '../protocol/plugin-events.js';
import type { Track } from '../protocol/rest.js';
import { sameTrack } from '../protocol/track-codec.js';

/** What a node event tells the bot (the player's event, minus the player). */
export type Announcement =
  | { readonly name: 'playerUpdate'; readonly state: NodePlayerState }
  | { readonly name: 'trackStart'; readonly track: Track }
  | { readonly name: 'trackEnd'; readonly track: Track | null; readonly reason: TrackEndReason; readonly mayStartNext: boolean }
  | { readonly name: 'trackException'; readonly track: Track | null; readonly exception: TrackExceptionInfo }
  | { readonly name: 'trackStuck'; readonly track: Track | null; readonly thresholdMs: number }
  | { readonly name: 'voiceClosed'; readonly code: number; readonly reason: string; readonly byRemote: boolean }
  | { readonly name: 'pluginEvent'; readonly event: PluginEvent };

/**
 * What the node last said of a player between events: whether its voice connection to Discord is
 * up, its latency in ms (-1 when not connected), and the position it reported, in ms, and when
 * (performance.now(); 0: never). Every update of the flood writes these, so a player keeps them
 * on the Player itself (player.ts `updatePlayer`; driver.ts PlayerCore overrides the members that
 * reach them): the one object the bot's `playerUpdate` listener reads anyway. Kept on the player's
 * model instead, they were one more object to bring into the cache per update: the main thread
 * spent ~20% more CPU per update at 50k updates/s than 6cf96e9 (bench flood, side by side; the
 * same updates written to the Player measured level with it). A model made alone keeps its own.
 */
export interface LiveState {
  connected: boolean;
  ping: number;
  position: number;
  positionAt: number;
}

/** A player's state as a session store keeps it, or as a resumed node reports it. */
export interface AdoptedTrackState {
  track: Track | null;
  position: number;
  paused: boolean;
  volume: number;
  filters: Filters;
}

export class PlayerModel {
  /** The current track (decoded), or null. */
  track: Track | null = null;
  readonly paused = new FieldEdits(false);
  readonly volume = new FieldEdits(100);
  readonly filters = new FieldEdits<Filters>({});
  /** Plays asked for so far: a refused play puts the track back only if no later one was asked. */
  plays = 0;
  /** Where the track asked for (play, restore) starts: its start event sets the position to it. */
  startAt: number | null = null;
  /**
   * Whether the bot was told (`trackStart`) that the current track plays. A restore plays the same
   * track on another node or session, and some servers send extra starts on a seek, a filter
   * change or a replace: none of those is a new track to the bot.
   */
  announced = false;
  /** The live fields of a model made alone; a player's model keeps them on the Player (see {@link LiveState}). */
  #own: LiveState | undefined;

  /** Whether the node's voice connection to Discord is up (from its playerUpdates). */
  get connected(): boolean {
    return this.#live().connected;
  }

  set connected(connected: boolean) {
    this.#live().connected = connected;
  }

  /** Latency of the node's voice connection, ms; -1 when not connected. */
  get ping(): number {
    return this.#live().ping;
  }

  set ping(ping: number) {
    this.#live().ping = ping;
  }

  /** Position in the track, ms, moved on from the last update while playing. Never negative. */
  get position(): number {
    if (!this.track) return 0;
    const position = this.reportedPosition();
    const at = this.reportedAt();
    if (this.paused.value || at === 0) return position;
    const live = position + (performance.now() - at);
    const { isStream, length } = this.track.info;
    // A length of -1 (or 0) is unknown (live inputs, some servers' local files): no limit.
    return isStream || !(length > 0) ? live : Math.min(live, length);
  }

  /**
   * The bot asked to play `track`: the state is what it asked for from that moment (a restore or
   * a move while the op is on its way must carry it). Answers how to settle the ask: `applied`
   * false when the node certainly never took it, and then the state goes back to what the node
   * plays, unless a later play was asked meanwhile.
   */
  askPlay(track: Track, startTime: number, paused: boolean, volume: number | undefined): (applied: boolean) => void {
    const previous = { track: this.track, startAt: this.startAt, announced: this.announced, position: this.position };
    const play = ++this.plays;
    this.track = track;
    const edits: [FieldEdits<boolean> | FieldEdits<number>, number][] = [[this.paused, this.paused.ask(paused)]];
    if (volume !== undefined) edits.push([this.volume, this.volume.ask(volume)]);
    this.setPosition(startTime);
    this.startAt = startTime;
    this.announced = false;
    return (applied) => {
      for (const [field, edit] of edits) {
        if (applied) field.took(edit);
        else field.refused(edit);
      }
      if (applied || play !== this.plays) return;
      this.track = previous.track;
      this.startAt = previous.startAt;
      this.announced = previous.announced;
      this.setPosition(previous.position);
    };
  }

  setPosition(position: number, at = performance.now()): void {
    const live = this.#live();
    live.position = position;
    live.positionAt = at;
  }

  /** Position in ms at the node's last word (or the bot's seek, play...), and when ({@link LiveState}). */
  protected reportedPosition(): number {
    return this.#live().position;
  }

  protected reportedAt(): number {
    return this.#live().positionAt;
  }

  #live(): LiveState {
    return (this.#own ??= { connected: false, ping: -1, position: 0, positionAt: 0 });
  }

  /**
   * Settles edit `edit` of `field` (one of this model's) with its command's outcome, and rethrows
   * a failure (see field-edits.ts). `keepsPosition`: a pause taken back leaves the position going
   * on (or standing) from where it reads when it is taken back.
   */
  async settle<T>(field: FieldEdits<T>, edit: number, sent: Promise<void>, keepsPosition = false): Promise<void> {
    try {
      await sent;
    } catch (error) {
      if (!neverApplied(error)) {
        field.took(edit);
        throw error;
      }
      const position = this.position;
      field.refused(edit);
      if (keepsPosition) this.setPosition(position);
      throw error;
    }
    field.took(edit);
  }

  /** Applies a node event; answers what the bot is told (null: nothing). */
  apply(event: PlayerEvent): Announcement | null {
    switch (event.type) {
      case 'playerUpdate': {
        const { state } = event;
        if (typeof state.position === 'number') this.setPosition(Math.max(0, state.position));
        if (typeof state.connected === 'boolean') this.connected = state.connected;
        if (typeof state.ping === 'number') this.ping = state.ping;
        return { name: 'playerUpdate', state };
      }
      case 'trackStart':
        return this.#started(event.track ?? this.track);
      case 'trackEnd': {
        const track = event.track ?? this.track;
        // While a start the bot or a restore asked for is on its way, an end that is not the
        // asked track failing to load is of what played before the ask: a destroy sent to this
        // node when the player left it, arriving after the player came back (the chaos suite
        // caught one), or a track that finished as the bot replaced it. Nothing ends for the bot.
        if (this.startAt !== null && event.reason !== 'loadFailed' && event.reason !== 'replaced') return null;
        // A replaced track's end arrives after the new one was asked for: the player already
        // holds the new one, which may be the same track again (a restore, a replay).
        if (event.reason !== 'replaced') this.clearTrack();
        return { name: 'trackEnd', track, reason: event.reason, mayStartNext: event.reason === 'finished' || event.reason === 'loadFailed' };
      }
      case 'trackException':
        return { name: 'trackException', track: event.track ?? this.track, exception: event.exception };
      case 'trackStuck':
        return { name: 'trackStuck', track: event.track ?? this.track, thresholdMs: event.thresholdMs };
      case 'voiceClosed':
        this.connected = false;
        return { name: 'voiceClosed', code: event.code, reason: event.reason, byRemote: event.byRemote };
      case 'plugin':
        return { name: 'pluginEvent', event: event.event };
    }
  }

  /** Nothing plays any more. */
  clearTrack(): void {
    this.track = null;
    this.setPosition(0);
    this.startAt = null;
    this.announced = false;
  }

  /** Takes over a track state from a snapshot or a resumed node: its start there is not news. */
  adoptTrack(state: AdoptedTrackState): void {
    this.track = state.track;
    this.paused.reset(state.paused);
    this.volume.reset(state.volume);
    this.filters.reset(state.filters);
    this.setPosition(Math.max(0, state.position));
    this.announced = state.track !== null;
  }

  #started(track: Track | null): Announcement | null {
    if (!track) return null;
    // While a start is on its way, another track's start is of one asked before it: a restore's
    // replay arriving after the bot's next play (a failover, then a skip), or a track the bot
    // replaced at once. The asked one starts next; the old one is not news (nor the player's track).
    if (this.startAt !== null && this.track !== null && !sameTrack(this.track.encoded, track.encoded)) return null;
    if (this.track === null || !sameTrack(this.track.encoded, track.encoded)) {
      // A track the bot did not ask for here (a plugin's autoplay, another client).
      this.track = track;
      this.setPosition(0);
      this.announced = false;
    } else if (this.startAt !== null) {
      // Where the asked-for start put it; servers that send playerUpdate only on their interval
      // would leave a reset position wrong for seconds.
      this.setPosition(this.startAt);
    }
    this.startAt = null;
    if (this.announced) return null;
    this.announced = true;
    return { name: 'trackStart', track };
  }
}
