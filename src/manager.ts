/**
 * The Manager: owns the sockets (one per Lavalink node), the players (one per guild), and the
 * transport that hosts the sockets. It routes Discord's voice events to players, frames from the
 * nodes to players, and moves players off a node that is gone for good.
 *
 * @example
 * const manager = new Manager([{ id: 'main', host: '127.0.0.1', port: 2333, password: 'youshallnotpass' }], {
 *   send: (guildId, payload) => client.guilds.cache.get(guildId)?.shard.send(payload),
 * });
 * client.on('raw', (packet) => manager.handleRaw(packet));
 * manager.init(client.user.id);
 */
import { EventEmitter } from 'node:events';
import { ErrorCode, InvalidOptionError, LavalinkError, NoNodeError, readArgument } from './errors.js';
import type { ManagerEvents } from './events.js';
import { internals, kClose, kDecode, kHandleEvent, kResumeFrom, type ManagerInternals } from './internal.js';
import type { EventKind, HostEvent } from './ipc/events.js';
import { resolveManagerOptions, type ManagerOptions, type ResolvedManagerOptions, type SocketData } from './options.js';
import { updateFrame } from './ipc/updates.js';
import { kAdopt, kPlayerFrame, kPlayerUpdate, kRestore, kRestoreFailed, kSnapshot, kVoiceServer, kVoiceState, Player, type AdoptedState } from './player.js';
import type { SessionSnapshot, StoredPlayer, StoredSession } from './session-store/session-store.js';
import type { EventMessage, LavalinkMessage, PlayerUpdateMessage } from './protocol/messages.js';
import type { LoadResult, Track } from './protocol/rest.js';
import { decodeTracks } from './protocol/track-codec.js';
import { PlayerMap } from './player-map.js';
import { Socket } from './socket.js';
import { InlineTransport } from './transport/inline.js';
import { PoolTransport } from './transport/pool.js';
import type { Transport } from './transport/transport.js';

/** The `d` of Discord's VOICE_STATE_UPDATE (spec §8). */
export interface VoiceStateUpdate {
  guild_id?: string;
  channel_id: string | null;
  user_id: string;
  session_id: string;
}

/** The `d` of Discord's VOICE_SERVER_UPDATE (spec §8). */
export interface VoiceServerUpdate {
  token: string;
  guild_id: string;
  endpoint: string | null;
}

/** How many players move at once when a node fails over or loses its session. */
const MOVE_CONCURRENCY = 4;
/**
 * From this many tracks, `decode` runs the codec on a worker: a round trip costs the main thread
 * ~50 µs, decoding a track on it ~4 µs (measured with bench/load).
 */
const OFF_THREAD_DECODE = 16;
/** How often the session store is brought up to date (only when something changed). */
const STORE_INTERVAL_MS = 1000;

export class Manager extends EventEmitter<ManagerEvents> {
  /** Sockets by node id. A socket that gave up reconnecting leaves this map. */
  readonly sockets = new Map<string, Socket>();
  /** Players by guild id. */
  readonly players: Map<string, Player> = new PlayerMap();
  readonly options: ResolvedManagerOptions;
  /** The bot's user id, from the options or `init()`. */
  userId: string | undefined;

  /** Every socket ever created, for routing events (a forgotten socket may still send its last ones). */
  readonly #handles = new Map<string, Socket>();
  /** Why sockets that stopped for good did (a refused password): told when no node is ready. */
  readonly #stopped = new Map<string, LavalinkError>();
  /** Calls waiting for any node to be ready (#readySocket). */
  readonly #readyWaiters = new Set<{ resolve(): void; reject(error: LavalinkError): void }>();
  /** The recovery under way for each player (see #recover). */
  readonly #recoveries = new WeakMap<Player, object>();
  /** Players whose node is gone while no other node could take them yet. */
  readonly #stranded = new Set<Player>();
  /** Sockets that are down: once their resume timeout has passed, the node has dropped our players. */
  readonly #outageTimers = new Map<Socket, NodeJS.Timeout>();
  /** Per port guild table (ipc/codec.ts), its players by slot; see #slotCache. */
  readonly #slotCaches = new WeakMap<readonly string[], { version: number; players: (Player | null | undefined)[] }>();
  #transport: Transport | null = null;
  #closed = false;
  /** Players per socket as placed here, for #leastLoaded; null = count again. */
  #placed: Map<Socket, number> | null = null;
  /** Stored players waiting for their node's session, by socket id (after a restart). */
  readonly #toAdopt = new Map<string, StoredPlayer[]>();
  #storeTimer: NodeJS.Timeout | undefined;
  #lastSaved = '';
  /** When the snapshot being adopted was saved (its players' positions are from then). */
  #storedAt = 0;

