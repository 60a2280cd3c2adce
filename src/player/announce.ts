/**
 * A node event, told to the bot: on the player, then on its manager, with the same arguments.
 */
import type { Player } from '../player.js';
import type { Announcement } from './state.js';

export function announce(player: Player, a: Announcement): void {
  const manager = player.manager;
  switch (a.name) {
    case 'playerUpdate':
      player.emit('playerUpdate', player, a.state);
      manager.emit('playerUpdate', player, a.state);
      return;
    case 'trackStart':
      player.emit('trackStart', player, a.track);
      manager.emit('trackStart', player, a.track);
      return;
    case 'trackEnd':
      player.emit('trackEnd', player, a.track, a.reason, a.mayStartNext);
      manager.emit('trackEnd', player, a.track, a.reason, a.mayStartNext);
      return;
    case 'trackException':
      player.emit('trackException', player, a.track, a.exception);
      manager.emit('trackException', player, a.track, a.exception);
      return;
    case 'trackStuck':
      player.emit('trackStuck', player, a.track, a.thresholdMs);
      manager.emit('trackStuck', player, a.track, a.thresholdMs);
      return;
    case 'voiceClosed':
      player.emit('voiceClosed', player, a.code, a.reason, a.byRemote);
      manager.emit('voiceClosed', player, a.code, a.reason, a.byRemote);
      // Deprecated name: one letter from the manager's `socketClose` (the node's own socket).
      player.emit('socketClosed', player, a.code, a.reason, a.byRemote);
      manager.emit('socketClosed', player, a.code, a.reason, a.byRemote);
      return;
    case 'pluginEvent':
      player.emit('pluginEvent', player, a.event);
      manager.emit('pluginEvent', player, a.event);
      return;
  }
}
