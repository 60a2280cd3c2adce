/**
 * A player's queue as the bot uses it (`player.queue`), made on first use: a bot that never
 * touches it plays exactly as before. It plays the next track when one ends with `mayStartNext`
 * (finished, failed to load), never because of a restore or a move (those replay the same track);
 * asks the manager's `autoplay` hook once each time it runs dry; and tells the bot `queueEnd` when
 * nothing more comes. The session store keeps it with its player (player/driver.ts snapshot/adopt).
 */
import { InvalidOptionError, readArgument } from '../errors.js';
import type { Player } from '../player.js';
import { jsonData } from '../protocol/json-data.js';
import { trackFromEncoded } from '../protocol/read-event.js';
import { sameTrack } from '../protocol/track-codec.js';
import type { TrackEndReason } from '../protocol/node-events.js';
import type { Track } from '../protocol/rest.js';
import { Queue, type LoopMode, type QueueSnapshot, type StoredTrack } from './queue.js';

export type { LoopMode, QueueSnapshot, StoredTrack } from './queue.js';

/** What `add()` and the `autoplay` hook take: Tracks (from `load`/`search`) or encoded tracks. */
export type QueueInput = Track | string | readonly (Track | string)[];

const LOOP_MODES: readonly LoopMode[] = ['off', 'track', 'queue'];

/** The queues made so far: a player that never used one has none (and pays nothing). */
const queues = new WeakMap<Player, PlayerQueue>();

/**
 * A player's queue, `player.queue`: made on first use, it plays the next track by itself when one ends with `mayStartNext`, asks the manager's `autoplay` hook when it runs dry, and emits `queueEnd` when nothing more comes. With a session store it survives a restart.
 *
 * @example
 * ```ts
 * const result = await manager.search('lofi');
 * if (result.loadType === 'search') player.queue.add(result.tracks);
 * await player.queue.start();   // plays the first unless something plays already
 * await player.queue.skip();    // the next one now
 * player.queue.loop = 'queue';  // 'off' | 'track' | 'queue'
 * manager.on('queueEnd', (player) => announce(player.guildId, 'The queue is over.'));
 * ```
 */
export class PlayerQueue {
  /** The player this queue belongs to. */
  readonly player: Player;
  #queue: Queue;
  /** The autoplay hook is being asked. */
  #asking = false;

  /** @internal Made by `player.queue`. */
  constructor(player: Player, queue = new Queue()) {
    this.player = player;
    this.#queue = queue;
  }

  /** The queue's track playing (or about to), null when none is. */
  get current(): Track | null {
    return this.#queue.current;
  }

  /** The tracks to come, next first (a live view: change it through the methods). */
  get tracks(): readonly Track[] {
    return this.#queue.upcoming;
  }

  /** Tracks that played, most recent last (at most 50). */
  get history(): readonly Track[] {
    return this.#queue.history;
  }

  /** How many tracks are to come. */
  get size(): number {
    return this.#queue.size;
  }

  /** `off`; `track` plays the current track again; `queue` puts each finished track at the end. */
  get loop(): LoopMode {
    return this.#queue.loop;
  }

  /** Throws `InvalidOptionError` for anything but `off`, `track` or `queue`. */
  set loop(mode: LoopMode) {
    if (!LOOP_MODES.includes(mode)) throw new InvalidOptionError('loop', "'off', 'track' or 'queue'", mode);
    this.#queue.loop = mode;
  }

  /**
   * Adds tracks before `position` of the upcoming ones (default: at the end); answers how many are
   * to come. Nothing starts playing: `start()` does that.
   */
  add(tracks: QueueInput, position?: number): number {
    const list = readTracks(tracks, 'tracks');
    if (position !== undefined && !Number.isSafeInteger(position)) throw new InvalidOptionError('position', 'a whole number', position);
    return this.#queue.add(list, position);
  }

