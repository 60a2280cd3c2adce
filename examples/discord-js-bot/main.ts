/**
 * Runs the music bot against Discord.
 *
 *   DISCORD_TOKEN=... LAVALINK_HOST=localhost LAVALINK_PORT=2333 LAVALINK_PASSWORD=youshallnotpass \
 *     node --import tsx main.ts
 *
 * DISCORD_GUILD_ID (optional) registers the commands in that server only, where they show at once.
 * Ctrl-C (SIGINT) or SIGTERM shuts it down cleanly.
 */
import { createBot } from './bot.js';

const token = process.env.DISCORD_TOKEN;
if (!token) {
  console.error('Set DISCORD_TOKEN to your bot token (https://discord.com/developers/applications).');
  process.exit(1);
}

const bot = createBot({
  nodes: [
    {
      id: 'main',
      host: process.env.LAVALINK_HOST ?? 'localhost',
      port: Number(process.env.LAVALINK_PORT ?? 2333),
      password: process.env.LAVALINK_PASSWORD ?? 'youshallnotpass',
      secure: process.env.LAVALINK_SECURE === 'true', // https/wss
    },
  ],
  guildId: process.env.DISCORD_GUILD_ID,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  await bot.stop();
  // Everything is closed; the process ends by itself. A second signal would end it at once.
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void shutdown(signal));
}

await bot.start(token);
