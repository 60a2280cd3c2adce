/**
 * The Manager's players, one per guild: each one made (by the bot, or adopted from the session
 * store) is counted for placement, watched for idleness and announced (`playerCreate`); each one
 * destroyed is forgotten the same ways and announced (`playerDestroy`). Its map is
 * `manager.players`.
 */
import type { EventEmitter } from 'node:events';
import type { ManagerEvents, PlayerDestroyReason } from '../events.js';
import { Player } from '../player.js';
import { forgetIdle, watchIdle } from '../player/idle.js';
import { PlayerMap } from '../player-map.js';
import type { Socket } from '../socket.js';
import type { PlayerDriver } from '../wiring.js';
import type { Failover } from './failover.js';

export class PlayerRegistry {
  readonly map = new PlayerMap();
  readonly #drivers = new WeakMap<Player, PlayerDriver>();
  readonly #emitter: EventEmitter<ManagerEvents>;
  readonly #failover: () => Failover;

  constructor(emitter: EventEmitter<ManagerEvents>, failover: () => Failover) {
    this.#emitter = emitter;
    this.#failover = failover;
  }

  driverOf(player: Player): PlayerDriver | undefined {
    return this.#drivers.get(player);
  }

  attach(player: Player, driver: PlayerDriver): void {
    this.#drivers.set(player, driver);
  }

  /** A new player for the guild on `socket`: made by the bot (`region`, if it gave one), or restored from the store. */
  add(socket: Socket, guildId: string, restored: boolean, region: string | null = null): Player {
    const player = new Player(socket, guildId);
    this.map.set(guildId, player);
    if (restored) this.#failover().invalidate();
    else this.#failover().placed(socket, player, region);
    this.#emitter.emit('playerCreate', player, restored);
    watchIdle(player);
    return player;
  }

  /** The player was destroyed; a player the map no longer holds (replaced, or after close) is left alone. */
  destroyed(player: Player, reason: PlayerDestroyReason): void {
    if (this.map.get(player.guildId) !== player) return;
    this.map.delete(player.guildId);
    this.#failover().forget(player);
    forgetIdle(player);
    this.#emitter.emit('playerDestroy', player, reason);
  }

  clear(): void {
    for (const player of this.map.values()) forgetIdle(player);
    this.map.clear();
  }
}
