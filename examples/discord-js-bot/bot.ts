/**
 * A discord.js v14 music bot on lavathread: the Client, a Manager joined to it by the `discordJs`
 * connector, and the slash commands /play, /skip, /pause, /queue, /volume and /stop.
 *
 * `main.ts` runs this against Discord; `try-with-simulator.ts` runs the very same code against
 * lavathread's Lavalink simulator and a fake Discord, so you can watch it play without an account.
 */
import {
  Client,
  GatewayIntentBits,
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type ClientOptions,
} from 'discord.js';
import { discordJs, ErrorCode, LavalinkError, Manager, type Player, type SocketData, type Track } from 'lavathread';

/** The slash commands, as Discord registers them (the bot registers them when it is ready). */
export const commands = [
  new SlashCommandBuilder()
    .setName('play')
    .setDescription('Play a song, or add it to the queue')
    .addStringOption((option) => option.setName('query').setDescription('Words to search for, or a URL').setRequired(true)),
  new SlashCommandBuilder().setName('skip').setDescription('Skip to the next song'),
  new SlashCommandBuilder().setName('pause').setDescription('Pause, or resume when paused'),
  new SlashCommandBuilder().setName('queue').setDescription('Show what plays and what comes next'),
  new SlashCommandBuilder()
    .setName('volume')
    .setDescription('Set the volume')
    .addIntegerOption((option) => option.setName('percent').setDescription('0 to 200').setMinValue(0).setMaxValue(200).setRequired(true)),
  new SlashCommandBuilder().setName('stop').setDescription('Stop, forget the queue and leave the voice channel'),
].map((command) => command.toJSON());

export interface BotOptions {
  /** Your Lavalink nodes. */
  nodes: SocketData[];
  /** Register the commands in this guild only (they show at once there); else globally. */
  guildId?: string | undefined;
  /** Extra discord.js options (try-with-simulator.ts passes its fake Discord here). */
  clientOptions?: Partial<ClientOptions>;
}

export interface Bot {
  client: Client;
  manager: Manager;
  /** Logs in; the Manager connects to the nodes once the client is ready. */
  start(token: string): Promise<void>;
  /** Closes the nodes' connections and worker threads, then the Discord connection. */
  stop(): Promise<void>;
}

