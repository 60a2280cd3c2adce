/**
 * The session store's side of the manager: what a restarted process needs to resume (each node's
 * session, a snapshot of every player), written every second when something changed (a playing
 * track's position moving on with the clock is not a change: a reader moves it on from the
 * snapshot's time) and on close; and on start, the stored players taken back from their nodes or
 * restored on them.
 */
import { ErrorCode, LavalinkError } from '../errors.js';
import type { Player } from '../player.js';
import type { AdoptedState } from '../player/driver.js';
import { listsPlayersOnResume } from '../protocol/capabilities.js';
import type { PlayerEvent } from '../protocol/node-events.js';
import type { NodePlayer, Track } from '../protocol/rest.js';
import type { SessionSnapshot, SessionStore, StoredPlayer, StoredSession } from '../session-store/session-store.js';
import { WrittenFields } from '../session-store/written-fields.js';
import type { Socket } from '../socket.js';
import type { PlayerDriver, SocketDriver } from '../wiring.js';

/** How often the session store is brought up to date (only when something changed). */
const STORE_INTERVAL_MS = 1000;
/** Track events held per stored player until it is taken back (a node replays what a drop buffered). */
const MAX_HELD = 64;
/**
 * A playing player whose position only moved on is written again after this long (ms): a player
 * restored on a node that lost its session starts from the written position, so at most this far
 * back. Anything else that changes is written within a second.
 */
const CLOCK_ONLY_MS = 5000;

/** What the keeper needs from the manager. */
export interface KeeperContext {
  readonly store: SessionStore;
  sockets(): Iterable<Socket>;
  players(): Iterable<Player>;
  socketDriver(socket: Socket): SocketDriver | undefined;
  driverOf(player: Player): PlayerDriver | undefined;
  /** Makes (and registers) the guild's player on `socket`, unless the bot made one already. */
  adoptPlayer(socket: Socket, guildId: string): Player | null;
  /** Decodes a stored track; a track that cannot be read comes back without info. */
  decode(encoded: string): Promise<Track>;
  /** Restores players on their nodes, with failover's fallbacks. */
  restore(players: readonly Player[]): Promise<void>;
  socketError(socket: Socket, error: LavalinkError): void;
  /** Tells the bot (`sessionStoreError`); answers whether anyone listened. */
  storeError(error: LavalinkError): boolean;
  debug(message: string): void;
}

export class SessionKeeper {
  readonly #context: KeeperContext;
  /** Stored players waiting for their node's session, by socket id ('' = a node no longer configured). */
  readonly #toAdopt = new Map<string, StoredPlayer[]>();
  /**
   * Events a resumed node replays for stored players not taken back yet, by guild (a track that
   * ended while the bot was down): the player gets them once it is taken back on that node.
   */
  readonly #held = new Map<string, { readonly socketId: string; readonly events: PlayerEvent[] }>();
  #timer: NodeJS.Timeout | undefined;
  /** What the store last got: a save where only the playing players' clocks moved writes nothing. */
  readonly #written = new WrittenFields({ clockOnlyMs: CLOCK_ONLY_MS });
  /** The save under way (settled): the next one starts after it. */
  #saving: Promise<void> = Promise.resolve();
  /** The save waiting for it, which every later caller shares: never more than one waits. */
  #next: Promise<void> | null = null;
  /** When the snapshot being adopted was saved (its players' positions are from then). */
  #storedAt = 0;
  /** Whether a leased store's lease was taken and not lost (release() gives it back). */
  #leased = false;
  /** Ends a wait for the lease when the manager closes. */
  readonly #abort = new AbortController();
  /** Whether the stored snapshot was read: a save before that would write over it with nothing. */
  #loaded = false;

  constructor(context: KeeperContext) {
    this.#context = context;
  }

