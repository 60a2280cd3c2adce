/** Where `manager.create()` puts a new player: its second argument, checked. */
import { InvalidOptionError } from '../errors.js';
import { Socket } from '../socket.js';

/** create()'s second argument: a socket of this manager (`owned`), `{ region }`, or nothing. */
export function placementOf(where: unknown, owned: (socket: Socket) => boolean): { socket: Socket | null; region: string | null } {
  if (where === undefined || where === null) return { socket: null, region: null };
  if (where instanceof Socket) {
    if (!owned(where)) throw new InvalidOptionError('socket', 'a Socket of this manager', where);
    return { socket: where, region: null };
  }
  // Only `{ region }` itself: an object that merely looks like a socket is refused, as before.
  const region = typeof where === 'object' && Object.hasOwn(where, 'region') ? (where as { region: unknown }).region : undefined;
  if (region !== null && (typeof region !== 'string' || region.trim() === '')) {
    throw new InvalidOptionError('socket', 'a Socket of this manager, or { region }', where);
  }
  return { socket: null, region };
}
