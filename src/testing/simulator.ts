/**
 * LavalinkSimulator: a Lavalink server for tests and benchmarks, faithful to the wire protocol
 * for v4 (4.0, 4.2) and v3 (3.3, 3.7), with fault switches and full inspection. The
 * `nodelink` flavour and the quirks (quirks.ts) make it behave like servers that are not Lavalink.
 *
 * @example
 * const sim = new LavalinkSimulator({ protocol: 4, playerUpdateIntervalMs: 100 });
 * await sim.start();
 * // connect a client to sim.wsUrl with `Authorization: youshallnotpass`...
 * await sim.close();
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { Catalogue } from './catalogue.js';
import { control, CONTROL_PREFIX } from './control.js';
import type { Dialect, StatsView } from './dialect.js';
import { v3Dialect } from './dialect-v3.js';
import { v4Dialect } from './dialect-v4.js';
import { flood, type FloodOptions, type FloodResult } from './flood.js';
import { Heartbeat, type HeartbeatOptions } from './heartbeat.js';
import { changeTrack, traffic, type TrafficOptions, type TrafficResult } from './traffic.js';
import { errorBody, HttpError, writeReply, type Reply } from './http-reply.js';
import { parseJson, readBody } from './request-body.js';
import { infoBody } from './identity.js';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from './options.js';
import type { Quirks } from './quirks.js';
import { filterNames } from './player-patch.js';
import { pluginRoutes } from './plugin-routes.js';
import { SimPlugins } from './plugins.js';
import { releases, type Release } from './release.js';
import { RoutePlanner } from './route-planner.js';
import { buildRoutes, type Route } from './routes.js';
import { SimSession, type SessionOwner } from './session.js';
import type { SimPlayer } from './sim-player.js';
import { applyV3Op } from './socket-ops-v3.js';
import type { NodeLoad, SimTrack, VoiceState } from './types.js';
import { InvalidOptionError } from '../errors.js';
import { connectionOf, type ClientConnection } from './connection-ids.js';

/** A REST request as the simulator received it. The password itself is never kept. */
export interface RecordedRequest {
  /** When it arrived, epoch ms. */
  readonly at: number;
  /** HTTP method. */
  readonly method: string;
  /** Path, without the query. */
  readonly path: string;
  /** Query parameters. */
  readonly query: Readonly<Record<string, string>>;
  /** Request headers, minus `authorization`. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Whether the `Authorization` header matched the password, did not, or was absent. */
  readonly authorization: 'valid' | 'invalid' | 'missing';
  /** The parsed JSON body; the text when it was not JSON; undefined without one. */
  readonly body: unknown;
  /** The status the simulator answered with. */
  readonly status: number;
  /** The TCP connection it came on. */
  readonly connection: ClientConnection;
}

/** A frame a client sent on its WebSocket. `data` is the parsed JSON, or `null` when it was not. */
export interface RecordedFrame {
  /** When it arrived, epoch ms. */
  readonly at: number;
  /** The session whose WebSocket carried it. */
  readonly sessionId: string;
  /** The frame as sent. */
  readonly raw: string;
  /** Whether it was a binary frame. */
  readonly binary: boolean;
  /** The parsed JSON; null when it was not JSON. */
  readonly data: unknown;
  /** The frame changed something (v3 op applied); false for ignored or malformed frames. */
  readonly applied: boolean;
  /** The WebSocket's TCP connection (its handshake has the same one). */
  readonly connection: ClientConnection;
}

/** A WebSocket handshake: its headers (minus `authorization`) and how it was answered. */
export interface RecordedHandshake {
  /** When it arrived, epoch ms. */
  readonly at: number;
  /** The path asked for (`/v4/websocket`, `/`). */
  readonly path: string;
  /** Request headers, minus `authorization`. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Whether the `Authorization` header matched the password, did not, or was absent. */
  readonly authorization: 'valid' | 'invalid' | 'missing';
  /** 101 when upgraded, else the HTTP status of the refusal. */
  readonly status: number;
  /** The session it opened or resumed; null when refused. */
  readonly sessionId: string | null;
  /** Whether it resumed a session. */
  readonly resumed: boolean;
  /** The TCP connection it came on. */
  readonly connection: ClientConnection;
}

/** A session as the simulator holds it, from `sim.sessions()`. */
export interface SimulatorSession {
  /** The session id. */
  readonly id: string;
  /** `open` with a client on it, `paused` while it waits for a resume, `closed` once gone. */
  readonly state: 'open' | 'paused' | 'closed';
  /** The `User-Id` the client sent. */
  readonly userId: string;
  /** The `Client-Name` the client sent; null without one. */
  readonly clientName: string | null;
  /** Whether the session waits for a resume when its WebSocket drops. */
  readonly resumable: boolean;
  /** The v3 resume key set by `configureResuming`; null on v4 or when none is set. */
  readonly resumeKey: string | null;
  /** How long the session waits for a resume, seconds. */
  readonly timeout: number;
  /** Players in the session. */
  readonly players: number;
  /** Frames waiting to be replayed on resume. */
  readonly queued: number;
}

