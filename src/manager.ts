/**
 * The Manager: owns the sockets (one per Lavalink node), the players (one per guild), and the
 * transport that hosts the sockets. It routes Discord's voice events to players; the hosts'
 * events go through its router (manager/router.ts), players leave a node that cannot keep them
 * through its failover (manager/failover.ts), and a session store is kept by manager/session-keeper.ts.
 * Its players are made and forgotten by manager/player-registry.ts; calls wait for a ready node in
 * manager/readiness.ts. The class comment below shows a bot's use.
 */
import { EventEmitter } from 'node:events';
import { ErrorCode, InvalidOptionError, LavalinkError, NoNodeError, readArgument } from './errors.js';
import { debugSubscriber, publishBatch, publishDebug } from './diagnostics.js';
import type { ManagerEvents } from './events.js';
import { Failover } from './manager/failover.js';
import { guildIdOf, placementOf } from './manager/arguments.js';
import { decodeWith } from './manager/decode.js';
import { NodeReadiness } from './manager/readiness.js';
import { readVoiceServer, readVoiceState, type VoiceServerUpdate, type VoiceStateUpdate } from './manager/voice-dispatch.js';
import { MetricsCollector, type ManagerMetrics } from './metrics/metrics.js';
import { EventRouter } from './manager/router.js';
import { SessionKeeper } from './manager/session-keeper.js';
import { SocketRegistry } from './manager/socket-registry.js';
import { resolveManagerOptions, type ManagerOptions, type ResolvedManagerOptions } from './options.js';
import type { SocketData } from './socket-options.js';
import { updatePlayer, type Player } from './player.js';
import { PlayerRegistry } from './manager/player-registry.js';
import { trackFromEncoded } from './protocol/read-event.js';
import type { Lyrics, SearchResult } from './protocol/plugins.js';
import type { LoadResult, Track } from './protocol/rest.js';
import type { Socket } from './socket.js';
import type { LoadSearchOptions, LyricsOptions } from './socket-rest.js';
import { createTransport } from './transport/create.js';
import type { Transport } from './transport/transport.js';
import { registerHub, type PlayerDriver } from './wiring.js';

export type { VoiceServerUpdate, VoiceStateUpdate };

/**
 * The entry point of a bot: one Manager holds a {@link Socket} per Lavalink node (each hosted in a
 * worker thread) and a {@link Player} per guild, routes Discord's voice events to the players,
 * and moves players to another node when theirs is gone.
 *
 * @example Construction, with discord.js
 * ```ts
 * import { Client, GatewayIntentBits } from 'discord.js';
 * import { discordJs, FileSessionStore, Manager } from 'lavathread';
 *
 * const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates] });
 * const connector = discordJs(client);
 * const manager = new Manager([{ id: 'main', host: 'localhost', port: 2333, password: 'youshallnotpass' }], {
 *   send: connector.send,
 *   sessionStore: new FileSessionStore('./lavalink-sessions.json'), // players survive a restart
 * });
 * connector.attach(manager); // raw voice events in; init(user id) once the client is ready
 * ```
 *
 * @example Any other gateway library
 * ```ts
 * const manager = new Manager(nodes, { send: (guildId, payload) => gateway.shardFor(guildId).send(payload) });
 * gateway.on('dispatch', (packet) => manager.handleRaw(packet));
 * manager.init(botUserId);
 * ```
 *
 * @example Join, search, play, and handle errors
 * ```ts
 * import { ErrorCode, LavalinkError } from 'lavathread';
 *
 * const player = manager.create(guildId);
 * try {
 *   await player.connect(voiceChannelId, { selfDeaf: true });
 * } catch (error) {
 *   if (error instanceof LavalinkError && error.code === ErrorCode.VoiceTimeout) return reply('Could not join your channel.');
 *   throw error;
 * }
 * const result = await manager.search('never gonna give you up');
 * if (result.loadType === 'search') await player.play(result.tracks[0]!);
 * manager.on('trackStart', (player, track) => announce(player.guildId, `Now playing ${track.info.title}`));
 * ```
 */
export class Manager extends EventEmitter<ManagerEvents> {
  readonly #sockets = new SocketRegistry();
  /** Sockets by node id. A socket that stopped for good (a refused password) leaves this map. */
  readonly sockets: Map<string, Socket> = this.#sockets.live;
  readonly #players = new PlayerRegistry(this, () => this.#failover);
  /** Players by guild id. */
  readonly players: Map<string, Player> = this.#players.map;
  /** The options as checked, with every default filled in. */
  readonly options: ResolvedManagerOptions;
  /** The bot's user id, from the options or `init()`. */
  userId: string | undefined;

  readonly #readiness: NodeReadiness;
  readonly #failover: Failover;
  readonly #router: EventRouter;
  readonly #keeper: SessionKeeper | null;
  /** The `debug` event, fed from the diagnostics channel while it has listeners. */
  readonly #debug: { stop(): void };
  #metrics: MetricsCollector | null = null;
  #transport: Transport | null = null;
  #closed = false;

