/**
 * A player's Discord voice credentials: the halves Discord sends (VOICE_STATE_UPDATE's session,
 * VOICE_SERVER_UPDATE's token and endpoint), put together into the node's voice update once both
 * are known, never sent twice, and never sent stale after a channel move.
 */
import type { OutgoingOp } from '../protocol/ops.js';

export type VoiceUpdateOp = Extract<OutgoingOp, { op: 'voiceUpdate' }>;

/** The credentials of a voice connection, as a session store keeps them. */
export interface VoiceCredentials {
  sessionId: string;
  token: string;
  endpoint: string;
}

export class VoiceState {
  readonly #guildId: string;
  /** The voice channel, or null when not in one. */
  channel: string | null = null;
  #sessionId: string | null = null;
  #token: string | null = null;
  #endpoint: string | null = null;
  /** The token of the last voice update sent: a channel move must bring a new one. */
  #sentToken: string | null = null;
  #lastSent: string | null = null;
  /** The last update the node took (its send settled). */
  #delivered: string | null = null;

  constructor(guildId: string) {
    this.#guildId = guildId;
  }

  /** The bot's voice state changed; answers the channel move it makes, if any. */
  stateUpdate(channelId: string | null, sessionId: string): { from: string | null; to: string | null } | null {
    const from = this.channel;
    if (channelId === null) {
      // Left voice: nothing stale may be sent later.
      this.forget();
      return from === null ? null : { from, to: null };
    }
    this.channel = channelId;
    this.#sessionId = sessionId;
    // A move brings a new token (before or after this update): the one already sent is stale.
    if (from !== null && from !== channelId && this.#token === this.#sentToken) {
      this.#token = null;
      this.#endpoint = null;
    }
    return from === channelId ? null : { from, to: channelId };
  }

  /** VOICE_SERVER_UPDATE: `endpoint: null` means Discord is moving the voice server; wait. */
  serverUpdate(token: string, endpoint: string | null): void {
    this.#token = token;
    this.#endpoint = endpoint;
  }

  /** The voice update for the node, once every half is known. */
  op(): VoiceUpdateOp | null {
    const [sessionId, token, endpoint] = [this.#sessionId, this.#token, this.#endpoint];
    if (sessionId === null || token === null || endpoint === null || this.channel === null) return null;
    return { op: 'voiceUpdate', guildId: this.#guildId, sessionId, event: { token, guild_id: this.#guildId, endpoint }, channelId: this.channel };
  }

  /** The voice update to send now: complete and not the one sent last (marked sent); else null. */
  next(): VoiceUpdateOp | null {
    const op = this.op();
    if (!op || keyOf(op) === this.#lastSent) return null;
    this.sent(op);
    return op;
  }

  /** `op` goes to the node (a restore sends it whatever was sent before). */
  sent(op: VoiceUpdateOp): void {
    this.#lastSent = keyOf(op);
    this.#sentToken = op.event.token;
  }

  /** The last update never reached the node: the next one goes even if it is the same. */
  unsent(): void {
    this.#lastSent = null;
  }

  /** The node took `op`. */
  delivered(op: VoiceUpdateOp): void {
    this.#delivered = keyOf(op);
  }

  /** The Discord state is whole and the node took these very credentials, in `channel`. */
  joined(channel: string): boolean {
    const op = this.op();
    return op !== null && this.channel === channel && this.#delivered === keyOf(op);
  }

  /** Which of Discord's two voice events have come for the current channel. */
  received(): { state: boolean; server: boolean } {
    return { state: this.#sessionId !== null && this.channel !== null, server: this.#token !== null && this.#endpoint !== null };
  }

  forget(): void {
    this.channel = null;
    this.#sessionId = this.#token = this.#endpoint = null;
    this.#sentToken = null;
    this.#lastSent = null;
    this.#delivered = null;
  }

  credentials(): VoiceCredentials | null {
    const [sessionId, token, endpoint] = [this.#sessionId, this.#token, this.#endpoint];
    return sessionId !== null && token !== null && endpoint !== null ? { sessionId, token, endpoint } : null;
  }

  /** Credentials from a snapshot; `onNode`: the node has this voice connection up already. */
  adopt(channel: string | null, credentials: VoiceCredentials | null, onNode: boolean): void {
    this.channel = channel;
    if (!credentials) return;
    ({ sessionId: this.#sessionId, token: this.#token, endpoint: this.#endpoint } = credentials);
    const op = this.op();
    this.#lastSent = this.#delivered = onNode && op ? keyOf(op) : null;
    this.#sentToken = onNode ? credentials.token : null;
  }
}

function keyOf(op: VoiceUpdateOp): string {
  return `${op.sessionId}\u0000${op.event.token}\u0000${op.event.endpoint ?? ''}\u0000${op.channelId ?? ''}`;
}
