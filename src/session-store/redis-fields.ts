/**
 * What the Redis store last wrote, field by field, and what a new snapshot changes of it: only
 * those fields go to Redis. A playing player's position moves every second without anything
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
  /** Everything but the position, as one comparable string. */
  readonly key: string;
  /** Playing: when the track started (at − position); paused or idle: null. */
  readonly anchor: number | null;
  readonly position: number;
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
  /** The baseline once written. */
  readonly next: { readonly sessions: Map<string, string>; readonly players: Map<string, WrittenPlayer>; readonly queues: Map<string, string> };
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

function written(p: StoredPlayer, at: number): WrittenPlayer {
  const voice = p.voice ? `${p.voice.sessionId}\0${p.voice.token}\0${p.voice.endpoint}` : '';
  const key = `${p.socketId}\0${p.channel ?? ''}\0${voice}\0${p.track ?? ''}\0${p.paused}\0${p.volume}\0${jsonOf(p.filters)}`;
  const playing = p.track !== null && !p.paused;
  return { key, anchor: playing ? at - p.position : null, position: p.position };
}

function unchanged(before: WrittenPlayer | undefined, now: WrittenPlayer): boolean {
  if (!before || before.key !== now.key) return false;
  if (now.anchor === null || before.anchor === null) return now.anchor === before.anchor && now.position === before.position;
  return Math.abs(now.anchor - before.anchor) <= ANCHOR_SLACK_MS;
}

export class WrittenFields {
  #sessions = new Map<string, string>();
  #players = new Map<string, WrittenPlayer>();
  #queues = new Map<string, string>();

  /** Forgets what was written: the next changes are everything (Redis lost its data). */
  reset(): void {
    this.#sessions = new Map();
    this.#players = new Map();
    this.#queues = new Map();
  }

  /** What the snapshot changes since the last commit; null when nothing. */
  changes(snapshot: SessionSnapshot): FieldChanges | null {
    const at = snapshot.savedAt;
    const sessions = new Map<string, string>();
    const sessionChanges: HashChanges = { set: [], del: [] };
    for (const s of snapshot.sessions) {
      const json = JSON.stringify(s);
      sessions.set(s.socketId, json);
      if (this.#sessions.get(s.socketId) !== json) sessionChanges.set.push([s.socketId, json]);
    }
    const players = new Map<string, WrittenPlayer>();
    const queues = new Map<string, string>();
    const playerChanges: HashChanges = { set: [], del: [] };
    const queueChanges: HashChanges = { set: [], del: [] };
    for (const p of snapshot.players) {
      const now = written(p, at);
      const before = this.#players.get(p.guildId);
      if (unchanged(before, now)) players.set(p.guildId, before!);
      else {
        players.set(p.guildId, now);
        const { queue: _queue, ...fields } = p;
        playerChanges.set.push([p.guildId, JSON.stringify({ ...fields, at } satisfies StoredPlayerField)]);
      }
      if (p.queue === undefined) continue;
      const json = JSON.stringify(p.queue);
      queues.set(p.guildId, json);
      if (this.#queues.get(p.guildId) !== json) queueChanges.set.push([p.guildId, json]);
    }
    gone(this.#sessions, sessions, sessionChanges);
    gone(this.#players, players, playerChanges);
    gone(this.#queues, queues, queueChanges);
    const count = [sessionChanges, playerChanges, queueChanges].reduce((n, c) => n + c.set.length + c.del.length, 0);
    if (count === 0) return null;
    return { savedAt: at, sessions: sessionChanges, players: playerChanges, queues: queueChanges, next: { sessions, players, queues } };
  }

  /** The changes are in Redis: they are the baseline now. */
  commit(changes: FieldChanges): void {
    this.#sessions = changes.next.sessions;
    this.#players = changes.next.players;
    this.#queues = changes.next.queues;
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
        this.#players.set(guildId, UNREADABLE);
        continue;
      }
      const { at, ...fields } = stored;
      const playing = fields.track !== null && !fields.paused;
      const queueJson = hashes.queues[guildId];
      const queue = queueJson === undefined ? undefined : parse<QueueSnapshot>(queueJson);
      players.push({ ...fields, position: playing ? fields.position + Math.max(0, savedAt - at) : fields.position, ...(queue && { queue }) });
      this.#players.set(guildId, written({ ...fields, filters: fields.filters ?? {} }, at));
      if (queueJson !== undefined) this.#queues.set(guildId, queueJson);
    }
    // Queues without a readable player are in the baseline too: the next write deletes them.
    for (const [guildId, json] of Object.entries(hashes.queues)) if (!this.#queues.has(guildId)) this.#queues.set(guildId, json);
    return { format: 1, savedAt, sessions, players };
  }
}

/** A field that could not be read: unlike anything a player writes, so it is replaced or deleted. */
const UNREADABLE: WrittenPlayer = { key: '\u0001unreadable', anchor: null, position: -1 };

function gone<T>(before: Map<string, T>, now: Map<string, T>, changes: HashChanges): void {
  for (const field of before.keys()) if (!now.has(field)) changes.del.push(field);
}

function parse<T>(json: string): T | null {
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : null;
  } catch {
    return null;
  }
}
