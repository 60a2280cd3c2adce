/**
 * A fake Discord for trying the bot on one machine: no account, no network. discord.js lets a bot
 * replace two of its parts, and this file replaces both:
 *
 * - its REST client's `makeRequest` (every HTTP call to Discord): answered here, and the bot's
 *   replies and messages are printed instead of posted;
 * - its gateway (`ws.buildStrategy`): a shard that sends READY and one guild, answers the bot's
 *   op 4 (join voice) with the two voice events Discord would send, and hands the bot slash-command
 *   interactions you make up with `interact()`.
 *
 * The guild has a text channel, a voice channel and one member, who sits in that voice channel.
 * Everything else about discord.js runs for real: login, `clientReady`, the cache, interactions.
 */
import { GatewayOpcodes, type ClientOptions, type IShardingStrategy, type ResponseLike, type RESTOptions, type WebSocketOptions } from 'discord.js';

/** What discord.js hands `makeRequest` and `buildStrategy`. */
type RequestInit = Parameters<RESTOptions['makeRequest']>[1];
type GatewayManager = Parameters<NonNullable<WebSocketOptions['buildStrategy']>>[0];

export const BOT_ID = '1100000000000000001';
export const GUILD_ID = '1100000000000000002';
export const TEXT_CHANNEL_ID = '1100000000000000003';
export const VOICE_CHANNEL_ID = '1100000000000000004';
export const MEMBER_ID = '1100000000000000005';
/** discord.js only checks that a token has three dot-separated parts. */
export const FAKE_TOKEN = 'MTEw.fake.token';

const API = /^https:\/\/discord\.com\/api\/v\d+/;
const joinedAt = new Date(0).toISOString();
const users = {
  [BOT_ID]: { id: BOT_ID, username: 'music-bot', discriminator: '0', global_name: null, avatar: null, bot: true },
  [MEMBER_ID]: { id: MEMBER_ID, username: 'listener', discriminator: '0', global_name: 'Listener', avatar: null },
};
const member = (id: keyof typeof users) => ({ user: users[id], roles: [], joined_at: joinedAt, deaf: false, mute: false, flags: 0 });
const voiceState = (userId: string, channelId: string | null, sessionId: string) => ({
  guild_id: GUILD_ID,
  channel_id: channelId,
  user_id: userId,
  session_id: sessionId,
  deaf: false,
  mute: false,
  self_deaf: false,
  self_mute: false,
  self_video: false,
  suppress: false,
  request_to_speak_timestamp: null,
});

type Dispatch = { t: string; d: unknown };
type CommandOption = string | number | boolean;

export class FakeDiscord {
  /** Set when discord.js builds its gateway: how dispatches reach the client. */
  #emit: ((event: string, payload: unknown) => void) | null = null;
  #sequence = 0;
  #interactions = 0;
  /** Interaction tokens waiting for their answer (the reply, or the edit after a deferral). */
  readonly #answers = new Map<string, (content: string) => void>();

