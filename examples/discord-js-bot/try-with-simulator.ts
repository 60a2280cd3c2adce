/**
 * The music bot of bot.ts, unchanged, against lavathread's Lavalink simulator and a fake Discord
 * (fake-discord.ts): no Discord account, no Lavalink server, no network.
 *
 *   node --import tsx try-with-simulator.ts
 *
 * A member sits in a voice channel and uses /play twice and /queue; the bot joins voice, the
 * simulator "plays" two short tracks on its clock, and you see each one start and end.
 */
import { LavalinkSimulator } from 'lavathread/testing';
import { createBot } from './bot.js';
import { FAKE_TOKEN, FakeDiscord } from './fake-discord.js';

// Two short tracks the simulator knows by URL, so the run takes seconds (its searches answer
// tracks of several minutes).
const songs = [
  { title: 'First Song', author: 'The Simulators', length: 2500, identifier: 'first-song', uri: 'https://music.example/first-song.mp3' },
  { title: 'Second Song', author: 'The Simulators', length: 2500, identifier: 'second-song', uri: 'https://music.example/second-song.mp3' },
].map((song) => ({ ...song, isStream: false, sourceName: 'http', probeInfo: 'mp3' }));

const simulator = new LavalinkSimulator({ tracks: songs });
await simulator.start(); // listens on 127.0.0.1, a free port
console.log(`[lavalink] simulator listening on ${simulator.url}`);

const discord = new FakeDiscord();
const bot = createBot({
  nodes: [{ id: 'simulator', host: '127.0.0.1', port: simulator.port, password: 'youshallnotpass' }],
  clientOptions: discord.clientOptions(),
});

// What the bot's Manager sees, printed as it happens.
const { manager } = bot;
manager.on('socketReady', (socket) => console.log(`[lavathread] node ${socket.id} ready (Lavalink v${socket.version})`));
manager.on('trackStart', (_player, track) => console.log(`[lavathread] trackStart: ${track.info.title}`));
manager.on('trackEnd', (_player, track, reason) => console.log(`[lavathread] trackEnd: ${track?.info.title ?? '?'} (${reason})`));
const queueEnd = new Promise<void>((resolve) => manager.once('queueEnd', () => resolve()));

let failed = false;
try {
  const nodeReady = new Promise<void>((resolve) => manager.once('socketReady', () => resolve()));
  await bot.start(FAKE_TOKEN);
  await within(nodeReady, 15_000, 'the Lavalink node');

  // Each wait has a bound, so a broken setup ends with a message instead of hanging.
  await within(discord.interact('play', { query: songs[0]!.uri }), 15_000, 'an answer to /play');
  await within(discord.interact('play', { query: songs[1]!.uri }), 15_000, 'an answer to /play');
  await within(discord.interact('queue'), 15_000, 'an answer to /queue');
  // Both tracks play out on the simulator's clock.
  await within(queueEnd, 30_000, 'the queue to end');
  console.log('[try] both tracks played and ended: it works');
} catch (error) {
  failed = true;
  console.error('[try] failed:', error);
} finally {
  await bot.stop();
  await simulator.close();
}
process.exitCode = failed ? 1 : 0;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no sign of ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
