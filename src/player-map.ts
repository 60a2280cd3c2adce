/** `manager.players`: a Map whose every change bumps a version, so lookups can be cached safely. */
import type { Player } from './player.js';

export class PlayerMap extends Map<string, Player> {
  /** Changes with every set, delete and clear, whoever makes them. */
  version = 0;

  override set(guildId: string, player: Player): this {
    this.version++;
    return super.set(guildId, player);
  }

  override delete(guildId: string): boolean {
    this.version++;
    return super.delete(guildId);
  }

  override clear(): void {
    this.version++;
    super.clear();
  }
}
