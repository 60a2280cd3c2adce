/**
 * What both versions' adapters share about carrying an op to a node: which failures leave it
 * worth another try, and how a replayed `play` is checked against the node before it goes again.
 */
import { RestError, SocketClosedError, TimeoutError, type LavalinkError } from '../errors.js';
import type { AdapterContext } from './adapter.js';
import type { OutgoingOp } from './ops.js';
import { sameTrack } from './track-codec.js';

export type PlayOp = Extract<OutgoingOp, { op: 'play' }>;

/** Failures after which the node may not have seen the op: network, 5xx, timeout, a closed link. */
export function mayNotHaveArrived(error: LavalinkError): boolean {
  if (error instanceof SocketClosedError || error instanceof TimeoutError) return true;
  return error instanceof RestError && (error.status === 0 || error.status >= 500);
}

/**
 * Whether the node's player for the op's guild already plays the op's track, read from the player
 * route under `prefix` (`/v4`, or `/v3` on 3.7). After a worker crash or a timed-out call a `play`
 * may have reached the node already: asked first, it is not played twice.
 */
export async function playsTrack(prefix: string, op: PlayOp, context: AdapterContext): Promise<boolean> {
  if (context.sessionId === null) return false;
  try {
    const player = (await context.rest.request('GET', `${prefix}/sessions/${context.sessionId}/players/${op.guildId}`)) as { track?: { encoded?: unknown } | null } | null;
    const encoded = player?.track?.encoded;
    return typeof encoded === 'string' && sameTrack(encoded, op.track);
  } catch {
    return false; // 3.3 has no player REST, or the player is gone: play it
  }
}