/** A player as the simulator sees it, from `sim.players()`: what the server thinks it is doing. */
export interface PlayerSnapshot {
  /** The session it belongs to. */
  readonly sessionId: string;
  /** Its guild. */
  readonly guildId: string;
  /** The track it plays; null when none. */
  readonly track: {
    /** The encoded track. */
    readonly encoded: string;
    /** The track's title. */
    readonly title: string;
    /** The track's identifier. */
    readonly identifier: string;
    /** Its length, ms. */
    readonly length: number;
    /** What the client attached to it (v4). */
    readonly userData: Record<string, unknown>;
  } | null;
  /** Position in the track, ms, at the time of the snapshot. */
  readonly position: number;
  /** Whether a track plays and is not paused. */
  readonly playing: boolean;
  /** Whether it is paused. */
  readonly paused: boolean;
  /** Volume, 0 to 1000. */
  readonly volume: number;
  /** The filters set, as the client sent them. */
  readonly filters: Record<string, unknown>;
  /** The voice credentials the client gave; null before any. */
  readonly voice: VoiceState | null;
  /** Whether the simulated voice connection is up. */
  readonly voiceConnected: boolean;
  /** Where the track stops, ms; null when it plays to its end. */
  readonly endTime: number | null;
}

/** How `dropConnections()` closes the clients' WebSockets. */
export interface DropOptions {
  /** Close code sent to clients (ignored when `abrupt`). @default 1001 */
  readonly code?: number;
  /** Close reason sent to clients (ignored when `abrupt`). */
  readonly reason?: string;
  /** Destroy the TCP connections without a close frame (clients see 1006). @default false */
  readonly abrupt?: boolean;
}

/** How `failRest()` answers. */
export interface RestFault {
  /** Status to answer with. @default 500 */
  readonly status?: number;
  /** How many requests to fail; the rest are served again. @default Infinity */
  readonly count?: number;
  /** A non-JSON body (an HTML error page from a proxy, say); else Lavalink's error JSON. */
  readonly body?: string;
}

/** How `restart()` behaves. */
export interface RestartOptions {
  /** How long the node refuses connections before it is back. @default 0 */
  readonly downMs?: number;
  /** Keep resumable sessions, as if only the network blipped. @default false (a real restart loses them) */
  readonly keepSessions?: boolean;
}

/** The simulator's events (it is an EventEmitter), for watching what a client does. */
export interface SimulatorEvents {
  /** A REST request arrived. */
  request: [request: RecordedRequest];
  /** A client sent a WebSocket frame. */
  frame: [frame: RecordedFrame];
  /** A WebSocket handshake was answered. */
  handshake: [handshake: RecordedHandshake];
  /** A session opened. */
  sessionOpen: [sessionId: string];
  /** A session was resumed. */
  sessionResumed: [sessionId: string];
  /** A session's WebSocket closed (the session may wait for a resume). */
  sessionDisconnect: [sessionId: string, code: number];
  /** A session is gone with its players. */
  sessionEnd: [sessionId: string];
}

const FLOOD_LIMITS = { rate: 1_000_000, guilds: 100_000, durationMs: 600_000 };

/**
 * A Lavalink server (v4 or v3) on 127.0.0.1 for a bot's own tests: it plays tracks on the clock,
 * sends the events and updates a real node sends, records what a client did, and has switches
 * for the faults a bot must survive.
 *
 * @example A bot's test against it
 * ```ts
 * import { Manager } from 'lavathread';
 * import { LavalinkSimulator } from 'lavathread/testing';
 *
 * const sim = new LavalinkSimulator({ protocol: 4, playerUpdateIntervalMs: 100 });
 * await sim.start(); // a free port on 127.0.0.1
 * const manager = new Manager([{ id: 'sim', host: '127.0.0.1', port: sim.port, password: 'youshallnotpass' }], { send: () => {} });
 * manager.init('123456789012345678');
 * await manager.sockets.get('sim')!.onReady();
 * const result = await manager.search('never gonna give you up'); // the simulator's catalogue answers
 * sim.dropConnections({ abrupt: true }); // a fault: the socket reconnects and resumes
 * await manager.close();
 * await sim.close();
 * ```
 */
