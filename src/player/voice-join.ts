/**
 * Pending `player.connect()` calls: each waits until the node has taken the voice credentials
 * for its channel, or gives up after its timeout. Kept apart from the players (a WeakMap keyed by
 * the player's state), so a player that is not joining a channel costs no field for it.
 */
import { ErrorCode, LavalinkError, VoiceTimeoutError } from '../errors.js';
import type { VoiceState } from './voice.js';

/** What joining and leaving need of a player. */
interface Voiced {
  readonly guildId: string;
  readonly manager: { readonly options: { send(guildId: string, payload: unknown): unknown } };
  connected: boolean;
}

/** Discord's op 4 that leaves voice in `guildId`. */
const leaveOp = (guildId: string) => ({ op: 4, d: { guild_id: guildId, channel_id: null, self_mute: false, self_deaf: false } });

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

/**
 * `player.connect()`: sends Discord's op 4 through the bot's gateway and waits (unless the node
 * has the credentials for this channel already) until the node took them; on timeout the player
 * is taken out of the channel again, with nothing half known left to send later.
 */
export async function joinVoice(player: Voiced, state: { readonly voice: VoiceState }, join: { channel: string; selfDeaf: boolean; selfMute: boolean; timeoutMs: number }): Promise<void> {
  const { guildId } = player;
  const send = (payload: unknown): unknown => player.manager.options.send(guildId, payload);
  const joined = state.voice.joined(join.channel)
    ? null
    : awaitJoin(state, guildId, join.channel, join.timeoutMs, () => {
        const received = state.voice.received();
        state.voice.forget();
        player.connected = false;
        Promise.resolve()
          .then(() => send(leaveOp(guildId)))
          .catch(() => {});
        return received;
      });
  // Awaited below; it may settle while a slow send is still pending, and must not count as unhandled then.
  joined?.catch(() => {});
  try {
    await send({ op: 4, d: { guild_id: guildId, channel_id: join.channel, self_mute: join.selfMute, self_deaf: join.selfDeaf } });
  } catch (error) {
    cancelJoin(state, 'the gateway send failed');
    throw error;
  }
  await joined;
}

/** `player.disconnect()`: op 4 with `channel_id: null`; the credentials are forgotten. */
export async function leaveVoice(player: Voiced, state: { readonly voice: VoiceState }): Promise<void> {
  cancelJoin(state, 'disconnect() was called');
  await player.manager.options.send(player.guildId, leaveOp(player.guildId));
  state.voice.forget();
  player.connected = false;
}
