/**
 * Where each event from the hosts goes: a socket's own events to that socket, a node event to
 * the player of its guild (if the player lives on that node), runs of plain playerUpdates to
 * their players by slot, and every frame to `raw` listeners.
 */
import type { EventEmitter } from 'node:events';
import type { ManagerEvents } from '../events.js';
import { EventKind, type HostEvent } from '../ipc/events.js';
import { updateFrame } from '../ipc/updates.js';
import type { Player, updatePlayer } from '../player.js';
import type { PlayerMap } from '../player-map.js';
import type { LavalinkMessage } from '../protocol/messages.js';
import type { NodeEvent, PlayerEvent } from '../protocol/node-events.js';
import type { Socket } from '../socket.js';
import type { PlayerDriver, SocketDriver } from '../wiring.js';

type UpdatesEvent = Extract<HostEvent, { kind: typeof EventKind.Updates }>;

export interface RouterContext {
  readonly emitter: EventEmitter<ManagerEvents>;
  readonly players: PlayerMap;
  /** Every socket ever made, by id (a forgotten socket may still send its last events). */
  socket(id: string): Socket | undefined;
  socketDriver(socket: Socket): SocketDriver | undefined;
  playerDriver(player: Player): PlayerDriver | undefined;
  /** An event for a guild that has no player (a stored one may not be taken back yet). */
  unclaimed(socket: Socket, event: PlayerEvent): void;
  /** Applies one update of a run to a player (player.ts `updatePlayer`). */
  readonly updatePlayer: typeof updatePlayer;
}

export class EventRouter {
  readonly #context: RouterContext;
  /** Per port guild table (ipc/codec.ts), its players by slot; see #slotCache. */
  readonly #slotCaches = new WeakMap<readonly string[], { version: number; players: (Player | null | undefined)[] }>();

  constructor(context: RouterContext) {
    this.#context = context;
  }

  /** A batch from a host, in order. A throwing listener costs no other event: it surfaces later. */
  route(events: readonly HostEvent[]): void {
    for (const event of events) {
      const socket = this.#context.socket(event.socketId);
      if (!socket) continue;
      try {
        if (event.kind === EventKind.Updates) this.#updates(socket, event);
        else if (event.kind === EventKind.Frame) this.#frame(socket, event.frame, event.event);
        else this.#context.socketDriver(socket)?.handle(event);
      } catch (error) {
        rethrowLater(error);
      }
    }
  }

  /** A frame, with what the worker's adapter read it as (null: nothing for a player or the socket). */
  #frame(socket: Socket, frame: LavalinkMessage, event: NodeEvent | null): void {
    if (event?.type === 'stats') {
      this.#context.socketDriver(socket)?.setStats(event.stats);
    } else if (event) {
      const player = this.#context.players.get(event.guildId);
      // An event from the node a player just left belongs to nobody.
      if (player?.socket === socket) this.#context.playerDriver(player)?.event(event);
      else if (!player) this.#context.unclaimed(socket, event);
    }
    this.#context.emitter.emit('raw', socket, frame);
  }

  /** A run of plain playerUpdates: see routeUpdates. */
  #updates(socket: Socket, run: UpdatesEvent): void {
    const cache = run.slots && run.table ? this.#slotCache(run.table) : null;
    routeUpdates(socket, run, cache, this.#context);
  }

  /**
   * Players by slot of a port's guild table, while `players` is unchanged. Looking a guild
   * up by its id reads the id string and the map's entry: two cache misses per update at 100k/s.
   */
  #slotCache(table: readonly string[]): (Player | null | undefined)[] {
    const version = this.#context.players.version;
    let entry = this.#slotCaches.get(table);
    if (entry?.version !== version) {
      entry = { version, players: [] };
      this.#slotCaches.set(table, entry);
    }
    return entry.players;
  }
}

/**
 * Each update to its player, then to `raw`. The frame objects are made only for `raw` listeners:
 * at 100k updates/s, not making them is most of what the main thread saves. A function of its own,
 * small and called once per run, so the engine optimises its loop (with the player's update
 * inlined) apart from the rest of the routing.
 */
function routeUpdates(socket: Socket, run: UpdatesEvent, cache: (Player | null | undefined)[] | null, context: RouterContext): void {
  const { guilds, values, slots } = run;
  const { emitter, players, updatePlayer } = context;
  const raw = emitter.listenerCount('raw') > 0;
  const heard = emitter.listenerCount('playerUpdate') > 0;
  const now = performance.now();
  for (let i = 0; i < guilds.length; i++) {
    try {
      let player: Player | null | undefined;
      if (cache) {
        const slot = slots![i]!;
        player = cache[slot];
        if (player === undefined) player = cache[slot] = players.get(guilds[i]!) ?? null;
      } else {
        player = players.get(guilds[i]!);
      }
      // An update from the node a player just left belongs to nobody.
      if (player?.socket === socket) updatePlayer(player, values, i, now, heard);
      if (raw) emitter.emit('raw', socket, updateFrame(guilds[i]!, values, i));
    } catch (error) {
      rethrowLater(error);
    }
  }
}

/** A throwing listener must not cost the other events of the batch: its error surfaces later. */
function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
