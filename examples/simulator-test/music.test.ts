/**
 * Testing your own music commands against lavathread's Lavalink simulator (`lavathread/testing`):
 * a real Lavalink-speaking server on 127.0.0.1, started per test on a free port and closed after.
 * The commands under test are those of ../generic-gateway/music.ts; yours go the same way.
 *
 *   node --import tsx --test music.test.ts
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import type { Manager, ManagerEvents } from 'lavathread';
import { LavalinkSimulator } from 'lavathread/testing';
import { createManager, play } from '../generic-gateway/music.js';
import { StandInGateway } from '../generic-gateway/stand-in-gateway.js';

const BOT_ID = '1100000000000000001';
const GUILD_ID = '1100000000000000002';
const VOICE_CHANNEL_ID = '1100000000000000004';
const songs = ['first', 'second'].map((name) => ({
  title: `${name} song`,
  author: 'The Simulators',
  length: 1500,
  identifier: `${name}-song`,
  uri: `https://music.example/${name}-song.mp3`,
  isStream: false,
  sourceName: 'http',
  probeInfo: 'mp3',
}));

/** The bot as it runs, against a fresh simulator; everything is closed when the test ends. */
async function startBot(t: TestContext): Promise<{ simulator: LavalinkSimulator; manager: Manager; gateway: StandInGateway }> {
  const simulator = new LavalinkSimulator({ tracks: songs }); // port 0: a free one
  await simulator.start();
  t.after(() => simulator.close());
  const gateway = new StandInGateway(BOT_ID);
  const manager = createManager(gateway, [{ id: 'test', host: '127.0.0.1', port: simulator.port, password: simulator.options.password }]);
  t.after(() => manager.close());
  gateway.dispatch('READY', { user: { id: BOT_ID } });
  return { simulator, manager, gateway };
}

/** The next time `manager` emits `event`, with its arguments. A test's own timeout bounds the wait. */
function next<K extends keyof ManagerEvents>(manager: Manager, event: K): Promise<ManagerEvents[K]> {
  return once(manager, event) as Promise<ManagerEvents[K]>;
}

test('play joins the voice channel and the node plays the track to its end', { timeout: 30_000 }, async (t) => {
  const { simulator, manager, gateway } = await startBot(t);
  const started = next(manager, 'trackStart');
  const ended = next(manager, 'trackEnd');
  const queueEnd = next(manager, 'queueEnd');

  const track = await play(manager, GUILD_ID, VOICE_CHANNEL_ID, songs[0]!.uri);
  assert.equal(track?.info.title, 'first song');
  assert.deepEqual(gateway.sent, [{ op: 4, d: { guild_id: GUILD_ID, channel_id: VOICE_CHANNEL_ID, self_mute: false, self_deaf: true } }]);
  // What the node itself holds: the track, and the voice credentials Discord answered with.
  const [onNode] = simulator.players();
  assert.equal(onNode?.track?.title, 'first song');
  assert.equal(onNode?.voice?.token, 'voice-token');

  const [, startedTrack] = await started;
  assert.equal(startedTrack.info.title, 'first song');
  const [, endedTrack, reason] = await ended;
  assert.equal(endedTrack?.info.title, 'first song');
  assert.equal(reason, 'finished');
  await queueEnd;
  assert.equal(manager.get(GUILD_ID)?.track, null);
});

test('a second play queues; the queue moves on to it by itself', { timeout: 30_000 }, async (t) => {
  const { manager } = await startBot(t);
  const started: string[] = [];
  manager.on('trackStart', (_player, track) => started.push(track.info.title));
  const queueEnd = next(manager, 'queueEnd');
  await play(manager, GUILD_ID, VOICE_CHANNEL_ID, songs[0]!.uri);
  await play(manager, GUILD_ID, VOICE_CHANNEL_ID, songs[1]!.uri);
  const player = manager.get(GUILD_ID)!;
  assert.equal(player.queue.current?.info.title, 'first song');
  assert.deepEqual(player.queue.tracks.map((track) => track.info.title), ['second song']);

  const [, last] = await queueEnd;
  assert.equal(last?.info.title, 'second song');
  assert.deepEqual(started, ['first song', 'second song']);
  assert.deepEqual(player.queue.history.map((track) => track.info.title), ['first song', 'second song']);
});

test('volume and pause reach the node', { timeout: 30_000 }, async (t) => {
  const { simulator, manager } = await startBot(t);
  await play(manager, GUILD_ID, VOICE_CHANNEL_ID, songs[0]!.uri);
  const player = manager.get(GUILD_ID)!;
  // A command resolves once the node has taken it.
  await player.setVolume(50);
  await player.pause();
  const [onNode] = simulator.players();
  assert.equal(onNode?.volume, 50);
  assert.equal(onNode?.paused, true);
});

test('nothing found: play answers null and nothing plays', { timeout: 30_000 }, async (t) => {
  const { simulator, manager } = await startBot(t);
  assert.equal(await play(manager, GUILD_ID, VOICE_CHANNEL_ID, 'https://music.example/not-in-the-catalogue'), null);
  assert.equal(simulator.players().find((p) => p.guildId === GUILD_ID)?.track ?? null, null);
});
