/**
 * A player's queue: the track playing, what comes next, what played before, and how it loops.
 * Pure data with no sockets or events, so it can be kept in a session store and rebuilt after a
 * restart (the snapshot is encoded tracks and their userData). The player's side (playing, advancing
 * on `trackEnd`, `autoplay`, `queueEnd`) is queue/player-queue.ts.
 */
import type { Track } from '../protocol/rest.js';

/** `track` plays the current track again; `queue` puts each finished track at the end. */
export type LoopMode = 'off' | 'track' | 'queue';

/** What a store keeps of a track: what the node needs to play it, and what the bot attached. */
export interface StoredTrack {
  /** The encoded track. */
  readonly encoded: string;
  /** The track's `userData` (who asked for it...), when it has any. */
  readonly userData?: Readonly<Record<string, unknown>>;
}

/** What a store keeps of a queue. */
export interface QueueSnapshot {
  /** The track playing or paused; null when none. */
  readonly current: StoredTrack | null;
  /** The tracks to come, next first. */
  readonly upcoming: readonly StoredTrack[];
  /** The tracks that played, most recent last (at most 50). */
  readonly history: readonly StoredTrack[];
  /** The loop mode. */
  readonly loop: LoopMode;
}

/** How many finished tracks `previous()` can go back through. */
export const HISTORY_LIMIT = 50;

export class Queue {
  /** The track playing (or about to), null when nothing is. */
  current: Track | null = null;
  /** Tracks to come, next first. */
  readonly upcoming: Track[] = [];
  /** Tracks that played, most recent last; at most HISTORY_LIMIT. */
  readonly history: Track[] = [];
  loop: LoopMode = 'off';

  get size(): number {
    return this.upcoming.length;
  }

  /** Adds tracks before `position` of the upcoming ones (default: at the end); answers the new size. */
  add(tracks: Track | readonly Track[], position = this.upcoming.length): number {
    const list = Array.isArray(tracks) ? (tracks as readonly Track[]) : [tracks as Track];
    const at = Math.max(0, Math.min(Math.trunc(position), this.upcoming.length));
    this.upcoming.splice(at, 0, ...list);
    return this.upcoming.length;
  }

  /** Takes the upcoming track at `index` out; undefined when there is none there. */
  remove(index: number): Track | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.upcoming.length) return undefined;
    return this.upcoming.splice(index, 1)[0];
  }

  /** Empties the upcoming tracks (the current one and the history stay). */
  clear(): void {
    this.upcoming.length = 0;
  }

  /** Shuffles the upcoming tracks (Fisher–Yates); `random` answers [0, 1). */
  shuffle(random: () => number = Math.random): void {
    const list = this.upcoming;
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
  }

  /**
   * The current track ended (finished, or `failed` to load): answers the one to play now, by the
   * loop mode, or null when the queue ran dry (then nothing is current). A track that failed is
   * not played again by a loop: looping it would fail forever.
   */
  next(failed = false): Track | null {
    const ended = this.current;
    if (ended && this.loop === 'track' && !failed) return ended;
    if (ended) {
      this.#remember(ended);
      if (this.loop === 'queue' && !failed) this.upcoming.push(ended);
    }
    this.current = this.upcoming.shift() ?? null;
    return this.current;
  }

  /** The current track was stopped: it goes to the history, and nothing is current. */
  end(): void {
    if (this.current) this.#remember(this.current);
    this.current = null;
  }

  /**
   * Skips to the `count`th upcoming track (1: the next), whatever the loop mode; the skipped ones
   * go to the history (and, looping the queue, to the end). Null when there are fewer than `count`.
   */
  skip(count = 1): Track | null {
    if (!Number.isInteger(count) || count < 1 || count > this.upcoming.length) return null;
    const skipped = this.upcoming.splice(0, count - 1);
    const ended = this.current;
    const gone = ended ? [ended, ...skipped] : skipped;
    for (const track of gone) this.#remember(track);
    if (this.loop === 'queue') this.upcoming.push(...gone);
    this.current = this.upcoming.shift() ?? null;
    return this.current;
  }

  /**
   * Goes back one track: the last one in the history plays, the current one comes next. Null when
   * there is none. Looping the queue, the track going back was put at the end again when it ended:
   * it moves from there instead of playing twice.
   */
  previous(): Track | null {
    const back = this.history.pop();
    if (!back) return null;
    if (this.current === back) return back;
    if (this.loop === 'queue') {
      const copy = this.upcoming.lastIndexOf(back);
      if (copy !== -1) this.upcoming.splice(copy, 1);
    }
    if (this.current) this.upcoming.unshift(this.current);
    this.current = back;
    return back;
  }

  snapshot(): QueueSnapshot {
    return {
      current: this.current && stored(this.current),
      upcoming: this.upcoming.map(stored),
      history: this.history.map(stored),
      loop: this.loop,
    };
  }

  /** A queue from a snapshot; `decode` answers the Track of a stored one (null drops it). */
  static from(snapshot: QueueSnapshot, decode: (track: StoredTrack) => Track | null): Queue {
    const queue = new Queue();
    const tracks = (list: readonly StoredTrack[]): Track[] => list.map(decode).filter((t): t is Track => t !== null);
    queue.current = snapshot.current === null ? null : decode(snapshot.current);
    queue.upcoming.push(...tracks(snapshot.upcoming));
    queue.history.push(...tracks(snapshot.history).slice(-HISTORY_LIMIT));
    queue.loop = snapshot.loop;
    return queue;
  }

  #remember(track: Track): void {
    this.history.push(track);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
  }
}

function stored(track: Track): StoredTrack {
  return track.userData && Object.keys(track.userData).length > 0 ? { encoded: track.encoded, userData: track.userData } : { encoded: track.encoded };
}
