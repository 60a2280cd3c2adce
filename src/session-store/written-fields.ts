/**
 * What a store last got, field by field, and what a new snapshot changes of it: the Redis store
 * writes only those fields, and the session keeper writes no store at all when nothing changed
 * but the clock (manager/session-keeper.ts). A playing player's position moves every second without anything
 * else changing, so it is kept as an anchor (when its track started, by the writer's clock) and
 * rewritten only when that moves (a seek, a stall); a reader moves the position on to the
 * snapshot's time itself.
 */
import type { SessionSnapshot, StoredPlayer, StoredSession } from './session-store.js';
import type { QueueSnapshot } from '../queue/queue.js';

/** How far a playing player's anchor may drift (playerUpdates are interpolated) before it is rewritten. */
const ANCHOR_SLACK_MS = 250;

/** A player as stored in Redis: its snapshot minus the queue, plus when its position was read. */
export type StoredPlayerField = Omit<StoredPlayer, 'queue'> & { readonly at: number };

interface WrittenPlayer {
  readonly socketId: string;
  readonly channel: string | null;
  readonly voice: StoredPlayer['voice'];
  readonly track: string | null;
  readonly paused: boolean;
  readonly volume: number;
  /** The filters' JSON. */
  readonly filters: string;
  /** The plugins' JSON; null when the player asked its node's plugins for nothing. */
  readonly plugins: string | null;
  /** Playing: when the track started (at − position); paused or idle: null. */
  readonly anchor: number | null;
  readonly position: number;
  /** When it was written (the snapshot's time). */
  readonly at: number;
  /** The last changes() that saw this guild in its snapshot (what is not seen is deleted). */
  seen: number;
}

/** Fields to set and to delete in one hash. */
export interface HashChanges {
  readonly set: (readonly [field: string, value: string])[];
  readonly del: string[];
}

export interface FieldChanges {
  readonly savedAt: number;
  readonly sessions: HashChanges;
  readonly players: HashChanges;
  readonly queues: HashChanges;
  /** What the changed fields are once written (the baseline's new entries). */
  readonly written: { readonly sessions: Map<string, string>; readonly players: Map<string, WrittenPlayer>; readonly queues: Map<string, string> };
}

/** Filters objects are kept by the player until they change: their JSON is made once per object. */
const filtersJson = new WeakMap<object, string>();

function jsonOf(filters: Record<string, unknown>): string {
  let json = filtersJson.get(filters);
  if (json === undefined) {
    json = JSON.stringify(filters);
    filtersJson.set(filters, json);
  }
  return json;
}

/** Few players ask a plugin for anything: for the rest this is one property read. */
function pluginsJson(p: StoredPlayer): string | null {
  return p.plugins === undefined ? null : JSON.stringify(p.plugins);
}

function anchorOf(p: StoredPlayer, at: number): number | null {
  return p.track !== null && !p.paused ? at - p.position : null;
}

function written(p: StoredPlayer, at: number, seen: number): WrittenPlayer {
  const { socketId, channel, voice, track, paused, volume, position } = p;
  return { socketId, channel, voice, track, paused, volume, filters: jsonOf(p.filters), plugins: pluginsJson(p), anchor: anchorOf(p, at), position, at, seen };
}

/**
 * Field by field, without building anything: this runs for every player every second. Strings
 * that did not change are mostly the very same strings (the player keeps them), so most of
 * these are pointer comparisons.
 */
function unchanged(w: WrittenPlayer, p: StoredPlayer, at: number, clockOnlyMs: number): boolean {
  if (w.track !== p.track || w.paused !== p.paused || w.volume !== p.volume || w.socketId !== p.socketId || w.channel !== p.channel) return false;
  const [a, b] = [w.voice, p.voice];
  if (a !== b && (a === null || b === null || a.sessionId !== b.sessionId || a.token !== b.token || a.endpoint !== b.endpoint)) return false;
  if (w.filters !== jsonOf(p.filters) || w.plugins !== pluginsJson(p)) return false;
  const anchor = anchorOf(p, at);
  if (anchor === null || w.anchor === null) return anchor === w.anchor && w.position === p.position;
  return Math.abs(anchor - w.anchor) <= ANCHOR_SLACK_MS && at - w.at < clockOnlyMs;
}

export class WrittenFields {
  /**
   * How long a playing player whose position only moved on with the clock may go unwritten (ms).
   * A reader that cannot move it on to the moment it reads (a store written only on changes
   * keeps no such moment) restores from the written position. @default Infinity
   */
  readonly #clockOnlyMs: number;
  #sessions = new Map<string, string>();
  #players = new Map<string, WrittenPlayer>();
  #queues = new Map<string, string>();
  #generation = 0;

  constructor(options: { readonly clockOnlyMs?: number } = {}) {
    this.#clockOnlyMs = options.clockOnlyMs ?? Infinity;
  }

  /** Forgets what was written: the next changes are everything (Redis lost its data). */
  reset(): void {
    this.#sessions = new Map();
    this.#players = new Map();
    this.#queues = new Map();
  }

