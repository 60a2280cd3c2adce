/**
 * `autoDestroy.idle`: a player with no track for that long is destroyed (reason `idle`). Armed
 * when a player is made and whenever its track ends; a timer that finds a track playing when it
 * fires does nothing (the next end arms it again), so a play never has to disarm it.
 */
import { destroyPlayer, type Player } from '../player.js';

const timers = new WeakMap<Player, NodeJS.Timeout>();

/** Starts the player's idle time now, if the policy is on and nothing plays. */
export function watchIdle(player: Player): void {
  const after = player.manager.options.autoDestroy.idle;
  if (after === null || player.track !== null || player.destroyed) return;
  clearTimeout(timers.get(player));
  const timer = setTimeout(() => {
    timers.delete(player);
    // A closed manager has no players left; one made again for the guild is another player.
    if (player.track === null && !player.destroyed && player.manager.players.get(player.guildId) === player) void destroyPlayer(player, 'idle');
  }, after);
  timer.unref();
  timers.set(player, timer);
}

/** The player is gone (destroyed, or its manager closed): its timer goes, and with it the last reference it held. */
export function forgetIdle(player: Player): void {
  clearTimeout(timers.get(player));
  timers.delete(player);
}