  constructor(nodes: readonly SocketData[], options: ManagerOptions) {
    super();
    if (!Array.isArray(nodes)) throw new InvalidOptionError('nodes', 'an array of nodes ({id, host, port, password})', nodes);
    this.options = resolveManagerOptions(options);
    this.userId = this.options.userId;
    this.#debug = debugSubscriber(this);
    const debug = (message: string): void => publishDebug(this, null, message);
    const driverOf = (player: Player): PlayerDriver | undefined => this.#players.driverOf(player);
    this.#readiness = new NodeReadiness({
      handles: () => this.#sockets.all(),
      live: () => this.sockets.size,
      ideal: () => this.ideal[0],
      timeoutMs: this.options.readyTimeout,
    });
    this.#failover = new Failover({
      players: () => this.players.values(),
      ready: () => this.ideal,
      driverOf,
      isCurrent: (player) => this.players.get(player.guildId) === player,
      debug,
      resolver: this.options.nodeResolver,
    });
    this.#router = new EventRouter({
      emitter: this,
      players: this.#players.map,
      socket: (id) => this.#sockets.known(id),
      socketDriver: (socket) => this.#sockets.driverOf(socket),
      playerDriver: driverOf,
      unclaimed: (socket, event) => this.#keeper?.hold(socket, event),
      updatePlayer,
    });
    const store = this.options.sessionStore;
    this.#keeper = store
      ? new SessionKeeper({
          store,
          sockets: () => this.sockets.values(),
          players: () => this.players.values(),
          socketDriver: (socket) => this.#sockets.driverOf(socket),
          driverOf,
          adoptPlayer: (socket, guildId) => (this.players.has(guildId) ? null : this.#players.add(socket, guildId, true)),
          // A stored track is never '' (the keeper asks only for set ones): there is always a Track.
          decode: (encoded) => this.decode(encoded).catch(() => trackFromEncoded(encoded)!),
          restore: (players) => this.#failover.restoreAll(players),
          socketError: (socket, error) => this.emit('socketError', socket, error),
          storeError: (error) => this.emit('sessionStoreError', error),
          debug,
        })
      : null;
    registerHub(this, {
      options: this.options,
      emitter: this,
      transport: () => this.#getTransport(),
      userId: () => this.userId,
      attachSocket: (socket, driver) => this.#sockets.attach(socket, driver),
      attachPlayer: (player, driver) => this.#players.attach(player, driver),
      socketDriver: (socket) => (this.#sockets.owns(socket) ? this.#sockets.driverOf(socket) : undefined),
      sessionReady: (socket, resumed, hadSession) => {
        this.#readiness.sessionReady();
        this.#keeper?.sessionReady(socket, resumed);
        this.#failover.sessionReady(socket, resumed, hadSession);
      },
      connectionLost: (socket, decision) => this.#failover.connectionLost(socket, decision === 'failover'),
      socketGone: (socket, final, error) => this.#onSocketGone(socket, final, error),
      playerMoved: () => this.#failover.invalidate(),
      playerDestroyed: (player, reason) => this.#players.destroyed(player, reason),
    });
    this.#sockets.create(this, nodes);
  }

  /** `'worker'` or `'inline'` (`workers: 0`). */
  get transportKind(): 'worker' | 'inline' {
    return this.options.workers === 0 ? 'inline' : 'worker';
  }

  /** Sockets that can take players, least loaded first (by `penalties`); unready ones are left out. */
  get ideal(): Socket[] {
    return this.#sockets.ideal();
  }

  /** Connects every socket (after taking the stored sessions back, with a session store). */
  init(userId: string | undefined = this.userId): this {
    this.#assertOpen();
    if (typeof userId !== 'string' || !/^\d{1,20}$/.test(userId)) {
      throw new InvalidOptionError('userId', 'the bot user id (a string of digits), given to init() or in the options', userId);
    }
    this.userId = userId;
    const connect = (): void => {
      for (const socket of this.sockets.values()) socket.connect(userId);
    };
    if (this.#keeper) void this.#keeper.load(() => this.#closed).then((open) => open && connect());
    else connect();
    return this;
  }

  /**
   * One reading of the Lavalink side: per node, per worker thread, the main thread, the event
   * traffic (rates since the previous reading). See {@link ManagerMetrics}; `lavathread/prometheus` exports it.
   */
  async metrics(): Promise<ManagerMetrics> {
    this.#assertOpen();
    this.#metrics ??= new MetricsCollector({
      transport: this.transportKind,
      sockets: () => [...this.#sockets.all()].map((socket) => ({ socket, stopped: this.#readiness.isStopped(socket), link: this.#sockets.driverOf(socket)?.link() ?? null })),
      players: () => this.players.values(),
      traffic: () => this.#transport?.traffic ?? null,
    });
    return this.#metrics.read();
  }

  /** Writes the session store now (it is also kept up to date every second, and on close). */
  async saveSessions(): Promise<void> {
    await this.#keeper?.save();
  }

  /** The guild's player, made if there is none yet: on `socket`, else on the ideal node (with `{ region }`, one serving it first; see Failover.choose). */
  create(guild: string | { id: string }, where?: Socket | { readonly region?: string | null }): Player {
    this.#assertOpen();
    const guildId = guildIdOf(guild);
    const { socket, region } = readArgument('socket', 'a Socket of this manager, or { region }', () => placementOf(where, (s) => this.#sockets.owns(s)));
    const existing = this.players.get(guildId);
    if (existing) return existing;
    const target = socket ?? this.#failover.choose({ guildId, player: null, reason: 'create', region }) ?? [...this.sockets.values()][0];
    if (!target) throw new NoNodeError(`No node to create a player on: ${this.#readiness.describe()}`);
    return this.#players.add(target, guildId, false, region);
  }

  /** The guild's player, or undefined when it has none. */
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

  /** Routes a raw gateway packet: VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE; ignores the rest. */
  handleRaw(packet: unknown): void {
    if (typeof packet !== 'object' || packet === null) return;
    const { t, d } = readArgument('packet', 'a gateway packet ({ t, d })', () => ({ t: (packet as { t?: unknown }).t, d: (packet as { d?: unknown }).d }));
    if (t === 'VOICE_STATE_UPDATE') this.stateUpdate(d as VoiceStateUpdate);
    else if (t === 'VOICE_SERVER_UPDATE') this.serverUpdate(d as VoiceServerUpdate);
  }

  /** VOICE_STATE_UPDATE: only the bot's own state in a guild with a player counts. */
  stateUpdate(update: VoiceStateUpdate): void {
    const state = readVoiceState(update, this.userId);
    const player = state && this.players.get(state.guildId);
    if (player) this.#players.driverOf(player)?.voiceState(state.channelId, state.sessionId);
  }

  /** VOICE_SERVER_UPDATE for a guild with a player. */
  serverUpdate(update: VoiceServerUpdate): void {
    const server = readVoiceServer(update);
    const player = server && this.players.get(server.guildId);
    if (player) this.#players.driverOf(player)?.voiceServer(server.token, server.endpoint);
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
  async decode(input: string | readonly string[], options?: { rest?: boolean } | null): Promise<Track | Track[]> {
    return decodeWith(input, options, {
      // Long lists are decoded on a worker (not inline, nor before one runs).
      offThread: async (list) => {
        const socket = this.options.workers === 0 ? undefined : [...this.sockets.values()][0];
        return socket ? (this.#sockets.driverOf(socket)?.decode(list) ?? null) : null;
      },
      node: () => this.#readySocket(),
    });
  }

  /** LavaSearch through the ideal node: see `SocketRest.loadSearch`. */
  async loadSearch(query: string, options?: LoadSearchOptions | null): Promise<SearchResult> {
    return (await this.#readySocket()).rest.loadSearch(query, options);
  }

  /** LavaLyrics through the ideal node: a track's lyrics, null when there are none (see `SocketRest.lyrics`). */
  async lyrics(track: string | Track, options?: LyricsOptions | null): Promise<Lyrics | null> {
    return (await this.#readySocket()).rest.lyrics(track, options);
  }

  /** Closes every socket, then releases every worker, port and timer. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#keeper?.stop();
    // What a restarted process needs to resume, written before the sockets go.
    await this.saveSessions().catch((error: unknown) => publishDebug(this, null, `the session store could not be written: ${String(error)}`));
    this.#closed = true;
    this.#readiness.fail(new LavalinkError(ErrorCode.ManagerClosed, 'The manager was closed'));
    await Promise.all([...this.#sockets.drivers()].map((driver) => driver.close()));
    await this.#keeper?.release(); // the next process may take the sessions now: they wait on their nodes
    this.sockets.clear();
    this.#players.clear();
    this.#failover.close();
    await this.#transport?.close();
    this.#transport = null;
    this.#debug.stop();
    this.#metrics?.stop();
  }

  #assertOpen(): void {
    if (this.#closed) throw new LavalinkError(ErrorCode.ManagerClosed, 'The manager is closed');
  }

  /** The ideal ready socket; waits up to `readyTimeout` for one (right after init(), during an outage). */
  async #readySocket(): Promise<Socket> {
    const ready = this.ideal[0];
    if (ready) return ready;
    this.#assertOpen();
    return this.#readiness.readySocket();
  }

  #getTransport(): Transport {
    this.#assertOpen();
    this.#transport ??= createTransport(this.options.workers, (events) => this.#router.route(events), this.options.workerFile, (events, bytes) => publishBatch(this, events, bytes));
    return this.#transport;
  }

  /** The node is gone (for good, when `final`): its players move to the ideal remaining node. */
  #onSocketGone(socket: Socket, final: boolean, error: LavalinkError | null): void {
    if (final) {
      this.sockets.delete(socket.id);
      this.#readiness.stopped(socket, error);
    }
    this.#failover.socketGone(socket);
  }
}