  constructor(nodes: readonly SocketData[], options: ManagerOptions) {
    super();
    if (!Array.isArray(nodes)) throw new InvalidOptionError('nodes', 'an array of nodes ({id, host, port, password})', nodes);
    this.options = resolveManagerOptions(options);
    this.userId = this.options.userId;
    const inside: ManagerInternals = {
      options: this.options,
      emitter: this,
      transport: () => this.#getTransport(),
      userId: () => this.userId,
      forget: (socket, final, error) => this.#onSocketGone(socket, final, error),
      route: (socket, frame) => this.#route(socket, frame),
      routeUpdates: (socket, run) => this.#routeUpdates(socket, run),
      sessionReady: (socket, resumed, hadSession) => this.#onSessionReady(socket, resumed, hadSession),
      connectionLost: (socket) => this.#onConnectionLost(socket),
      playerMoved: () => (this.#placed = null),
      playerDestroyed: (player) => this.#forgetPlayer(player),
    };
    internals.set(this, inside);
    nodes.forEach((node: SocketData, i) => {
      const socket = new Socket(this, node, `nodes[${i}]`);
      if (this.#handles.has(socket.id)) throw new InvalidOptionError(`nodes[${i}].id`, 'an id no other node has', socket.id);
      this.#handles.set(socket.id, socket);
      this.sockets.set(socket.id, socket);
    });
  }

  /** `'worker'` or `'inline'` (`workers: 0`). */
  get transportKind(): 'worker' | 'inline' {
    return this.options.workers === 0 ? 'inline' : 'worker';
  }

  /** Sockets that can take players, least loaded first (by `penalties`); unready ones are left out. */
  get ideal(): Socket[] {
    return [...this.sockets.values()].filter((s) => s.ready).sort((a, b) => a.penalties - b.penalties);
  }

  /** Connects every socket. */
  init(userId: string | undefined = this.userId): this {
    this.#assertOpen();
    if (typeof userId !== 'string' || !/^\d{1,20}$/.test(userId)) {
      throw new InvalidOptionError('userId', 'the bot user id (a string of digits), given to init() or in the options', userId);
    }
    this.userId = userId;
    if (this.options.sessionStore) void this.#initFromStore(userId);
    else for (const socket of this.sockets.values()) socket.connect(userId);
    return this;
  }

  /** Writes the session store now (it is also kept up to date every second, and on close). */
  async saveSessions(): Promise<void> {
    const store = this.options.sessionStore;
    if (!store) return;
    const snapshot: SessionSnapshot = { format: 1, savedAt: Date.now(), sessions: this.#storedSessions(), players: [...this.players.values()].map((p) => p[kSnapshot]()) };
    const text = JSON.stringify({ ...snapshot, savedAt: 0 });
    if (text === this.#lastSaved) return;
    await store.save(snapshot);
    this.#lastSaved = text;
  }

  /** Loads the store, presents each node its old session, connects, and saves from then on. */
  async #initFromStore(userId: string): Promise<void> {
    let snapshot: SessionSnapshot | null = null;
    try {
      snapshot = await this.options.sessionStore!.load();
    } catch (error) {
      this.emit('debug', `[manager] the session store could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.#closed) return;
    this.#storedAt = snapshot?.savedAt ?? 0;
    for (const stored of snapshot?.sessions ?? []) this.sockets.get(stored.socketId)?.[kResumeFrom](stored);
    for (const player of snapshot?.players ?? []) {
      const socketId = this.sockets.has(player.socketId) ? player.socketId : '';
      this.#toAdopt.set(socketId, [...(this.#toAdopt.get(socketId) ?? []), player]);
    }
    if (snapshot) this.emit('debug', `[manager] resuming ${snapshot.sessions.length} sessions and ${snapshot.players.length} players from the store`);
    for (const socket of this.sockets.values()) socket.connect(userId);
    this.#storeTimer = setInterval(() => {
      this.saveSessions().catch((error: unknown) => this.emit('debug', `[manager] the session store could not be written: ${String(error)}`));
    }, STORE_INTERVAL_MS);
    this.#storeTimer.unref();
  }

  #storedSessions(): StoredSession[] {
    const sessions: StoredSession[] = [];
    for (const socket of this.sockets.values()) {
      if (socket.resumeKey !== undefined && socket.version !== null) sessions.push({ socketId: socket.id, version: socket.version, resumeKey: socket.resumeKey, sessionId: socket.sessionId });
    }
    return sessions;
  }

  /**
   * Rebuilds the stored players of a socket that has a session: from the node itself when it
   * resumed (v4 lists its players), else from the snapshot, restoring them on the node.
   */
  async #adopt(socket: Socket, resumed: boolean): Promise<void> {
    const stored = [...(this.#toAdopt.get(socket.id) ?? []), ...(this.#toAdopt.get('') ?? [])];
    this.#toAdopt.delete(socket.id);
    this.#toAdopt.delete('');
    if (stored.length === 0) return;
    const onNode = new Map<string, { track: Track | null; position: number; paused: boolean; volume: number; filters: Record<string, unknown> }>();
    if (resumed && socket.version === 4) {
      try {
        for (const p of await socket.request({ kind: 'players' })) onNode.set(p.guildId, p);
      } catch (error) {
        if (error instanceof LavalinkError) this.emit('socketError', socket, error);
      }
    }
    const restore: Player[] = [];
    for (const saved of stored) {
      if (this.players.has(saved.guildId)) continue; // the bot made it again already
      const node = onNode.get(saved.guildId);
      const kept = resumed && saved.socketId === socket.id && (socket.version === 3 || node !== undefined);
      const track = node ? node.track : saved.track ? await this.#safeDecode(saved.track) : null;
      // A node that kept the session (v3 cannot list its players) played on since the snapshot.
      const playedSince = kept && !node && track && !saved.paused ? Math.max(0, Date.now() - this.#storedAt) : 0;
      const state: AdoptedState = {
        track,
        position: node ? node.position : saved.position + playedSince,
        paused: node ? node.paused : saved.paused,
        volume: node ? node.volume : saved.volume,
        filters: (node ? node.filters : saved.filters),
        channel: saved.channel,
        voice: saved.voice,
      };
      const player = new Player(socket, saved.guildId);
      player[kAdopt](state, kept);
      this.players.set(saved.guildId, player);
      this.#placed = null;
      if (!kept) restore.push(player);
    }
    this.emit('debug', `[manager] took ${stored.length - restore.length} players back from node ${socket.id}; restoring ${restore.length}`);
    await inBatches(restore, MOVE_CONCURRENCY, (player) => this.#recover(player, () => player[kRestore]()));
  }

  async #safeDecode(encoded: string): Promise<Track> {
    try {
      return await this.decode(encoded);
    } catch {
      return { encoded, info: { identifier: '', isSeekable: false, author: '', length: 0, isStream: false, position: 0, title: '', uri: null, sourceName: '', artworkUrl: null, isrc: null }, pluginInfo: {}, userData: {} };
    }
  }

  /** The guild's player, made on the ideal node (or the given one) if there is none yet. */
  create(guild: string | { id: string }, socket?: Socket): Player {
    this.#assertOpen();
    const guildId = guildIdOf(guild);
    if (socket !== undefined && !this.#owns(socket)) throw new InvalidOptionError('socket', 'a Socket of this manager', socket);
    const existing = this.players.get(guildId);
    if (existing) return existing;
    const target = socket ?? this.#leastLoaded() ?? [...this.sockets.values()][0];
    if (!target) throw new NoNodeError(`No node to create a player on: ${this.#nodesState()}`);
    const player = new Player(target, guildId);
    this.players.set(guildId, player);
    this.#placed?.set(target, (this.#placed.get(target) ?? 0) + 1);
    return player;
  }

  /** Whether `socket` is one of this manager's sockets (a look-alike or another manager's is not). */
  #owns(socket: unknown): socket is Socket {
    return readArgument('socket', 'a Socket of this manager', () => socket instanceof Socket && this.#handles.get(socket.id) === socket);
  }

  get(guild: string | { id: string }): Player | undefined {
    return this.players.get(guildIdOf(guild));
  }

  /** Destroys the guild's player (leaves voice, removes it from its node) and forgets it. */
  async destroy(guild: string | { id: string }): Promise<boolean> {
    const player = this.players.get(guildIdOf(guild));
    if (!player) return false;
    await player.destroy();
    return true;
  }

  #forgetPlayer(player: Player): void {
    if (this.players.get(player.guildId) !== player) return;
    this.players.delete(player.guildId);
    this.#placed = null;
    this.#stranded.delete(player);
  }

  /** Routes a raw gateway packet: VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE; ignores the rest. */
  handleRaw(packet: unknown): void {
    if (typeof packet !== 'object' || packet === null) return;
    const { t, d } = readArgument('packet', 'a gateway packet ({ t, d })', () => ({ t: (packet as { t?: unknown }).t, d: (packet as { d?: unknown }).d }));
    if (t === 'VOICE_STATE_UPDATE') this.stateUpdate(d as VoiceStateUpdate);
    else if (t === 'VOICE_SERVER_UPDATE') this.serverUpdate(d as VoiceServerUpdate);
  }

  /** VOICE_STATE_UPDATE: only the bot's own state in a guild with a player counts. */
  stateUpdate(update: VoiceStateUpdate): void {
    if (typeof update !== 'object' || update === null) return;
    // Read once: what is checked is what is used.
    const { user_id, guild_id, session_id, channel_id } = readArgument('update', 'a VOICE_STATE_UPDATE payload', () => ({ ...update }));
    if (user_id !== this.userId || typeof guild_id !== 'string') return;
    const player = this.players.get(guild_id);
    if (!player || typeof session_id !== 'string') return;
    player[kVoiceState](typeof channel_id === 'string' ? channel_id : null, session_id);
  }

  /** VOICE_SERVER_UPDATE for a guild with a player. */
  serverUpdate(update: VoiceServerUpdate): void {
    if (typeof update !== 'object' || update === null) return;
    const { guild_id, token, endpoint } = readArgument('update', 'a VOICE_SERVER_UPDATE payload', () => ({ ...update }));
    if (typeof guild_id !== 'string' || typeof token !== 'string') return;
    this.players.get(guild_id)?.[kVoiceServer](token, typeof endpoint === 'string' && endpoint !== '' ? endpoint : null);
  }

  /** Loads tracks by identifier (a URL, or `ytsearch:...`) through the ideal node. */
  async load(identifier: string): Promise<LoadResult> {
    if (typeof identifier !== 'string' || identifier === '') throw new InvalidOptionError('identifier', 'a non-empty string', identifier);
    return (await this.#readySocket()).request({ kind: 'load', identifier });
  }

  /** Searches (`ytsearch:` unless another source prefix is given); a URL is loaded as it is. */
  search(query: string, source = 'ytsearch'): Promise<LoadResult> {
    if (typeof query !== 'string' || query.trim() === '') return Promise.reject(new InvalidOptionError('query', 'a non-empty string', query));
    if (typeof source !== 'string' || !/^[a-z][a-z0-9]*$/.test(source)) return Promise.reject(new InvalidOptionError('source', 'a search source such as `ytsearch` or `scsearch`', source));
    const isUrl = /^https?:\/\//.test(query);
    const prefixed = /^[a-z]+search:/.test(query);
    return this.load(isUrl || prefixed ? query : `${source}:${query}`);
  }

  /**
   * Decodes encoded tracks: locally with the track codec, or by the node when `rest` is set (or
   * for a track the codec cannot read, such as a plugin's).
   */
  async decode(track: string, options?: { rest?: boolean } | null): Promise<Track>;
  async decode(tracks: readonly string[], options?: { rest?: boolean } | null): Promise<Track[]>;
  async decode(input: string | readonly string[], decodeOptions?: { rest?: boolean } | null): Promise<Track | Track[]> {
    const list = readArgument('tracks', 'an encoded track or an array of them', () => (typeof input === 'string' ? [input] : Array.isArray(input) ? [...(input as unknown[])] : null));
    if (list === null || !list.every((t) => typeof t === 'string')) throw new InvalidOptionError('tracks', 'an encoded track or an array of them', input);
    const expected = 'an object such as { rest: true } (or nothing)';
    const rest = readArgument('options', expected, () => (decodeOptions === null || decodeOptions === undefined ? undefined : (decodeOptions as { rest?: unknown }).rest));
    if ((decodeOptions !== null && decodeOptions !== undefined && typeof decodeOptions !== 'object') || (rest !== undefined && typeof rest !== 'boolean')) throw new InvalidOptionError('options', expected, decodeOptions);
    const options = { rest: rest === true };
    let tracks: Track[] | null = null;
    if (!options.rest) {
      try {
        tracks = (await this.#decodeOffThread(list)) ?? decodeTracks(list);
      } catch {
        tracks = null; // the codec cannot read one (a plugin's track?): the node can
      }
    }
    tracks ??= await (await this.#readySocket()).request({ kind: 'decode', tracks: list });
    return typeof input === 'string' ? tracks[0]! : tracks;
  }

  /** Long lists are decoded on a worker; null where there is none (inline, or not started). */
  async #decodeOffThread(list: readonly string[]): Promise<Track[] | null> {
    if (list.length < OFF_THREAD_DECODE || this.options.workers === 0) return null;
    const socket = [...this.sockets.values()][0];
    return socket ? socket[kDecode](list) : null;
  }

  /** Closes every socket, then releases every worker, port and timer. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    clearInterval(this.#storeTimer);
    // What a restarted process needs to resume, written before the sockets go.
    await this.saveSessions().catch((error: unknown) => this.emit('debug', `[manager] the session store could not be written: ${String(error)}`));
    this.#closed = true;
    for (const waiter of this.#readyWaiters) waiter.reject(new LavalinkError(ErrorCode.ManagerClosed, 'The manager was closed'));
    this.#readyWaiters.clear();
    await Promise.all([...this.#handles.values()].map((socket) => socket[kClose]()));
    this.sockets.clear();
    this.players.clear();
    this.#stranded.clear();
    for (const timer of this.#outageTimers.values()) clearTimeout(timer);
    this.#outageTimers.clear();
    await this.#transport?.close();
    this.#transport = null;
  }

  #assertOpen(): void {
    if (this.#closed) throw new LavalinkError(ErrorCode.ManagerClosed, 'The manager is closed');
  }

  /**
   * The ready socket with the lowest penalties, counting the players placed on it here too: a
   * node's stats lag, and a burst of moves must not all land on the node that looked idle.
   */
  #leastLoaded(): Socket | undefined {
    // Counted once, then kept up to date by create(); anything else that moves players drops it.
    if (!this.#placed) {
      this.#placed = new Map();
      for (const player of this.players.values()) this.#placed.set(player.socket, (this.#placed.get(player.socket) ?? 0) + 1);
    }
    const local = this.#placed;
    let best: Socket | undefined;
    let bestScore = Infinity;
    for (const socket of this.ideal) {
      const score = socket.penalties + (local.get(socket) ?? 0);
      if (score < bestScore) {
        best = socket;
        bestScore = score;
      }
    }
    return best;
  }

  /** The ideal ready socket; waits up to `readyTimeout` for one (right after init(), during an outage). */
  async #readySocket(): Promise<Socket> {
    const ready = this.ideal[0];
    if (ready) return ready;
    this.#assertOpen();
    if (this.sockets.size === 0) throw new NoNodeError(`No node can become ready: ${this.#nodesState()}`);
    const timeoutMs = this.options.readyTimeout;
    // One set of waiters, woken by a session (#onSessionReady) or failed by close(): no listener
    // per call on the manager, and no timer that keeps the process up.
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: LavalinkError) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.#readyWaiters.delete(waiter);
        reject(new NoNodeError(`No node was ready within ${timeoutMs} ms: ${this.#nodesState()}`));
      }, timeoutMs);
      timer.unref();
      this.#readyWaiters.add(waiter);
    });
    const socket = this.ideal[0];
    if (!socket) throw new NoNodeError(`No node is ready: ${this.#nodesState()}`);
    return socket;
  }