  /** What the snapshot changes since the last commit; null when nothing. */
  changes(snapshot: SessionSnapshot): FieldChanges | null {
    const at = snapshot.savedAt;
    const seen = ++this.#generation;
    const next: FieldChanges['written'] = { sessions: new Map(), players: new Map(), queues: new Map() };
    const sessionChanges: HashChanges = { set: [], del: [] };
    const sessionIds = new Set<string>();
    for (const s of snapshot.sessions) {
      const json = JSON.stringify(s);
      sessionIds.add(s.socketId);
      if (this.#sessions.get(s.socketId) === json) continue;
      sessionChanges.set.push([s.socketId, json]);
      next.sessions.set(s.socketId, json);
    }
    const playerChanges: HashChanges = { set: [], del: [] };
    const queueChanges: HashChanges = { set: [], del: [] };
    const queued = new Set<string>();
    for (const p of snapshot.players) {
      const before = this.#players.get(p.guildId);
      if (before && unchanged(before, p, at, this.#clockOnlyMs)) before.seen = seen;
      else {
        next.players.set(p.guildId, written(p, at, seen));
        if (before) before.seen = seen;
        const { guildId, socketId, channel, voice, track, position, paused, volume, filters, plugins } = p;
        const field: StoredPlayerField = { guildId, socketId, channel, voice, track, position, paused, volume, filters, ...(plugins && { plugins }), at };
        playerChanges.set.push([guildId, JSON.stringify(field)]);
      }
      if (p.queue === undefined) continue;
      // A queue's snapshot is a new object each time: compared by its JSON (only players that use a queue pay).
      const json = JSON.stringify(p.queue);
      queued.add(p.guildId);
      if (this.#queues.get(p.guildId) === json) continue;
      queueChanges.set.push([p.guildId, json]);
      next.queues.set(p.guildId, json);
    }
    for (const id of this.#sessions.keys()) if (!sessionIds.has(id)) sessionChanges.del.push(id);
    for (const [guildId, w] of this.#players) if (w.seen !== seen) playerChanges.del.push(guildId);
    for (const guildId of this.#queues.keys()) if (!queued.has(guildId)) queueChanges.del.push(guildId);
    const count = [sessionChanges, playerChanges, queueChanges].reduce((n, c) => n + c.set.length + c.del.length, 0);
    if (count === 0) return null;
    return { savedAt: at, sessions: sessionChanges, players: playerChanges, queues: queueChanges, written: next };
  }

  /** The changes are in Redis: they are the baseline now. */
  commit(changes: FieldChanges): void {
    const apply = <T>(baseline: Map<string, T>, written: Map<string, T>, hash: HashChanges): void => {
      for (const [field, value] of written) baseline.set(field, value);
      for (const field of hash.del) baseline.delete(field);
    };
    apply(this.#sessions, changes.written.sessions, changes.sessions);
    apply(this.#players, changes.written.players, changes.players);
    apply(this.#queues, changes.written.queues, changes.queues);
  }

  /**
   * Reads what Redis holds (hash contents as strings) into a snapshot, and takes it as the
   * baseline. Fields that cannot be read are left out (and deleted by the next write).
   */
  read(meta: Record<string, string>, hashes: { sessions: Record<string, string>; players: Record<string, string>; queues: Record<string, string> }): SessionSnapshot | null {
    const savedAt = Number(meta.savedAt);
    if (meta.format !== '1' || !Number.isFinite(savedAt)) return null;
    const sessions: StoredSession[] = [];
    for (const [socketId, json] of Object.entries(hashes.sessions)) {
      const s = parse<StoredSession>(json);
      this.#sessions.set(socketId, json);
      if (s && s.socketId === socketId && typeof s.resumeKey === 'string') sessions.push(s);
    }
    const players: StoredPlayer[] = [];
    for (const [guildId, json] of Object.entries(hashes.players)) {
      const stored = parse<StoredPlayerField>(json);
      if (!stored || stored.guildId !== guildId || typeof stored.position !== 'number' || typeof stored.at !== 'number') {
        this.#players.set(guildId, unreadable());
        continue;
      }
      const { at, ...fields } = stored;
      const playing = fields.track !== null && !fields.paused;
      const queueJson = hashes.queues[guildId];
      const queue = queueJson === undefined ? undefined : parse<QueueSnapshot>(queueJson);
      players.push({ ...fields, position: playing ? fields.position + Math.max(0, savedAt - at) : fields.position, ...(queue && { queue }) });
      this.#players.set(guildId, written({ ...fields, filters: fields.filters ?? {} }, at, 0));
      if (queueJson !== undefined) this.#queues.set(guildId, queueJson);
    }
    // Queues without a readable player are in the baseline too: the next write deletes them.
    for (const [guildId, json] of Object.entries(hashes.queues)) if (!this.#queues.has(guildId)) this.#queues.set(guildId, json);
    return { format: 1, savedAt, sessions, players };
  }
}

/** A field that could not be read: unlike anything a player writes, so it is replaced or deleted. */
function unreadable(): WrittenPlayer {
  return { socketId: '\u0001unreadable', channel: null, voice: null, track: null, paused: false, volume: -1, filters: '', plugins: null, anchor: null, position: -1, at: 0, seen: 0 };
}

function parse<T>(json: string): T | null {
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : null;
  } catch {
    return null;
  }
}
