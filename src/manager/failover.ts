/**
 * Where players go when their node cannot keep them: a node gone (its tries ran out, or it
 * stopped for good), down past its resume timeout (or unable to resume at all), or back with a
 * new session that kept nothing. Players move to the least loaded ready node, a few at a time;
 * a restore that fails is tried on each other ready node; one no node takes ends stopped, and
 * the bot is told (`restoreFailed`).
 */
import { publishFailover } from '../diagnostics.js';
import { ErrorCode, LavalinkError } from '../errors.js';
import type { NodeRequest, NodeResolver } from '../options.js';
import type { Player } from '../player.js';
import type { Socket } from '../socket.js';
import type { PlayerDriver } from '../wiring.js';

/** How many players move at once when a node fails over or loses its session. */
const MOVE_CONCURRENCY = 4;

/** What failover needs from the manager. */
export interface FailoverContext {
  players(): Iterable<Player>;
  /** Ready sockets, least loaded first (Manager.ideal). */
  ready(): Socket[];
  driverOf(player: Player): PlayerDriver | undefined;
  /** Whether `player` is still the manager's player for its guild. */
  isCurrent(player: Player): boolean;
  debug(message: string): void;
  /** The bot's own choice of node, if it gave one (ManagerOptions.nodeResolver). */
  readonly resolver: NodeResolver | null;
}

export class Failover {
  readonly #context: FailoverContext;
  /** The recovery under way for each player (see recover). */
  readonly #recoveries = new WeakMap<Player, object>();
  /** The voice region each player was created for (only those created with one). */
  readonly #regions = new WeakMap<Player, string>();
  /** Players whose node is gone while no other node could take them yet. */
  readonly #stranded = new Set<Player>();
  /** Sockets that are down: once their resume timeout has passed, the node has dropped our players. */
  readonly #outageTimers = new Map<Socket, NodeJS.Timeout>();
  /** Players per socket as placed here, for choose(); null = count again. */
  #placed: Map<Socket, number> | null = null;

  constructor(context: FailoverContext) {
    this.#context = context;
  }

  /** Players moved or went: placement counts are stale. */
  invalidate(): void {
    this.#placed = null;
  }

  /** A player was made on `socket`, for voice `region` (if the bot gave one: failover keeps to it). */
  placed(socket: Socket, player: Player, region: string | null = null): void {
    this.#placed?.set(socket, (this.#placed.get(socket) ?? 0) + 1);
    if (region !== null) this.#regions.set(player, region);
  }

  forget(player: Player): void {
    this.#placed = null;
    this.#stranded.delete(player);
  }

