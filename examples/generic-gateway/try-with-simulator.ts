/**
 * music.ts against lavathread's Lavalink simulator, with a stand-in gateway that answers op 4 the
 * way Discord does. No Discord account, no network:
 *
 *   node --import tsx try-with-simulator.ts
 */
import { LavalinkSimulator } from 'lavathread/testing';
import { createManager, play } from './music.js';
import { StandInGateway } from './stand-in-gateway.js';

const BOT_ID = '1100000000000000001';
const GUILD_ID = '1100000000000000002';
const VOICE_CHANNEL_ID = '1100000000000000004';
const SONG_URL = 'https://music.example/short-song.mp3';

// A short track the simulator knows by its URL (its searches answer tracks of several minutes).
const simulator = new LavalinkSimulator({
  tracks: [{ title: 'Short Song', author: 'The Simulators', length: 2000, identifier: 'short-song', uri: SONG_URL, isStream: false, sourceName: 'http', probeInfo: 'mp3' }],
});
await simulator.start(); // 127.0.0.1, a free port
const gateway = new StandInGateway(BOT_ID);
const manager = createManager(gateway, [{ id: 'simulator', host: '127.0.0.1', port: simulator.port, password: 'youshallnotpass' }]);
manager.on('trackStart', (_player, track) => console.log(`[lavathread] trackStart: ${track.info.title}`));
manager.on('trackEnd', (_player, track, reason) => console.log(`[lavathread] trackEnd: ${track?.info.title ?? '?'} (${reason})`));
const queueEnd = new Promise<void>((resolve) => manager.once('queueEnd', () => resolve()));

let failed = false;
// A bound, so a broken setup ends with a message instead of hanging.
const bound = setTimeout(() => {
  console.error('[try] no queueEnd within 30 s');
  process.exit(1);
}, 30_000);
try {
  gateway.dispatch('READY', { user: { id: BOT_ID } }); // the gateway logged in: the Manager connects
  const track = await play(manager, GUILD_ID, VOICE_CHANNEL_ID, SONG_URL);
  console.log(`[gateway] op 4 sent: ${JSON.stringify(gateway.sent[0])}`);
  console.log(`[try] playing ${track?.info.title ?? 'nothing'}`);
  await queueEnd;
  console.log('[try] the track played and ended: it works');
} catch (error) {
  failed = true;
  console.error('[try] failed:', error);
} finally {
  clearTimeout(bound);
  await manager.close();
  await simulator.close();
}
process.exitCode = failed ? 1 : 0;
