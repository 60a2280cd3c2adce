/**
 * Pending `player.connect()` calls: each waits until the node has taken the voice credentials
 * for its channel, or gives up after its timeout. Kept apart from the players (a WeakMap keyed by
 * the player's state), so a player that is not joining a channel costs no field for it.
 */
import { ErrorCode, LavalinkError, VoiceTimeoutError } from '../errors.js';

interface Join {
  readonly channel: string;
  readonly resolve: () => void;
  readonly reject: (error: LavalinkError) => void;
  readonly timer: NodeJS.Timeout;
}

const joins = new WeakMap<object, Join>();

/**
 * Starts waiting for `key`'s player to have its voice credentials for `channel` on the node. A
 * join still pending for the same player is cancelled (`LAVALINK_VOICE_CANCELLED`). `onTimeout`
 * answers what had come, and takes the player out of the channel.
 */
export function awaitJoin(key: object, guildId: string, channel: string, timeoutMs: number, onTimeout: () => { state: boolean; server: boolean }): Promise<void> {
  cancelJoin(key, `connect() to channel ${channel} came first`);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (joins.get(key)?.timer !== timer) return;
      joins.delete(key);
      const received = onTimeout();
      const missing = [received.state ? null : 'VOICE_STATE_UPDATE', received.server ? null : 'VOICE_SERVER_UPDATE'].filter((x) => x !== null);
      const why = missing.length > 0 ? `no ${missing.join(' or ')} came from Discord (is handleRaw wired to the gateway?)` : 'the node did not take the voice credentials';
      reject(new VoiceTimeoutError(`Player ${guildId} did not join voice channel ${channel} within ${timeoutMs} ms: ${why}`, received));
    }, timeoutMs);
    joins.set(key, { channel, resolve, reject, timer });
  });
}

/** The node took the credentials for `channel`: a join waiting for it is done. */
export function joinDelivered(key: object, channel: string | null | undefined): void {
  const join = joins.get(key);
  if (!join || join.channel !== channel) return;
  joins.delete(key);
  clearTimeout(join.timer);
  join.resolve();
}

/** A pending join will not finish (a disconnect, a destroy, another connect): it rejects. */
export function cancelJoin(key: object, why: string): void {
  const join = joins.get(key);
  if (!join) return;
  joins.delete(key);
  clearTimeout(join.timer);
  join.reject(new LavalinkError(ErrorCode.VoiceCancelled, `connect() to channel ${join.channel} was cancelled: ${why}`));
}