export class LavalinkSimulator extends EventEmitter<SimulatorEvents> implements SessionOwner {
  /** The options as resolved, defaults filled in. @internal */
  readonly options: ResolvedOptions;
  /** The release it behaves as (4.2, 4.0, 3.7, 3.3). @internal */
  readonly release: Release;
  /** How the release spells its frames and REST answers. @internal */
  readonly dialect: Dialect;
  /** The tracks it can load. @internal */
  readonly catalogue: Catalogue;
  /** The route planner; null when `routePlanner` is off. @internal */
  readonly routePlanner: RoutePlanner | null;
  /** Every REST request received, oldest first (the password is never kept). */
  readonly requests: RecordedRequest[] = [];
  /** Every WebSocket frame clients sent, oldest first (kept when `record` is on). */
  readonly frames: RecordedFrame[] = [];
  /** Every WebSocket handshake, oldest first. */
  readonly handshakes: RecordedHandshake[] = [];

  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #routes: Route[];
  readonly #plugins: SimPlugins;
  readonly #sessions = new Map<string, SimSession>();
  readonly #sockets = new Set<Socket>();
  readonly #held = new Set<Duplex>();
  readonly #resumedRequests = new WeakMap<IncomingMessage, boolean>();
  readonly #startedAt = Date.now();
  #load: NodeLoad = { cores: availableParallelism(), systemLoad: 0.1, lavalinkLoad: 0.02 };
  #heartbeat: Heartbeat | null = null;
  #silent = false;
  #refuseUntil = 0;
  #restDelayMs = 0;
  #restFault: { status: number; count: number; body?: string } = { status: 500, count: 0 };
  #port = 0;
  #closed = false;
  /** Aborted by close(): ends the waits (flood, REST delay) that would otherwise outlive the simulator. */
  readonly #closing = new AbortController();