  /**
   * Writes the store now, unless nothing changed since the last write. One save at a time: a
   * second waits for the first, so both never write the same change.
   */
  save(): Promise<void> {
    if (this.#next) return this.#next;
    const next = this.#saving.then(() => {
      this.#next = null; // from here on, a new call waits for this one: it may miss what this reads
      return this.#save();
    });
    this.#next = next;
    this.#saving = next.catch(() => {});
    return next;
  }

  async #save(): Promise<void> {
    if (!this.#owns() || !this.#loaded) return; // another process owns the store (or may), or it is not read yet: never overwrite it
    const drivers = [...this.#context.players()].map((p) => this.#context.driverOf(p)).filter((d) => d !== undefined);
    const players = drivers.map((d) => d.snapshot());
    const snapshot: SessionSnapshot = { format: 1, savedAt: Date.now(), sessions: this.#sessions(), players: [...players, ...this.#waiting(players)] };
    // A store that compares field by field itself is spared a second comparison.
    if (this.#context.store.comparesSnapshots === true) return this.#context.store.save(snapshot);
    const changes = this.#written.changes(snapshot);
    if (changes === null) return;
    await this.#context.store.save(snapshot);
    this.#written.commit(changes);
  }

  /**
   * Loads the store and presents each node its old session; `connect` then starts the sockets.
   * Answers false when the manager closed meanwhile.
   */
  async load(isClosed: () => boolean): Promise<boolean> {
    if (!(await this.#acquire())) return false;
    let snapshot: SessionSnapshot | null = null;
    try {
      snapshot = await this.#context.store.load();
    } catch (error) {
      this.#context.debug(`the session store could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (isClosed()) return false;
    this.#storedAt = snapshot?.savedAt ?? 0;
    const sockets = new Map([...this.#context.sockets()].map((s) => [s.id, s]));
    for (const stored of snapshot?.sessions ?? []) {
      const socket = sockets.get(stored.socketId);
      if (socket) this.#context.socketDriver(socket)?.resumeFrom(stored);
    }
    for (const player of snapshot?.players ?? []) {
      const socketId = sockets.has(player.socketId) ? player.socketId : '';
      this.#toAdopt.set(socketId, [...(this.#toAdopt.get(socketId) ?? []), player]);
      if (socketId !== '') this.#held.set(player.guildId, { socketId, events: [] });
    }
    this.#loaded = true;
    if (snapshot) this.#context.debug(`resuming ${snapshot.sessions.length} sessions and ${snapshot.players.length} players from the store`);
    this.#timer = setInterval(() => {
      this.save().catch((error: unknown) => this.#context.debug(`the session store could not be written: ${String(error)}`));
    }, STORE_INTERVAL_MS);
    this.#timer.unref();
    return true;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#abort.abort();
    this.#held.clear();
  }

  /**
   * An event for a guild with no player: a track event is held when a stored player of that guild
   * waits to be taken back on that node (positions come from the node at adoption; a plugin's
   * lines for a track nobody heard are stale). Answers whether it was.
   */
  hold(socket: Socket, event: PlayerEvent): boolean {
    if (event.type === 'playerUpdate' || event.type === 'plugin') return false;
    const held = this.#held.get(event.guildId);
    if (held?.socketId !== socket.id || held.events.length >= MAX_HELD) return false;
    held.events.push(event);
    return true;
  }

  /** Whether this process may write the store: it has no lease to take, or holds it. */
  #owns(): boolean {
    return this.#context.store.acquire === undefined || this.#leased;
  }

  /** Gives a leased store's lease up: after the final save, once the sockets closed (a handover). */
  async release(): Promise<void> {
    if (!this.#leased) return;
    this.#leased = false;
    await this.#context.store.release?.().catch((error: unknown) => this.#context.debug(`the session store's lease could not be released: ${String(error)}`));
  }

  /** Takes a leased store's lease before anything is read or connected; false when this process may not use the store. */
  async #acquire(): Promise<boolean> {
    const { store } = this.#context;
    if (!store.acquire) return true;
    try {
      await store.acquire(this.#abort.signal, (error) => this.#lost(error));
    } catch (error) {
      if (!this.#abort.signal.aborted) this.#report(error instanceof LavalinkError ? error : new LavalinkError(ErrorCode.StoreUnreachable, String(error)));
      return false;
    }
    this.#leased = true;
    return true;
  }

  /** Another process holds the lease now: stop writing (never fight for it) and say so. */
  #lost(error: LavalinkError): void {
    if (!this.#leased) return;
    this.#leased = false;
    clearInterval(this.#timer);
    this.#report(error);
  }

  #report(error: LavalinkError): void {
    this.#context.debug(`session store: ${error.message}`);
    if (!this.#context.storeError(error)) process.emitWarning(error.message, { code: error.code });
  }

  /**
   * Stored players not taken back yet (their node has no session yet): still this process's, so
   * they stay in what it writes, their positions moved on to now when they were playing.
   */
  #waiting(live: readonly StoredPlayer[]): StoredPlayer[] {
    if (this.#toAdopt.size === 0) return [];
    const taken = new Set(live.map((p) => p.guildId));
    const since = Math.max(0, Date.now() - this.#storedAt);
    return [...this.#toAdopt.values()].flat().filter((p) => !taken.has(p.guildId)).map((p) => (p.track && !p.paused ? { ...p, position: p.position + since } : p));
  }

  /** A socket has a session: stored players still waiting for one are taken back there. */
  sessionReady(socket: Socket, resumed: boolean): void {
    if (this.#toAdopt.size > 0) void this.#adopt(socket, resumed);
  }

  #sessions(): StoredSession[] {
    const sessions: StoredSession[] = [];
    for (const socket of this.#context.sockets()) {
      if (socket.resumeKey !== undefined && socket.version !== null) sessions.push({ socketId: socket.id, version: socket.version, resumeKey: socket.resumeKey, sessionId: socket.sessionId });
    }
    return sessions;
  }

  /**
   * Rebuilds the stored players of a socket that has a session: from the node itself when it
   * resumed and can list its players, else from the snapshot, restoring them on the node.
   */
  async #adopt(socket: Socket, resumed: boolean): Promise<void> {
    const stored = [...(this.#toAdopt.get(socket.id) ?? []), ...(this.#toAdopt.get('') ?? [])];
    this.#toAdopt.delete(socket.id);
    this.#toAdopt.delete('');
    if (stored.length === 0) return;
    const listed = resumed && listsPlayersOnResume(socket.version);
    const onNode = new Map<string, NodePlayer>();
    if (listed) {
      try {
        for (const p of await socket.request({ kind: 'players' })) onNode.set(p.guildId, p);
      } catch (error) {
        if (error instanceof LavalinkError) this.#context.socketError(socket, error);
      }
    }
    const restore: Player[] = [];
    for (const saved of stored) {
      const node = onNode.get(saved.guildId);
      // A node that cannot list its players kept them if it resumed; one that can, kept those it lists.
      const kept = resumed && saved.socketId === socket.id && (!listed || node !== undefined);
      const track = node ? node.track : saved.track ? await this.#context.decode(saved.track) : null;
      const held = this.#held.get(saved.guildId);
      this.#held.delete(saved.guildId);
      const player = this.#context.adoptPlayer(socket, saved.guildId);
      if (!player) continue; // the bot made it again already
      // A node that kept the session without listing it played on since the snapshot.
      const playedSince = kept && !node && track && !saved.paused ? Math.max(0, Date.now() - this.#storedAt) : 0;
      const state: AdoptedState = {
        track,
        position: node ? node.position : saved.position + playedSince,
        paused: node ? node.paused : saved.paused,
        volume: node ? node.volume : saved.volume,
        filters: node ? node.filters : saved.filters,
        channel: saved.channel,
        voice: saved.voice,
        queue: saved.queue,
        plugins: saved.plugins,
      };
      const driver = this.#context.driverOf(player)!;
      driver.adopt(state, kept);
      // What the node did meanwhile reaches the bot, and the queue, as it would have: a track
      // that finished while the bot was down moves the queue on now.
      if (kept) for (const event of held?.events ?? []) replay(driver, event);
      if (!kept) restore.push(player);
    }
    this.#context.debug(`took ${stored.length - restore.length} players back from node ${socket.id}; restoring ${restore.length}`);
    await this.#context.restore(restore);
  }
}

/** A held event to its player; a throwing listener costs no other player its adoption: its error surfaces later. */
function replay(driver: PlayerDriver, event: PlayerEvent): void {
  try {
    driver.event(event);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
