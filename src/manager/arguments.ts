/** The manager's arguments, checked: a guild, and where `manager.create()` puts a new player. */
import { InvalidOptionError, readArgument } from '../errors.js';
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

/** A guild id, or a guild object's id. */
export function guildIdOf(guild: string | { id: string }): string {
  const expected = 'a guild id (a string of digits) or {id}';
  const id = readArgument('guild', expected, () => (typeof guild === 'string' ? guild : (guild as { id?: unknown } | null | undefined)?.id));
  if (typeof id !== 'string' || !/^\d{1,20}$/.test(id)) throw new InvalidOptionError('guild', expected, guild);
  return id;
}