  constructor(options: SimulatorOptions = {}) {
    super();
    this.options = resolveOptions(options);
    this.release = releases[this.options.release];
    this.dialect = this.release.protocol === 4 ? v4Dialect(this.release) : v3Dialect(this.release);
    this.#plugins = new SimPlugins(this.options.plugins);
    const { unknownLengths, probelessLocalTracks: probeless } = this.options.quirks;
    this.catalogue = new Catalogue(this.release.protocol === 4 ? 3 : 2, this.options.tracks, { unknownLengths, probeless }, this.#plugins.sources);
    this.routePlanner = this.options.routePlanner ? new RoutePlanner() : null;
    this.#routes = [...buildRoutes(this), ...pluginRoutes(this, this.#plugins)];
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      // A bug in a route must not take the server down: answer 500 and carry on.
      this.#onRequest(req, res).catch((error: unknown) => {
        if (!res.headersSent) writeReply(res, { status: 500, json: errorBody(500, String(error), req.url ?? '/', false, this.quirks.traceOnlyErrors) }, this.release.protocol);
        else res.destroy();
      });
    };
    const tls = this.options.tls;
    this.#server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, onRequest) : createServer(onRequest);
    // Plain TCP connections (before any TLS handshake) are what the refuse fault resets.
    this.#server.on('connection', (socket: Socket) => this.#onConnection(socket));
    this.#server.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket, head));
    // Pongs are answered by hand so the go-silent fault can stop them.
    this.#wss = new WebSocketServer({ noServer: true, autoPong: false, clientTracking: true });
    this.#wss.on('headers', (headers, req) => {
      headers.push(`Session-Resumed: ${this.#resumedRequests.get(req) === true}`, `Lavalink-Api-Version: ${this.release.protocol}`);
    });
  }

  // ------------------------------------------------------------------ lifecycle

  /** Starts listening; resolves with the HTTP base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.options.port, this.options.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    if (this.options.heartbeat) this.setHeartbeat(this.options.heartbeat);
    return this.url;
  }

  /** Stops everything: sessions, timers, connections, the listener. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    this.#heartbeat?.stop();
    for (const session of [...this.#sessions.values()]) session.end();
    for (const ws of this.#wss.clients) ws.terminate();
    for (const held of this.#held) held.destroy();
    for (const socket of this.#sockets) socket.destroy();
    this.#wss.close();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The port it listens on (known once `start()` resolved). */
  get port(): number {
    return this.#port;
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://${this.options.host}:${this.#port}`;
  }

  /** The WebSocket URL a client of this release connects to. */
  get wsUrl(): string {
    return `${this.options.tls ? 'wss' : 'ws'}://${this.options.host}:${this.#port}${this.release.protocol === 4 ? '/v4/websocket' : '/'}`;
  }

  get silent(): boolean {
    return this.#silent;
  }

  /** The quirks in force (the flavour's, then those set one by one). */
  get quirks(): Readonly<Quirks> {
    return this.options.quirks;
  }

  /** ms between a playing player's `playerUpdate`s. */
  get playerUpdateIntervalMs(): number {
    return this.options.playerUpdateIntervalMs;
  }

  /** ms between `stats` frames. */
  get statsIntervalMs(): number {
    return this.options.statsIntervalMs;
  }

  /** Clients currently connected over WebSocket. */
  get connectionCount(): number {
    return this.#wss.clients.size;
  }

  /** Connections held unanswered by the go-silent fault (those the client closed are not counted). */
  get heldConnections(): number {
    return this.#held.size;
  }

  // ------------------------------------------------------------------ inspection

  /** Every session, open, paused or closed. */
  sessions(): SimulatorSession[] {
    return [...this.#sessions.values()].map((s) => ({
      id: s.id,
      state: s.state,
      userId: s.userId,
      clientName: s.clientName,
      resumable: s.resumable,
      resumeKey: s.resumeKey,
      timeout: s.timeout,
      players: s.players.size,
      queued: s.queue.length,
    }));
  }

  /** Every player on the node, or those of one session. */
  players(sessionId?: string): PlayerSnapshot[] {
    const out: PlayerSnapshot[] = [];
    for (const session of this.#sessions.values()) {
      if (sessionId !== undefined && session.id !== sessionId) continue;
      for (const p of session.players.values()) out.push(snapshot(session.id, p));
    }
    return out;
  }

  /** Forgets recorded requests, frames and handshakes. */
  clearRecords(): void {
    this.requests.length = 0;
    this.frames.length = 0;
    this.handshakes.length = 0;
  }

  // ------------------------------------------------------------------ fault switches

  /** Closes every client connection; resumable sessions then wait for their clients. */
  dropConnections(options: DropOptions = {}): number {
    const clients = [...this.#wss.clients];
    for (const ws of clients) {
      if (options.abrupt) ws.terminate();
      else ws.close(options.code ?? 1001, options.reason ?? 'Dropped by simulator');
    }
    return clients.length;
  }

  /**
   * Half-open: TCP stays up but the node sends nothing, answers no ping and no REST request.
   * Requests and frames that arrive meanwhile are lost, as on a dead network.
   */
  goSilent(): void {
    this.#silent = true;
  }

  /** Ends the silence; requests held during it are dropped, never answered late. */
  wake(): void {
    this.#silent = false;
    for (const held of this.#held) held.destroy();
    this.#held.clear();
  }

  /** New TCP connections are reset for `durationMs` (existing ones stay). */
  refuseConnections(durationMs: number): void {
    this.#refuseUntil = Date.now() + checkMs('durationMs', durationMs);
  }

  /** Accepts connections again after `refuseConnections()`. */
  acceptConnections(): void {
    this.#refuseUntil = 0;
  }

  /** Every REST answer waits this long (0 to stop). */
  delayRest(ms: number): void {
    this.#restDelayMs = ms === 0 ? 0 : checkMs('ms', ms);
  }

  /** Answers the next `count` REST requests with an error status, without applying them. */
  failRest(fault: RestFault = {}): void {
    const status = fault.status ?? 500;
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new InvalidOptionError('status', 'an HTTP error status from 400 to 599', status);
    this.#restFault = { status, count: fault.count ?? Infinity, ...(fault.body !== undefined ? { body: fault.body } : {}) };
  }

  /** Ends `delayRest()` and `failRest()`: REST is served normally again. */
  clearRestFaults(): void {
    this.#restDelayMs = 0;
    this.#restFault = { status: 500, count: 0 };
  }

  /** Sends a raw frame (malformed JSON, an unknown op, binary) to every client or one session. */
  sendRaw(data: string | Uint8Array, options: { binary?: boolean; sessionId?: string } = {}): number {
    let sent = 0;
    for (const session of this.#sessions.values()) {
      if (options.sessionId !== undefined && session.id !== options.sessionId) continue;
      const ws = session.ws;
      if (session.state !== 'open' || !ws || this.#silent) continue;
      ws.send(data, { binary: options.binary ?? typeof data !== 'string' });
      sent++;
    }
    return sent;
  }

  /** Floods `playerUpdate`s (and track events, `eventEvery`) to every open session (or one); resolves when done. */
  flood(options: FloodOptions & { sessionId?: string }): Promise<FloodResult> {
    for (const [name, max] of Object.entries(FLOOD_LIMITS)) {
      const value = (options as unknown as Record<string, unknown>)[name];
      if (typeof value !== 'number' || !(value >= 1 && value <= max)) throw new InvalidOptionError(name, `a number from 1 to ${max}`, value);
    }
    if (options.guildIds && options.guildIds.length !== options.guilds) {
      throw new InvalidOptionError('guildIds', `an array of ${options.guilds} ids`, options.guildIds.length);
    }
    const eventEvery = options.eventEvery ?? 0;
    if (!Number.isInteger(eventEvery) || eventEvery < 0 || eventEvery > FLOOD_LIMITS.rate) {
      throw new InvalidOptionError('eventEvery', `a whole number from 0 to ${FLOOD_LIMITS.rate}`, options.eventEvery);
    }
    const pick = (): SimSession[] => [...this.#sessions.values()].filter((s) => options.sessionId === undefined || s.id === options.sessionId);
    const wire = { fullState: this.release.fullPlayerState, dialect: this.dialect, track: (uri: string) => this.catalogue.madeUp('Flood', 180_000, uri) };
    return flood(pick, options, wire, this.#closing.signal);
  }

  /**
   * Realistic traffic to the players this node holds (traffic.ts): a playerUpdate each per
   * `updateIntervalMs`, a track change each per `trackMs`; answers what went to each guild.
   */
  traffic(options: TrafficOptions): Promise<TrafficResult> {
    const limits = { durationMs: [1, FLOOD_LIMITS.durationMs], updateIntervalMs: [1, 3_600_000], trackMs: [1, 86_400_000] } as const;
    for (const [name, [min, max]] of Object.entries(limits)) {
      const value = (options as unknown as Record<string, unknown>)[name];
      if (value === undefined && name !== 'durationMs') continue;
      if (typeof value !== 'number' || !(value >= min && value <= max)) throw new InvalidOptionError(name, `a number from ${min} to ${max}`, value);
    }
    return traffic([...this.#sessions.values()], this.#changeTrack(options.trackMs ?? 180_000), options, this.#closing.signal);
  }

  /**
   * A track change now (TrackEndEvent then TrackStartEvent) for each guild that has a player here.
   * Events of a session waiting for a resume are queued, as any event is. Answers how many guilds
   * had a player, and which did not.
   */
  changeTracks(guildIds: readonly string[]): {
    /** Guilds whose track was changed. */
    changed: number;
    /** Guilds given that had no player. */
    missing: string[];
  } {
    if (!Array.isArray(guildIds) || !guildIds.every((id) => typeof id === 'string')) throw new InvalidOptionError('guildIds', 'an array of guild ids', guildIds);
    const track = this.#changeTrack(180_000);
    let changed = 0;
    const missing: string[] = [];
    for (const guildId of guildIds) {
      const session = [...this.#sessions.values()].find((s) => s.state !== 'closed' && s.players.has(guildId));
      if (!session) {
        missing.push(guildId);
        continue;
      }
      changeTrack(session, session.players.get(guildId)!, track);
      changed++;
    }
    return { changed, missing };
  }

  /** The made-up track the traffic plays: `lengthMs` long, encoded as this release writes. */
  #changeTrack(lengthMs: number): SimTrack {
    const result = this.catalogue.load(`sim:track?length=${Math.round(lengthMs)}&title=Traffic`);
    if (result.kind !== 'track') throw new InvalidOptionError('trackMs', 'a positive whole number of ms', lengthMs);
    return result.track;
  }

  /** Pings clients every `intervalMs` and drops those that miss a pong for `timeoutMs`; null turns it off. */
  setHeartbeat(options: HeartbeatOptions | null): void {
    this.#heartbeat?.stop();
    this.#heartbeat = null;
    // A closed simulator starts no timers: nothing would ever stop them.
    if (!options || this.#closed) return;
    this.#heartbeat = new Heartbeat(
      { intervalMs: checkMs('intervalMs', options.intervalMs), timeoutMs: checkMs('timeoutMs', options.timeoutMs) },
      () => this.#wss.clients,
      () => this.#silent,
    );
  }

  /** Clients dropped so far for a missed pong. */
  get heartbeatDrops(): number {
    return this.#heartbeat?.dropped ?? 0;
  }

  /** A node restart: connections die abruptly, the node is down for `downMs`, sessions are lost unless kept. */
  restart(options: RestartOptions = {}): void {
    this.dropConnections({ abrupt: true });
    if (!options.keepSessions) for (const session of [...this.#sessions.values()]) session.end();
    for (const socket of this.#sockets) socket.destroy();
    if (options.downMs) this.refuseConnections(options.downMs);
  }

  /** Overrides the CPU and frame figures reported in stats (for node-selection tests). */
  setNodeLoad(load: Partial<NodeLoad>): void {
    this.#load = { ...this.#load, ...load };
  }

  /** Discord closed a player's voice WebSocket: WebSocketClosedEvent with this code. */
  closeVoice(guildId: string, code: number, reason = 'Disconnected', byRemote = true): boolean {
    return this.#withPlayer(guildId, (p) => p.closeVoice(code, reason, byRemote));
  }

  /**
   * Sends `{op: 'event', type, guildId, ...fields}` (a plugin's event, or one no server sends) to
   * every session with a player for the guild; a session waiting for a resume queues it. `fields`
   * cannot replace `op`, `type` or `guildId`. Answers how many sessions it went to.
   */
  sendPlayerEvent(guildId: string, type: string, fields: Readonly<Record<string, unknown>> = {}): number {
    if (typeof guildId !== 'string' || guildId === '') throw new InvalidOptionError('guildId', 'a non-empty string', guildId);
    if (typeof type !== 'string' || type === '') throw new InvalidOptionError('type', 'a non-empty string', type);
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new InvalidOptionError('fields', 'an object', fields);
    let sent = 0;
    for (const session of this.#sessions.values()) {
      if (!session.players.has(guildId) || session.state === 'closed' || (session.state === 'open' && this.#silent)) continue;
      session.sendPlayerEvent(guildId, type, fields);
      sent++;
    }
    return sent;
  }

  /** The player's track gets stuck: TrackStuckEvent. */
  stickTrack(guildId: string, thresholdMs = 10_000): boolean {
    return this.#withPlayer(guildId, (p) => p.stuck(thresholdMs));
  }

  /**
   * The player's track finishes now, as if it reached its end: TrackEndEvent `finished` (a
   * session waiting for a resume queues it, as Lavalink does). Answers whether the guild had a player.
   */
  finishTrack(guildId: string): boolean {
    return this.#withPlayer(guildId, (p) => p.finish());
  }

  /**
   * The node destroys the guild's player by itself, as a node that cleans players up does: a
   * TrackEndEvent `stopped` if it played (a session waiting for a resume queues it), and the
   * player is no longer listed. Answers whether a session had one.
   */
  dropPlayer(guildId: string): boolean {
    const session = [...this.#sessions.values()].find((s) => s.state !== 'closed' && s.players.has(guildId));
    session?.destroyPlayer(guildId);
    return session !== undefined;
  }

  /** The player's track fails: TrackExceptionEvent then TrackEndEvent `loadFailed`. */
  failTrack(guildId: string, message = 'Simulated playback failure'): boolean {
    return this.#withPlayer(guildId, (p) => p.fail(message));
  }

  // ------------------------------------------------------------------ SessionOwner / RouteHost

  /** Filters the server config disables. @internal */
  get disabledFilters(): ReadonlySet<string> {
    return this.options.disabledFilters;
  }

  /** The session of that id, for a resuming client. @internal */
  openSession(id: string): SimSession | undefined {
    const session = this.#sessions.get(id);
    return session?.state === 'open' ? session : undefined;
  }

  /** Node-wide stats; frame stats are per session, so only `stats(session)` carries them. @internal */
  nodeStats(): StatsView {
    return { ...this.stats(null), frameStats: null };
  }

  /** The stats frame for a session (null: for `GET /stats`). @internal */
  stats(session: SimSession | null): StatsView {
    let players = 0;
    let playingPlayers = 0;
    let sessionPlaying = 0;
    for (const s of this.#sessions.values()) {
      for (const p of s.players.values()) {
        players++;
        if (p.playing) {
          playingPlayers++;
          if (s === session) sessionPlaying++;
        }
      }
    }
    const memory = process.memoryUsage();
    const derived = sessionPlaying > 0 ? { sent: 3000, nulled: 0, deficit: 0 } : null;
    return {
      players: this.quirks.statsCountPlayingOnly ? playingPlayers : players,
      playingPlayers,
      uptime: Date.now() - this.#startedAt,
      memory: { free: memory.heapTotal - memory.heapUsed, used: memory.heapUsed, allocated: memory.heapTotal, reservable: 4 * 1024 ** 3 },
      cpu: { cores: this.#load.cores, systemLoad: this.#load.systemLoad, lavalinkLoad: this.#load.lavalinkLoad },
      frameStats: this.#load.frameStats !== undefined ? this.#load.frameStats : derived,
    };
  }

  /** The `/info` body. @internal */
  info(): Record<string, unknown> {
    return this.#plugins.info(infoBody(this.release, this.quirks, this.#startedAt, filterNames.filter((f) => !this.options.disabledFilters.has(f))));
  }

  /** A player started a track: the plugins this node serves add their events and cues. @internal */
  onTrackStart(session: SimSession, player: SimPlayer, track: SimTrack): void {
    this.#plugins.onTrackStart(session, player, track);
  }

  /** A session ended: forget it. @internal */
  onSessionEnded(session: SimSession): void {
    this.#sessions.delete(session.id);
    this.emit('sessionEnd', session.id);
  }

  // ------------------------------------------------------------------ connections

  #onConnection(socket: Socket): void {
    if (Date.now() < this.#refuseUntil) {
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  #authorization(req: IncomingMessage): RecordedRequest['authorization'] {
    const given = req.headers.authorization;
    if (given === undefined) return 'missing';
    return given === this.options.password ? 'valid' : 'invalid';
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node hands an upgrade socket over without its error handling: a client resetting a held or
    // refused socket would otherwise be an uncaught error that ends the process.
    socket.on('error', () => socket.destroy());
    if (this.#silent) return this.#hold(socket);
    const url = requestTarget(req);
    const path = url?.pathname ?? req.url ?? '/';
    const authorization = this.#authorization(req);
    const record = (status: number, sessionId: string | null, resumed: boolean): void => {
      const handshake: RecordedHandshake = { at: Date.now(), path, headers: withoutAuth(req.headers), authorization, status, sessionId, resumed, connection: connectionOf(req.socket) };
      if (this.options.record) this.handshakes.push(handshake);
      this.emit('handshake', handshake);
    };
    const refuse = (status: number): void => {
      record(status, null, false);
      socket.end(`HTTP/1.1 ${status} ${statusText(status)}\r\nLavalink-Api-Version: ${this.release.protocol}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };

    if (!url) return refuse(400); // a request target no URL parser reads, such as `//`
    if (!this.release.wsPaths.includes(path)) return refuse(404);
    if (authorization !== 'valid') return refuse(401);
    const userId = header(req, 'user-id');
    if (this.release.protocol === 4 && (!userId || userId === '0')) return refuse(400);
    if (this.release.protocol === 3 && userId === undefined) return refuse(this.release.name === '3.3' ? 500 : 400);
    if (this.release.requiresNumShards && !/^\d+$/.test(header(req, 'num-shards') ?? '')) return refuse(500);

    const target = this.#resumeTarget(req);
    this.#resumedRequests.set(req, target !== undefined);
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const session = target ?? new SimSession(this, ws, userId ?? '', header(req, 'client-name') ?? null);
      record(101, session.id, target !== undefined);
      this.#attach(session, ws, target !== undefined, connectionOf(req.socket));
    });
  }

  /** Holds a connection unanswered (go-silent) until wake() or close(), or until the client closes it. */
  #hold(socket: Duplex): void {
    if (this.#held.has(socket)) return;
    this.#held.add(socket);
    socket.once('close', () => this.#held.delete(socket));
  }

  /** The paused session a handshake asks for: v4 by `Session-Id`, v3 by `Resume-Key`. */
  #resumeTarget(req: IncomingMessage): SimSession | undefined {
    const wanted = this.release.protocol === 4 ? header(req, 'session-id') : header(req, 'resume-key');
    if (!wanted || this.quirks.noResuming) return undefined; // NodeLink ignores Session-Id
    for (const session of this.#sessions.values()) {
      if (session.state !== 'paused') continue;
      if (this.release.protocol === 4 ? session.id === wanted : session.resumeKey === wanted) return session;
    }
    return undefined;
  }

  #attach(session: SimSession, ws: WebSocket, resumed: boolean, connection: ClientConnection): void {
    ws.on('ping', (data) => {
      if (!this.#silent) ws.pong(data);
    });
    ws.on('pong', () => this.#heartbeat?.onPong(ws));
    ws.on('message', (data, binary) => this.#onFrame(session, data, binary, connection));
    ws.on('error', () => {}); // a close follows; the session reacts to that
    ws.on('close', (code) => {
      this.#heartbeat?.onPong(ws);
      if (session.ws !== ws) return; // replaced by a resume already
      this.#evictKey(session);
      // The disconnect comes first: detach() ends a non-resumable session, which emits sessionEnd.
      this.emit('sessionDisconnect', session.id, code);
      session.detach();
    });
    if (resumed) {
      session.resume(ws);
      this.emit('sessionResumed', session.id);
    } else {
      this.#sessions.set(session.id, session);
      session.open();
      this.emit('sessionOpen', session.id);
    }
  }

  /** v3: a session about to wait under a key shuts down any other session waiting under it. */
  #evictKey(session: SimSession): void {
    if (this.release.protocol !== 3 || session.resumeKey === null) return;
    for (const other of this.#sessions.values()) {
      if (other !== session && other.state === 'paused' && other.resumeKey === session.resumeKey) other.end();
    }
  }

  #onFrame(session: SimSession, data: RawData, binary: boolean, connection: ClientConnection): void {
    if (this.#silent) return;
    const raw = Buffer.isBuffer(data) ? data.toString() : Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data).toString();
    // Too deeply nested counts as unreadable, like malformed JSON: also kept out of the records.
    const parsed = binary ? null : (parseJson(raw)?.value ?? null);
    // v4 ignores client frames; v3 applies ops and drops what it cannot read. A session
    // that ended (close(), restart()) may still get frames ws had read already: applied, they would
    // create players whose timers nobody stops.
    const isOp = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    const applied = this.release.protocol === 3 && isOp && session.state === 'open' && this.#applyOp(session, parsed as Record<string, unknown>);
    const frame: RecordedFrame = { at: Date.now(), sessionId: session.id, raw, binary, data: parsed, applied, connection };
    if (this.options.record) this.frames.push(frame);
    this.emit('frame', frame);
  }

  /** A v3 op; one that throws is dropped, as 3.x logs a handler's exception and carries on. */
  #applyOp(session: SimSession, op: Record<string, unknown>): boolean {
    try {
      return applyV3Op(session, op, this);
    } catch {
      return false;
    }
  }

  // ------------------------------------------------------------------ REST

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestTarget(req);
    if (url && this.options.control && url.pathname.startsWith(CONTROL_PREFIX)) return this.#onControl(req, res, url);
    if (this.#silent) return this.#hold(req.socket);
    const authorization = this.#authorization(req);
    const path = url?.pathname ?? req.url ?? '/';
    let body: unknown;
    const finish = (reply: Reply): void => {
      const request: RecordedRequest = {
        at: Date.now(),
        method: req.method ?? 'GET',
        path,
        query: url ? Object.fromEntries(url.searchParams) : {},
        headers: withoutAuth(req.headers),
        authorization,
        body,
        status: reply.status,
        connection: connectionOf(req.socket),
      };
      if (this.options.record) this.requests.push(request);
      this.emit('request', request);
      writeReply(res, reply, this.release.protocol);
    };
    const fail = (status: number, message: string): void =>
      finish({ status, json: errorBody(status, message, path, url?.searchParams.get('trace') === 'true', this.quirks.traceOnlyErrors) });

    // Missing password → 401, wrong → 403, with no body, as Lavalink answers. Lavalink's auth filter runs
    // before anything reads the body, so a bad body never turns a 401 into a 400 or 413.
    if (authorization !== 'valid') return finish({ status: authorization === 'missing' ? 401 : 403, text: '' });
    if (!url) return fail(400, 'Invalid request target'); // `//`: no URL parser reads it

    const matching = this.#routes.filter((r) => r.pattern.test(url.pathname));
    const route = matching.find((r) => r.method === req.method);
    if (!route) return matching.length > 0 ? fail(405, 'Method Not Allowed') : fail(404, 'Not Found');
    let params: string[];
    try {
      params = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
    } catch {
      return fail(400, 'Invalid URI: malformed percent-encoding in the path');
    }

    const text = await readBody(req);
    if (route.readsBody) {
      if (text === null) return fail(413, 'Request body too large');
      if (text !== '') {
        const parsed = parseJson(text);
        body = parsed ? parsed.value : text;
        if (!parsed) return fail(400, 'Failed to read request');
      }
    } else if (text) {
      // Routes that take no body ignore it, whatever it is; it is still recorded.
      const parsed = parseJson(text);
      body = parsed ? parsed.value : text;
    }

    if (this.#restFault.count > 0) {
      this.#restFault.count--;
      const { status: faultStatus, body: faultBody } = this.#restFault;
      if (faultBody !== undefined) return finish({ status: faultStatus, text: faultBody, contentType: 'text/html' });
      return fail(faultStatus, 'Simulated server error');
    }
    if (this.#restDelayMs > 0) {
      // close() aborts the wait, so no timer outlives the simulator; the answer is then dropped.
      await sleep(this.#restDelayMs, undefined, { signal: this.#closing.signal }).catch(() => undefined);
    }
    if (this.#closed || res.destroyed) return;

    try {
      const reply = route.handle({ params, query: url.searchParams, body });
      finish(reply instanceof Promise ? await reply : reply); // a promise waits for a TrackStartEvent to be written
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      fail(error.status, error.message);
    }
  }

  async #onControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const authorization = this.#authorization(req);
    if (authorization !== 'valid') return writeReply(res, { status: authorization === 'missing' ? 401 : 403, text: '' }, this.release.protocol);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return writeReply(res, { status: 400, json: { code: 'BAD_JSON', message: 'The body is not JSON' } }, this.release.protocol);
    }
    writeReply(res, await control(this, req.method ?? 'GET', url.pathname, body), this.release.protocol);
  }

  #withPlayer(guildId: string, act: (player: SimPlayer) => void): boolean {
    for (const session of this.#sessions.values()) {
      const player = session.players.get(guildId);
      if (player) {
        act(player);
        return true;
      }
    }
    return false;
  }
}

function snapshot(sessionId: string, p: SimPlayer): PlayerSnapshot {
  const t = p.track;
  return {
    sessionId,
    guildId: p.guildId,
    track: t ? { encoded: t.encoded, title: t.info.title, identifier: t.info.identifier, length: t.info.length, userData: t.userData } : null,
    position: p.position,
    playing: p.playing,
    paused: p.paused,
    volume: p.volume,
    filters: p.filters,
    voice: p.voice,
    voiceConnected: p.voiceConnected,
    endTime: p.endTime,
  };
}

function checkMs(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 2 ** 31 - 1) {
    throw new InvalidOptionError(name, 'a number of milliseconds from 1 to 2147483647', value);
  }
  return value;
}

/** The request's URL, or null for a target no URL parser reads (`//` throws "Invalid URL"). */
function requestTarget(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://simulator');
  } catch {
    return null;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function withoutAuth(headers: IncomingMessage['headers']): Record<string, string | string[] | undefined> {
  const { authorization: _omitted, ...rest } = headers;
  return rest;
}

function statusText(status: number): string {
  return { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error' }[status] ?? 'Error';
}
