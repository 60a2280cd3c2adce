/**
 * A gateway that never leaves the process, for trying music.ts (try-with-simulator.ts) and for
 * tests (../simulator-test/): it answers op 4 with the two voice dispatches, as Discord does.
 */
import type { Gateway, GatewayPayload } from './music.js';

export class StandInGateway implements Gateway {
  readonly shardCount = 2;
  /** Every payload the bot sent, in order. */
  readonly sent: GatewayPayload[] = [];
  readonly #listeners: ((payload: GatewayPayload) => void)[] = [];
  #sequence = 0;

  constructor(readonly botUserId: string) {}

  send(_shardId: number, payload: GatewayPayload): void {
    this.sent.push(payload);
    if (payload.op !== 4) return;
    const { guild_id, channel_id } = payload.d as { guild_id: string; channel_id: string | null };
    // Discord answers after the send, never inside it.
    setImmediate(() => {
      this.dispatch('VOICE_STATE_UPDATE', { guild_id, channel_id, user_id: this.botUserId, session_id: 'voice-session' });
      if (channel_id) this.dispatch('VOICE_SERVER_UPDATE', { guild_id, token: 'voice-token', endpoint: 'voice.discord.media:443' });
    });
  }

  onDispatch(listener: (payload: GatewayPayload) => void): void {
    this.#listeners.push(listener);
  }

  /** Delivers a dispatch to the bot: `dispatch('READY', { user: { id } })` logs it in. */
  dispatch(t: string, d: unknown): void {
    for (const listener of this.#listeners) listener({ op: 0, t, s: ++this.#sequence, d });
  }
}