  /** Takes out the upcoming track at `index` (0: the next); undefined when there is none. */
  remove(index: number): Track | undefined {
    return this.#queue.remove(index);
  }

  /** Empties the upcoming tracks; the current one plays on. */
  clear(): void {
    this.#queue.clear();
  }

  /** Shuffles the upcoming tracks; the current one plays on. */
  shuffle(): void {
    this.#queue.shuffle();
  }

  /**
   * Plays the queue when the player plays nothing: its current track (from its start), else the
   * next one. Answers the queue's track, null when it has none. While something plays, changes nothing.
   */
  async start(): Promise<Track | null> {
    if (this.player.track !== null) return this.#queue.current;
    const track = this.#queue.current ?? this.#queue.next();
    if (track) await this.#play(track);
    return track;
  }

  /**
   * Plays the `count`th upcoming track (1: the next), whatever the loop mode; the skipped ones go to
   * the history. Rejects `LAVALINK_INVALID_OPTION` when fewer are to come (`player.stop()` ends the
   * music).
   */
  async skip(count = 1): Promise<Track> {
    if (!Number.isSafeInteger(count) || count < 1 || count > this.#queue.size) {
      throw new InvalidOptionError('count', `a whole number from 1 to the ${this.#queue.size} upcoming tracks`, count);
    }
    const track = this.#queue.skip(count)!;
    await this.#play(track);
    return track;
  }

  /** Plays the last track of the history again (the current one comes next); null when there is none. */
  async previous(): Promise<Track | null> {
    const track = this.#queue.previous();
    if (track) await this.#play(track);
    return track;
  }

  /** What the session store keeps. */
  snapshot(): QueueSnapshot {
    return this.#queue.snapshot();
  }

  /** A short summary for logs: titles of the current and upcoming tracks, the history's length, the loop mode. */
  toJSON(): Record<string, unknown> {
    const title = (t: Track | null): string | null => t && (t.info.title || t.encoded.slice(0, 16));
    return { current: title(this.current), upcoming: this.tracks.map(title), history: this.history.length, loop: this.loop };
  }

  /**
   * The player's track ended: when it was the queue's own, the next one plays, or the queue ran
   * dry. A track the bot played itself moves nothing (the queue waits for `start()`).
   */
  async ended(track: Track | null, reason: TrackEndReason, mayStartNext: boolean): Promise<void> {
    const current = this.#queue.current;
    if (!current || !track || !sameTrack(current.encoded, track.encoded)) return;
    if (!mayStartNext) {
      if (reason === 'stopped') this.#queue.end();
      return;
    }
    const next = this.#queue.next(reason === 'loadFailed');
    if (next) return this.#playOn(next);
    await this.#ranDry(track);
  }

  /** Nothing more to play: the autoplay hook may bring more, else the bot hears `queueEnd`. */
  async #ranDry(last: Track | null): Promise<void> {
    const { player } = this;
    const autoplay = player.manager.options.autoplay;
    if (autoplay) {
      // One question at a time: a dry run while the hook is still being asked leaves it to that answer.
      if (this.#asking) return;
      this.#asking = true;
      try {
        const more = readTracks((await autoplay(player, last)) ?? [], 'the autoplay hook\'s answer');
        if (player.destroyed) return;
        this.#queue.add(more);
      } catch (error) {
        this.#tell('queueError', error);
      } finally {
        this.#asking = false;
      }
      // The bot may have started something itself meanwhile: what the hook brought then waits.
      if (this.#queue.size > 0 && this.#queue.current === null && player.track === null) return this.#playOn(this.#queue.next()!);
      if (this.#queue.size > 0 || player.track !== null) return;
    }
    if (!player.destroyed) this.#tell('queueEnd', last);
  }

  /** Plays on without the bot asking: a failure is told as `queueError`, never thrown at nobody. */
  async #playOn(track: Track): Promise<void> {
    try {
      await this.#play(track);
    } catch (error) {
      this.#tell('queueError', error);
    }
  }

  #play(track: Track): Promise<void> {
    const userData = track.userData;
    return this.player.play(track, userData && Object.keys(userData).length > 0 ? { userData } : undefined);
  }