  /** Pass these to `new Client()`: discord.js then talks to this fake instead of Discord. */
  clientOptions(): Partial<ClientOptions> {
    return {
      rest: { makeRequest: (url, init) => Promise.resolve(this.#request(url, init)) },
      ws: { buildStrategy: (manager) => this.#gateway(manager) },
    };
  }

  /**
   * The member uses a slash command in the text channel; resolves with the bot's answer (its
   * reply, or its edit of a deferred reply).
   */
  interact(name: string, options: Record<string, CommandOption> = {}): Promise<string> {
    const id = String(1200000000000000000n + BigInt(++this.#interactions));
    const token = `interaction-token-${this.#interactions}`;
    const answered = new Promise<string>((resolve) => this.#answers.set(token, resolve));
    const type = (value: CommandOption): number => (typeof value === 'string' ? 3 : typeof value === 'boolean' ? 5 : Number.isInteger(value) ? 4 : 10);
    console.log(`[discord] ${users[MEMBER_ID].username} uses ${[`/${name}`, ...Object.entries(options).map(([k, v]) => `${k}:${String(v)}`)].join(' ')}`);
    this.#dispatch({
      t: 'INTERACTION_CREATE',
      d: {
        id,
        application_id: BOT_ID,
        type: 2, // an application command
        token,
        version: 1,
        guild_id: GUILD_ID,
        channel_id: TEXT_CHANNEL_ID,
        channel: { id: TEXT_CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'music' },
        member: { ...member(MEMBER_ID), permissions: '2248473465835073' },
        app_permissions: '2248473465835073',
        locale: 'en-US',
        guild_locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: { 0: GUILD_ID },
        context: 0,
        data: { id: '1300000000000000001', name, type: 1, options: Object.entries(options).map(([key, value]) => ({ name: key, type: type(value), value })) },
      },
    });
    return answered;
  }

  // ---------------------------------------------------------------- the gateway

  #gateway(manager: GatewayManager): IShardingStrategy {
    // Dispatches go to discord.js the way @discordjs/ws's own shards send them: events on the manager.
    const emitter = manager as unknown as { emit(event: string, payload: unknown): unknown };
    return {
      spawn: () => {},
      connect: () => {
        this.#emit = (event, payload) => void emitter.emit(event, payload);
        const ready = {
          v: 10,
          user: users[BOT_ID],
          guilds: [{ id: GUILD_ID, unavailable: true }],
          session_id: 'fake-gateway-session',
          resume_gateway_url: 'wss://gateway.invalid',
          shard: [0, 1],
          application: { id: BOT_ID, flags: 0 },
        };
        // Later, as Discord would: after the login call returns.
        setImmediate(() => {
          this.#emit?.('ready', { data: ready, shardId: 0 });
          this.#dispatch({ t: 'READY', d: ready });
          this.#dispatch({ t: 'GUILD_CREATE', d: this.#guild() });
        });
      },
      send: (_shardId, payload) => {
        // Op 4: the bot joins (or leaves) voice. Discord answers with both voice events.
        if (payload.op !== GatewayOpcodes.VoiceStateUpdate) return;
        const { guild_id, channel_id, self_deaf } = payload.d;
        console.log(`[discord] bot ${channel_id ? `joins voice channel ${channel_id}` : 'leaves voice'} (op 4)`);
        setImmediate(() => {
          this.#dispatch({ t: 'VOICE_STATE_UPDATE', d: { ...voiceState(BOT_ID, channel_id, 'fake-voice-session'), self_deaf, member: member(BOT_ID) } });
          if (channel_id) this.#dispatch({ t: 'VOICE_SERVER_UPDATE', d: { guild_id, token: 'fake-voice-token', endpoint: 'fake-voice.discord.media:443' } });
        });
      },
      destroy: () => {
        this.#emit = null;
      },
      fetchStatus: () => {
        throw new Error('The fake gateway does not report shard status');
      },
    };
  }

  #dispatch({ t, d }: Dispatch): void {
    this.#emit?.('dispatch', { data: { op: 0, t, s: ++this.#sequence, d }, shardId: 0 });
  }

  #guild(): Record<string, unknown> {
    return {
      id: GUILD_ID,
      name: 'Fake Discord server',
      icon: null,
      owner_id: MEMBER_ID,
      unavailable: false,
      member_count: 2,
      large: false,
      features: [],
      emojis: [],
      stickers: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      presences: [],
      roles: [{ id: GUILD_ID, name: '@everyone', permissions: '2248473465835073', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      channels: [
        { id: TEXT_CHANNEL_ID, type: 0, name: 'music', position: 0, permission_overwrites: [] },
        { id: VOICE_CHANNEL_ID, type: 2, name: 'Lounge', position: 1, bitrate: 64000, user_limit: 0, rtc_region: null, permission_overwrites: [] },
      ],
      members: [member(BOT_ID), member(MEMBER_ID)],
      voice_states: [voiceState(MEMBER_ID, VOICE_CHANNEL_ID, 'member-voice-session')],
    };
  }

  // ---------------------------------------------------------------- REST

  #request(url: string, init: RequestInit): ResponseLike {
    const method = init.method ?? 'GET';
    const path = decodeURIComponent(url.replace(API, '').split('?')[0]!);
    // discord.js sends JSON bodies as strings (FormData only with files, which this bot never sends).
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : null;
    const json = (data: unknown, status = 200): ResponseLike => response(JSON.stringify(data), status, { 'content-type': 'application/json' });

    if (method === 'GET' && path === '/gateway/bot') {
      return json({ url: 'wss://gateway.invalid', shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } });
    }
    if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      const list = (body as { name: string }[]).map((command, i) => ({
        ...command,
        id: String(1300000000000000001n + BigInt(i)),
        application_id: BOT_ID,
        type: 1,
        version: '1',
        default_member_permissions: null,
      }));
      console.log(`[discord] registered ${list.map((command) => `/${command.name}`).join(' ')}`);
      return json(list);
    }
    const callback = /^\/interactions\/\d+\/([^/]+)\/callback$/.exec(path);
    if (method === 'POST' && callback) {
      const { type, data } = body as { type: number; data?: { content?: string } };
      if (type === 5) console.log('[discord] bot is thinking...');
      else this.#answer(callback[1]!, data?.content ?? '');
      return response(null, 204);
    }
    const edit = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(path);
    if (method === 'PATCH' && edit) {
      const content = (body as { content?: string }).content ?? '';
      this.#answer(edit[1]!, content);
      return json(this.#message(TEXT_CHANNEL_ID, content));
    }
    const post = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (method === 'POST' && post) {
      const content = (body as { content?: string }).content ?? '';
      console.log(`[discord] #music: ${content}`);
      return json(this.#message(post[1]!, content));
    }
    console.log(`[discord] (no fake for ${method} ${path})`);
    return json({ message: '404: Not Found', code: 0 }, 404);
  }

  #answer(token: string, content: string): void {
    console.log(`[discord] bot replies: ${content}`);
    this.#answers.get(token)?.(content);
    this.#answers.delete(token);
  }

  #message(channelId: string, content: string): Record<string, unknown> {
    return {
      id: String(1400000000000000000n + BigInt(++this.#sequence)),
      channel_id: channelId,
      guild_id: GUILD_ID,
      author: users[BOT_ID],
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
    };
  }
}

/**
 * Node's global Response is undici's, the one discord.js's REST client reads; a project whose
 * TypeScript loads the DOM lib sees the DOM's type instead, hence the cast.
 */
function response(body: string | null, status: number, headers: Record<string, string> = {}): ResponseLike {
  const made: unknown = new Response(body, { status, headers });
  return made as ResponseLike;
}