  /**
   * The node for a player: the bot's resolver's choice among the ready sockets, else the one with
   * the lowest penalties, counting the players placed on it here too (a node's stats lag, and a
   * burst of moves must not all land on the node that looked idle). Undefined when none is ready.
   */
  choose(request: NodeRequest): Socket | undefined {
    const candidates = byRegion(this.#candidates(), request.region);
    const resolver = this.#context.resolver;
    if (!resolver || candidates.length === 0) return candidates[0];
    let chosen: unknown;
    try {
      chosen = resolver(request, candidates);
    } catch (error) {
      this.#context.debug(`nodeResolver threw for guild ${request.guildId} (${error instanceof Error ? error.message : String(error)}); using the least loaded node`);
      return candidates[0];
    }
    if (chosen === undefined || chosen === null) return candidates[0];
    if (candidates.includes(chosen as Socket)) return chosen as Socket;
    this.#context.debug(`nodeResolver answered something other than a ready node for guild ${request.guildId}; using the least loaded node`);
    return candidates[0];
  }

  /** Ready sockets, least loaded first, by penalties plus the players placed on each here. */
  #candidates(): Socket[] {
    // Counted once, then kept up to date by placed(); anything else that moves players drops it.
    if (!this.#placed) {
      this.#placed = new Map();
      for (const player of this.#context.players()) this.#placed.set(player.socket, (this.#placed.get(player.socket) ?? 0) + 1);
    }
    const local = this.#placed;
    const score = (socket: Socket): number => socket.penalties + (local.get(socket) ?? 0);
    return this.#context.ready().sort((a, b) => score(a) - score(b));
  }

  /** The node is gone: its players move to the ideal remaining nodes. */
  socketGone(socket: Socket): void {
    this.#clearOutage(socket);
    this.#strand(socket, 'is gone');
  }

  /**
   * A socket that stays down past its resume timeout has lost its session on the node: its players
   * fail over to the other nodes then, while the socket keeps trying (when it is back, it takes new
   * players again).
   */
  connectionLost(socket: Socket, sessionLost: boolean): void {
    if (this.#outageTimers.has(socket)) return;
    // A node that cannot resume dropped its players with the connection (the close said so, or
    // the node showed it cannot resume): they move at once.
    const delayMs = socket.resumable && !sessionLost ? socket.options.resumeTimeout * 1000 : 0;
    const timer = setTimeout(() => {
      this.#outageTimers.delete(socket);
      if (socket.ready || this.#context.ready().length === 0) return;
      this.#strand(socket, delayMs > 0 ? 'stayed down past its resume timeout' : 'lost its session with the connection');
    }, delayMs);
    timer.unref();
    this.#outageTimers.set(socket, timer);
  }

  /** A socket has a session: stranded players find a home; a session that kept nothing is rebuilt. */
  sessionReady(socket: Socket, resumed: boolean, hadSession: boolean): void {
    this.#clearOutage(socket);
    if (this.#stranded.size > 0) void this.#rehome();
    if (resumed || !hadSession) return;
    // The node kept nothing of ours: rebuild every player it had from our own state.
    const players = this.#on(socket);
    if (players.length === 0) return;
    this.#context.debug(`node ${socket.id} lost its session; restoring ${players.length} players`);
    void this.restoreAll(players);
  }

  /** Restores players on their own nodes, a few at a time (each with recover's fallbacks). */
  restoreAll(players: readonly Player[]): Promise<void> {
    return inBatches(players, MOVE_CONCURRENCY, (player) => this.recover(player, () => this.#context.driverOf(player)!.restore()));
  }

  /**
   * Runs a restore (or a move); if it fails, moves the player to each other ready node in turn.
   * When none takes it, the player ends in a clear state (nothing playing) and says why: it never
   * points at a node that does not play it while its state says it plays.
   */
  async recover(player: Player, attempt: () => Promise<void>): Promise<void> {
    // A later recovery of the same player (its new node failed too) takes over from this one.
    const token = {};
    this.#recoveries.set(player, token);
    const superseded = (): boolean => this.#recoveries.get(player) !== token || player.destroyed || !this.#context.isCurrent(player);
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
      this.#context.debug(`restoring the player of guild ${player.guildId} on node ${player.socket.id} failed: ${String(failure)}`);
      const next = this.#context.ready().find((socket) => !tried.has(socket));
      if (!next) break;
      try {
        await this.#move(player, next);
        return;
      } catch (error) {
        failure = error;
      }
    }
    this.#placed = null;
    this.#recoveries.delete(player);
    this.#context.driverOf(player)?.restoreFailed(failure instanceof LavalinkError ? failure : new LavalinkError(ErrorCode.BadOp, String(failure)));
  }

  close(): void {
    this.#stranded.clear();
    for (const timer of this.#outageTimers.values()) clearTimeout(timer);
    this.#outageTimers.clear();
  }

  #on(socket: Socket): Player[] {
    return [...this.#context.players()].filter((p) => p.socket === socket);
  }

  #clearOutage(socket: Socket): void {
    clearTimeout(this.#outageTimers.get(socket));
    this.#outageTimers.delete(socket);
  }

  #strand(socket: Socket, why: string): void {
    const players = this.#on(socket);
    if (players.length === 0) return;
    this.#context.debug(`node ${socket.id} ${why}; moving ${players.length} players`);
    for (const player of players) this.#stranded.add(player);
    void this.#rehome();
  }

  /** Moves stranded players to the ideal nodes, a few at a time; those with no node wait. */
  async #rehome(): Promise<void> {
    await inBatches([...this.#stranded], MOVE_CONCURRENCY, async (player) => {
      if (!this.#stranded.has(player)) return;
      const target = this.choose({ guildId: player.guildId, player, reason: 'failover', region: this.#regions.get(player) ?? null });
      if (!target) return;
      this.#stranded.delete(player);
      this.#placed = null;
      await this.recover(player, () => this.#move(player, target));
    });
  }

  /** Moves a player its node could not keep, counted on the node it left. */
  async #move(player: Player, to: Socket): Promise<void> {
    const from = player.socket;
    await player.moveTo(to);
    if (from === to) return;
    from.counters.failovers++;
    publishFailover(player.manager, player, from, to);
  }
}

/** `sockets` with those serving `region` first, each group in the order it had. */
function byRegion(sockets: Socket[], region: string | null): Socket[] {
  if (region === null) return sockets;
  const wanted = region.trim().toLowerCase();
  const serving = sockets.filter((s) => s.regions.includes(wanted));
  return serving.length === 0 || serving.length === sockets.length ? sockets : [...serving, ...sockets.filter((s) => !s.regions.includes(wanted))];
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