  /** Each node and why it cannot take calls, for NoNodeError messages. */
  #nodesState(): string {
    const parts: string[] = [];
    for (const socket of this.#handles.values()) {
      const stopped = this.#stopped.get(socket.id);
      parts.push(`${socket.id}: ${stopped ? stopped.message : socket.ready ? 'ready' : socket.connected ? 'waiting for its session' : 'not connected'}`);
    }
    return parts.length > 0 ? parts.join('; ') : 'no nodes are configured';
  }

  #getTransport(): Transport {
    this.#assertOpen();
    if (!this.#transport) {
      const onEvents = (events: readonly HostEvent[]): void => this.#onEvents(events);
      this.#transport = this.options.workers === 0 ? new InlineTransport(onEvents) : new PoolTransport(this.options.workers, onEvents);
    }
    return this.#transport;
  }

  #onEvents(events: readonly HostEvent[]): void {
    for (const event of events) {
      const socket = this.#handles.get(event.socket);
      if (!socket) continue;
      try {
        socket[kHandleEvent](event);
      } catch (error) {
        rethrowLater(error);
      }
    }
  }

  /**
   * Each update to its player, then to `raw`. The frame objects are made only for `raw`
   * listeners: at 100k updates/s, not making them is most of what the main thread saves.
   */
  #routeUpdates(socket: Socket, run: Extract<HostEvent, { kind: typeof EventKind.Updates }>): void {
    const { guilds, values, slots } = run;
    const raw = this.listenerCount('raw') > 0;
    const heard = this.listenerCount('playerUpdate') > 0;
    const now = performance.now();
    const cache = slots && run.table ? this.#slotCache(run.table) : null;
    for (let i = 0; i < guilds.length; i++) {
      const guildId = guilds[i]!;
      try {
        let player: Player | null | undefined;
        if (cache) {
          const slot = slots![i]!;
          player = cache[slot];
          if (player === undefined) player = cache[slot] = this.players.get(guildId) ?? null;
        } else {
          player = this.players.get(guildId);
        }
        // An update from the node a player just left belongs to nobody.
        if (player?.socket === socket) player[kPlayerUpdate](values, i, now, heard);
        if (raw) this.emit('raw', socket, updateFrame(guildId, values, i));
      } catch (error) {
        rethrowLater(error);
      }
    }
  }

  /**
   * Players by slot of a port's guild table, while `players` is unchanged. Looking a guild up by
   * its id reads the id string and the map's entry: two cache misses per update at 100k/s.
   */
  #slotCache(table: readonly string[]): (Player | null | undefined)[] {
    const version = (this.players as PlayerMap).version;
    let entry = this.#slotCaches.get(table);
    if (entry?.version !== version) {
      entry = { version, players: [] };
      this.#slotCaches.set(table, entry);
    }
    return entry.players;
  }

  #route(socket: Socket, frame: LavalinkMessage): void {
    if (frame.op !== 'playerUpdate' && frame.op !== 'event') return;
    const guildId = (frame as { guildId?: unknown }).guildId;
    if (typeof guildId !== 'string') return;
    const player = this.players.get(guildId);
    // A frame from the node a player just left belongs to nobody.
    if (player?.socket === socket) player[kPlayerFrame](frame as PlayerUpdateMessage | EventMessage);
  }

  /** The node is gone (for good, when `final`): its players move to the ideal remaining node. */
  #onSocketGone(socket: Socket, final: boolean, error: LavalinkError | null): void {
    if (final) {
      this.sockets.delete(socket.id);
      if (error) this.#stopped.set(socket.id, error);
      if (this.sockets.size === 0) {
        for (const waiter of this.#readyWaiters) waiter.reject(new NoNodeError(`No node can become ready: ${this.#nodesState()}`));
        this.#readyWaiters.clear();
      }
    }
    clearTimeout(this.#outageTimers.get(socket));
    this.#outageTimers.delete(socket);
    const players = [...this.players.values()].filter((p) => p.socket === socket);
    if (players.length === 0) return;
    this.emit('debug', `[manager] node ${socket.id} is gone; moving ${players.length} players`);
    for (const player of players) this.#stranded.add(player);
    void this.#rehome();
  }

  /**
   * A socket that stays down past its resume timeout has lost its session on the node: its players
   * fail over to the other nodes then, while the socket keeps trying (when it is back, it takes new
   * players again).
   */
  #onConnectionLost(socket: Socket): void {
    if (this.#outageTimers.has(socket)) return;
    // A node that cannot resume dropped its players with the connection: they move at once.
    const delayMs = socket.resumable ? socket.options.resumeTimeout * 1000 : 0;
    const timer = setTimeout(() => {
      this.#outageTimers.delete(socket);
      if (socket.ready) return;
      const players = [...this.players.values()].filter((p) => p.socket === socket);
      if (players.length === 0 || this.ideal.length === 0) return;
      this.emit('debug', `[manager] node ${socket.id} ${socket.resumable ? 'stayed down past its resume timeout' : 'cannot resume'}; moving ${players.length} players`);
      for (const player of players) this.#stranded.add(player);
      void this.#rehome();
    }, delayMs);
    timer.unref();
    this.#outageTimers.set(socket, timer);
  }

  #onSessionReady(socket: Socket, resumed: boolean, hadSession: boolean): void {
    for (const waiter of this.#readyWaiters) waiter.resolve();
    this.#readyWaiters.clear();
    clearTimeout(this.#outageTimers.get(socket));
    this.#outageTimers.delete(socket);
    if (this.#toAdopt.size > 0) void this.#adopt(socket, resumed);
    if (this.#stranded.size > 0) void this.#rehome();
    if (resumed || !hadSession) return;
    // The node kept nothing of ours: rebuild every player it had from our own state.
    const players = [...this.players.values()].filter((p) => p.socket === socket);
    if (players.length === 0) return;
    this.emit('debug', `[manager] node ${socket.id} lost its session; restoring ${players.length} players`);
    void inBatches(players, MOVE_CONCURRENCY, (player) => this.#recover(player, () => player[kRestore]()));
  }

  /**
   * Runs a restore (or a move); if it fails, moves the player to each other ready node in turn.
   * When none takes it, the player ends in a clear state (nothing playing) and says why: it never
   * points at a node that does not play it while its state says it plays.
   */
  async #recover(player: Player, attempt: () => Promise<void>): Promise<void> {
    // A later recovery of the same player (its new node failed too) takes over from this one.
    const token = {};
    this.#recoveries.set(player, token);
    const superseded = (): boolean => this.#recoveries.get(player) !== token || player.destroyed || this.players.get(player.guildId) !== player;
    const tried = new Set<Socket>();
    let failure: unknown;
    try {
      await attempt();
      return;
    } catch (error) {
      failure = error;
    }
    for (;;) {
      if (superseded()) return;
      tried.add(player.socket);
      this.emit('debug', `[manager] restoring the player of guild ${player.guildId} on node ${player.socket.id} failed: ${String(failure)}`);
      const next = this.ideal.find((socket) => !tried.has(socket));
      if (!next) break;
      try {
        await player.moveTo(next);
        return;
      } catch (error) {
        failure = error;
      }
    }
    this.#placed = null;
    this.#recoveries.delete(player);
    player[kRestoreFailed](failure instanceof LavalinkError ? failure : new LavalinkError(ErrorCode.BadOp, String(failure)));
  }

  /** Moves stranded players to the ideal nodes, a few at a time; those with no node wait. */
  async #rehome(): Promise<void> {
    const players = [...this.#stranded];
    await inBatches(players, MOVE_CONCURRENCY, async (player) => {
      const target = this.#leastLoaded();
      if (!target || !this.#stranded.has(player)) return;
      this.#stranded.delete(player);
      this.#placed = null;
      await this.#recover(player, () => player.moveTo(target));
    });
  }
}

function guildIdOf(guild: string | { id: string }): string {
  const expected = 'a guild id (a string of digits) or {id}';
  const id = readArgument('guild', expected, () => (typeof guild === 'string' ? guild : (guild as { id?: unknown } | null | undefined)?.id));
  if (typeof id !== 'string' || !/^\d{1,20}$/.test(id)) throw new InvalidOptionError('guild', expected, guild);
  return id;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** A throwing listener must not cost the other events of the batch: its error surfaces later. */
function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