export function createBot({ nodes, guildId, clientOptions = {} }: BotOptions): Bot {
  // GuildVoiceStates is needed twice: to see which channel a member is in, and for the raw voice
  // events lavathread reads to join voice.
  const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates], ...clientOptions });
  const connector = discordJs(client);
  const manager = new Manager(nodes, {
    send: connector.send, // op 4 (join/leave voice) through the guild's shard
    // Leave a guild's player alone for 5 minutes with nothing playing, and it is destroyed; the
    // same when someone drags the bot out of voice.
    autoDestroy: { idle: 5 * 60_000, voiceLost: true },
  });

  /** Where each guild's music was asked for: now-playing messages go there. */
  const textChannels = new Map<string, string>();

  async function tell(player: Player, text: string): Promise<void> {
    const channel = client.channels.cache.get(textChannels.get(player.guildId) ?? '');
    if (channel?.isSendable()) await channel.send(text).catch((error: unknown) => console.warn('could not send a message:', error));
  }

  manager.on('trackStart', (player, track) => void tell(player, `Now playing **${track.info.title}** by ${track.info.author}`));
  manager.on('trackException', (player, track, exception) => void tell(player, `Could not play ${track?.info.title ?? 'that'}: ${exception.message ?? 'unknown error'}`));
  manager.on('queueEnd', (player) => void tell(player, 'The queue is over. /play to go on.'));
  // The queue could not move on by itself (the next track could not be played): say so, keep running.
  manager.on('queueError', (player, error) => void tell(player, `The queue stopped: ${describe(error)}`));
  manager.on('playerDestroy', (player, reason) => {
    textChannels.delete(player.guildId);
    if (reason !== 'bot') console.log(`left guild ${player.guildId} (${reason})`);
  });
  // A node's connection failed; lavathread reconnects by itself. Worth a log line, not a crash.
  manager.on('socketError', (socket, error) => console.warn(`node ${socket.id}: ${error.code} ${error.message}`));
  manager.on('socketDisconnect', (socket) => console.warn(`node ${socket.id} is unreachable; its players move to another node`));

  client.once('clientReady', (ready) => {
    console.log(`logged in as ${ready.user.tag}`);
    // Raw VOICE_STATE_UPDATE / VOICE_SERVER_UPDATE in, and manager.init(bot user id), which
    // connects to the nodes. Attached here, once the client is ready: attached before, the
    // connector also waits for discord.js's old `ready` event, and discord.js 14.22+ prints a
    // deprecation warning for any listener of it.
    connector.attach(manager);
    const registered = guildId ? ready.application.commands.set(commands, guildId) : ready.application.commands.set(commands);
    registered.catch((error: unknown) => console.error('could not register the slash commands:', error));
  });

  client.on('interactionCreate', (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    run(interaction).catch(async (error: unknown) => {
      const text = describe(error);
      // After deferReply() (in /play) the answer is an edit of that first reply.
      const answer = interaction.deferred || interaction.replied ? interaction.editReply(text) : interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
      await answer.catch(() => {});
    });
  });

  async function run(interaction: ChatInputCommandInteraction): Promise<void> {
    if (!interaction.inCachedGuild()) {
      await interaction.reply('Music works in servers only.');
      return;
    }
    const { guildId } = interaction;
    if (interaction.commandName === 'play') {
      const voiceChannel = interaction.member.voice.channelId;
      if (!voiceChannel) {
        await interaction.reply({ content: 'Join a voice channel first.', flags: MessageFlags.Ephemeral });
        return;
      }
      const existing = manager.get(guildId);
      if (existing?.channel && existing.channel !== voiceChannel && existing.track) {
        await interaction.reply({ content: `I am playing in <#${existing.channel}> already.`, flags: MessageFlags.Ephemeral });
        return;
      }
      // Joining voice and loading can take longer than the 3 s Discord gives a first reply.
      await interaction.deferReply();
      const player = manager.create(guildId);
      textChannels.set(guildId, interaction.channelId);
      // Resolves once the node has the voice credentials; rejects LAVALINK_VOICE_TIMEOUT when
      // Discord does not answer in time (handled in interactionCreate, like any other error).
      // Each connect() sends op 4 again, so only when the bot is not in that channel yet.
      if (player.channel !== voiceChannel) await player.connect(voiceChannel, { selfDeaf: true });
      const tracks = await find(interaction.options.getString('query', true));
      if (typeof tracks === 'string') {
        await interaction.editReply(tracks);
        return;
      }
      // userData travels with each queued track: /queue shows who asked for it.
      const before = player.queue.size + (player.track ? 1 : 0);
      player.queue.add(tracks.map((track) => ({ ...track, userData: { requester: interaction.user.id } })));
      await player.queue.start(); // plays the first one unless something plays already
      const what = tracks.length === 1 ? `**${tracks[0]!.info.title}**` : `${tracks.length} tracks`;
      await interaction.editReply(before === 0 ? `Playing ${what}.` : `Queued ${what} (${before} before).`);
      return;
    }

    const player = manager.get(guildId);
    if (!player) {
      await interaction.reply({ content: 'Nothing is playing.', flags: MessageFlags.Ephemeral });
      return;
    }
    switch (interaction.commandName) {
      case 'skip': {
        if (player.queue.size > 0) {
          const next = await player.queue.skip();
          await interaction.reply(`Skipped. Now **${next.info.title}**.`);
        } else {
          await player.stop();
          await interaction.reply('Skipped; the queue is empty.');
        }
        return;
      }
      case 'pause': {
        await player.pause(!player.paused);
        await interaction.reply(player.paused ? 'Paused.' : 'Playing on.');
        return;
      }
      case 'queue': {
        const line = (track: Track, i: number): string => {
          const { requester } = track.userData; // what /play attached
          return `${i + 1}. ${track.info.title}${typeof requester === 'string' ? ` (asked by <@${requester}>)` : ''}`;
        };
        const now = player.queue.current;
        const next = player.queue.tracks.slice(0, 10).map(line);
        await interaction.reply(
          [now ? `Now: **${now.info.title}**` : 'Nothing plays.', ...next, player.queue.size > 10 ? `...and ${player.queue.size - 10} more` : ''].filter(Boolean).join('\n'),
        );
        return;
      }
      case 'volume': {
        await player.setVolume(interaction.options.getInteger('percent', true));
        await interaction.reply(`Volume ${player.volume}%.`);
        return;
      }
      case 'stop': {
        // Stops the track, leaves the voice channel, removes the player from the node and from
        // manager.players. The next /play makes a new one.
        await player.destroy();
        await interaction.reply('Stopped. Bye!');
        return;
      }
    }
  }

  /** A search, or a URL loaded as it is; a playlist URL gives all its tracks. A string says why there are none. */
  async function find(query: string): Promise<Track[] | string> {
    const result = await manager.search(query);
    switch (result.loadType) {
      case 'track':
        return [result.track];
      case 'search':
        return result.tracks.length > 0 ? result.tracks.slice(0, 1) : 'Nothing found.';
      case 'playlist':
        return result.playlist.tracks;
      case 'empty':
        return 'Nothing found.';
      case 'error':
        return `That could not be loaded: ${result.exception.message ?? 'no reason given'}`;
    }
  }

  return {
    client,
    manager,
    async start(token) {
      await client.login(token);
    },
    async stop() {
      // The node keeps nothing for a closed manager; with a sessionStore (see the README) a
      // restarted bot would pick its players up again instead.
      await manager.close();
      await client.destroy();
    },
  };
}

/** What a user reads when a command fails: lavathread's errors carry a stable `code`. */
function describe(error: unknown): string {
  if (error instanceof LavalinkError) {
    switch (error.code) {
      case ErrorCode.VoiceTimeout:
        return 'I could not join your voice channel (do I have the permission to connect?).';
      case ErrorCode.VoiceCancelled:
        return 'Joining was cancelled by another command.';
      case ErrorCode.NoNode:
        return 'No music server is reachable right now. Try again in a minute.';
      case ErrorCode.InvalidOption:
        return error.message; // says what was expected and what came
      default:
        console.error(error);
        return `Something went wrong (${error.code}).`;
    }
  }
  console.error(error);
  return error instanceof Error ? error.message : 'Something went wrong.';
}