  #tell(name: 'queueEnd', track: Track | null): void;
  #tell(name: 'queueError', error: unknown): void;
  #tell(name: 'queueEnd' | 'queueError', value: unknown): void {
    const { player } = this;
    if (player.destroyed) return;
    if (name === 'queueEnd') {
      player.emit('queueEnd', player, value as Track | null);
      player.manager.emit('queueEnd', player, value as Track | null);
    } else {
      player.emit('queueError', player, value);
      player.manager.emit('queueError', player, value);
    }
  }
}

/** The player's queue, made on first use. */
export function queueOf(player: Player): PlayerQueue {
  let queue = queues.get(player);
  if (!queue) queues.set(player, (queue = new PlayerQueue(player)));
  return queue;
}

/** A track of the player ended: its queue, if it has one, moves on. */
export function queueTrackEnded(player: Player, track: Track | null, reason: TrackEndReason, mayStartNext: boolean): void {
  queues
    .get(player)
    ?.ended(track, reason, mayStartNext)
    .catch((error: unknown) => {
      // A throwing queueEnd or queueError listener: it surfaces as listeners' errors do, not as an unhandled rejection.
      queueMicrotask(() => {
        throw error;
      });
    });
}

/** What the session store keeps of the player's queue; undefined when it never had one. */
export function queueSnapshot(player: Player): QueueSnapshot | undefined {
  return queues.get(player)?.snapshot();
}

/** Rebuilds a player's queue from the session store (a snapshot it wrote, or damaged by hand: what cannot be read is left out). */
export function restoreQueue(player: Player, snapshot: unknown): void {
  if (typeof snapshot !== 'object' || snapshot === null) return;
  const s = snapshot as Partial<Record<keyof QueueSnapshot, unknown>>;
  const list = (value: unknown): StoredTrack[] => (Array.isArray(value) ? (value as StoredTrack[]) : []);
  const loop = LOOP_MODES.includes(s.loop as LoopMode) ? (s.loop as LoopMode) : 'off';
  const stored: QueueSnapshot = { current: (s.current as StoredTrack | null) ?? null, upcoming: list(s.upcoming), history: list(s.history), loop };
  queues.set(player, new PlayerQueue(player, Queue.from(stored, storedTrack)));
}

function storedTrack(stored: StoredTrack): Track | null {
  if (typeof stored !== 'object' || stored === null || typeof stored.encoded !== 'string') return null;
  const track = trackFromEncoded(stored.encoded);
  const userData = stored.userData;
  if (track && typeof userData === 'object' && userData !== null && !Array.isArray(userData)) track.userData = userData as Track['userData'];
  return track;
}

/** Tracks as the bot gave them: Track objects kept as they are, encoded strings decoded. */
function readTracks(input: unknown, name: string): Track[] {
  const list = readArgument(name, 'a Track, an encoded track, or an array of them', () => (Array.isArray(input) ? [...(input as unknown[])] : [input]));
  return list.map((item, i) => {
    const where = Array.isArray(input) ? `${name}[${i}]` : name;
    if (typeof item === 'string' && item !== '') return trackFromEncoded(item)!;
    const track = readArgument(where, 'a Track or an encoded track', () => {
      const t = item as Partial<Track> | null;
      return typeof t === 'object' && t !== null && typeof t.encoded === 'string' && t.encoded !== '' && typeof t.info === 'object' && t.info !== null ? (t as Track) : null;
    });
    if (!track) throw new InvalidOptionError(where, 'a Track or an encoded track', item);
    // A track's userData is sent to the node and kept in the session store: it must be JSON.
    if (track.userData !== undefined) jsonData(track.userData, `${where}.userData`);
    return track;
  });
}
