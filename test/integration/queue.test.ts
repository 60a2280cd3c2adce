/**
 * The queue a bot drives through `player.queue`: it plays on when a track ends (never on a
 * replace, a stop, a move or a failover), loops, skips and goes back, asks `autoplay` once per
 * dry run, says `queueEnd`, and the idle policy destroys players with nothing to play. Both
 * transports, against the simulator's made-up tracks (`sim:track?length=…`).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import { storeDir, type StoreDir } from '../helpers/store-dir.js';
import { ErrorCode, FileSessionStore, type Manager, type ManagerOptions, type Player, type PlayerDestroyReason, type Track } from '../../src/index.js';
import { createManager, fastOptions, nodeFor, transports, USER_ID, type TransportName } from '../helpers/manager.js';
import { until, within } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';
import type { LavalinkSimulator, SimulatorOptions } from '../../src/testing/index.js';

const GUILD = '1000000000000000001';
const SHORT = 300;
const LONG = 600_000;

async function setUp(t: TestContext, transport: TransportName, options: Partial<ManagerOptions> = {}): Promise<{ manager: Manager; player: Player; starts: string[] }> {
  const sim = await startSimulator(t);
  const manager = createManager(t, transport, [nodeFor(sim)], options);
  manager.init(USER_ID);
  await manager.sockets.get('main')!.onReady();
  const player = manager.create(GUILD);
  joinVoice(manager, GUILD);
  const starts: string[] = [];
  player.on('trackStart', (_player, track) => starts.push(track.info.title));
  return { manager, player, starts };
}

function joinVoice(manager: Manager, guildId: string): void {
  manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: guildId, channel_id: '2000000000000000002', user_id: USER_ID, session_id: `session-${guildId}` } });
  manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: `token-${guildId}`, guild_id: guildId, endpoint: 'us-east1.discord.media:443' } });
}

/** A made-up track of the simulator: `title`, `length` ms; `fail`: fails that many ms after its start. */
async function made(manager: Manager, title: string, length: number, fail?: number): Promise<Track> {
  const result = await manager.load(`sim:track?length=${length}&title=${title}${fail === undefined ? '' : `&fail=${fail}`}`);
  assert.equal(result.loadType, 'track');
  return result.track;
}

const titles = (tracks: readonly (Track | null)[]): (string | null)[] => tracks.map((t) => t?.info.title ?? null);

/** Records `queueEnd` (its last track's title) and `queueError` (the error) of a player. */
function queueEvents(player: Player): { ends: (string | null)[]; errors: unknown[] } {
  const seen = { ends: [] as (string | null)[], errors: [] as unknown[] };
  player.on('queueEnd', (_player, track) => seen.ends.push(track?.info.title ?? null));
  player.on('queueError', (_player, error) => seen.errors.push(error));
  return seen;
}

for (const transport of transports) {
  describe(`the queue over the ${transport} transport`, () => {
    test('plays through in order, each track on the last one\'s end; then queueEnd once, with the last track', async (t) => {
      const { manager, player, starts } = await setUp(t, transport);
      const seen = queueEvents(player);
      const managerEnds: string[] = [];
      manager.on('queueEnd', (_player, track) => managerEnds.push(track!.info.title));
      assert.equal(player.queue.add([await made(manager, 'A', SHORT), await made(manager, 'B', SHORT)]), 2);
      assert.equal(player.queue.add(await made(manager, 'C', SHORT)), 3);
      assert.equal((await player.queue.start())?.info.title, 'A');
      await until(() => seen.ends.length === 1, 10_000, 'the queue to end');
      assert.deepEqual(starts, ['A', 'B', 'C']);
      assert.deepEqual(seen.ends, ['C']);
      assert.deepEqual(managerEnds, ['C'], 'the manager hears it too');
      assert.deepEqual(titles(player.queue.history), ['A', 'B', 'C']);
      assert.equal(player.queue.current, null);
      assert.equal(player.track, null);
      assert.deepEqual(seen.errors, []);
    });

    test('loop track plays it again, loop queue goes round; a track that fails to load is neither looped nor an end', async (t) => {
      const { manager, player, starts } = await setUp(t, transport);
      const seen = queueEvents(player);
      const [a, b] = [await made(manager, 'A', SHORT), await made(manager, 'B', SHORT)];
      player.queue.add([a, b]);
      player.queue.loop = 'track';
      const twice = (): void => {
        if (starts.length === 2) player.queue.loop = 'off';
      };
      player.on('trackStart', twice);
      await player.queue.start();
      await until(() => seen.ends.length === 1, 10_000, 'the first queue to end');
      assert.deepEqual(starts, ['A', 'A', 'B']);

      player.off('trackStart', twice);
      starts.length = 0;
      const broken = await made(manager, 'F', LONG, 50);
      player.queue.add([a, broken, b]);
      player.queue.loop = 'queue';
      player.on('trackStart', () => {
        if (starts.length === 5) player.queue.loop = 'off';
      });
      await player.queue.start();
      await until(() => seen.ends.length === 2, 15_000, 'the second queue to end');
      // Round: A, F (fails, dropped), B, A, B; then with the loop off the last one to come is A.
      assert.deepEqual(starts, ['A', 'F', 'B', 'A', 'B', 'A']);
      assert.deepEqual(seen.ends, ['B', 'A']);
      assert.deepEqual(seen.errors, []);
      assert.throws(() => (player.queue.loop = 'all' as never), { code: ErrorCode.InvalidOption });
    });

    test('skip, skip(n) and previous play at once; their replaced tracks never move the queue on; skipping past the end is refused', async (t) => {
      const { manager, player, starts } = await setUp(t, transport);
      const seen = queueEvents(player);
      const tracks = await Promise.all(['T1', 'T2', 'T3', 'T4'].map((title) => made(manager, title, LONG)));
      player.queue.add(tracks);
      await player.queue.start();
      // Each start awaited: a start that comes after the next play was asked is not news (state.ts).
      await until(() => starts.length === 1, 5000, 'T1 to start');
      assert.equal((await player.queue.skip())?.info.title, 'T2');
      await until(() => starts.length === 2, 5000, 'T2 to start');
      assert.equal((await player.queue.skip(2))?.info.title, 'T4');
      await until(() => starts.length === 3, 5000, 'T4 to start');
      await assert.rejects(player.queue.skip(), { code: ErrorCode.InvalidOption });
      await assert.rejects(player.queue.skip(0), { code: ErrorCode.InvalidOption });
      assert.equal(player.queue.current?.info.title, 'T4', 'a refused skip changes nothing');
      assert.equal((await player.queue.previous())?.info.title, 'T3');
      await until(() => starts.at(-1) === 'T3', 5000, 'T3 to start');
      assert.deepEqual(starts, ['T1', 'T2', 'T4', 'T3']);
      assert.deepEqual(titles(player.queue.tracks), ['T4']);
      assert.deepEqual(titles(player.queue.history), ['T1', 'T2']);
      assert.deepEqual(seen.ends, []);
      assert.equal(player.track?.info.title, 'T3');
    });

    test('stop() ends the queue\'s track without playing on; start() then plays the next; the bot\'s own play is not moved on from', async (t) => {
      const { manager, player, starts } = await setUp(t, transport);
      const seen = queueEvents(player);
      player.queue.add([await made(manager, 'A', LONG), await made(manager, 'B', LONG), await made(manager, 'C', LONG)]);
      await player.queue.start();
      await until(() => starts.length === 1, 5000, 'A to start');
      const ended = new Promise((resolve) => player.once('trackEnd', (_p, _track, reason) => resolve(reason)));
      await player.stop();
      assert.equal(await within(ended, 5000, 'the stop\'s trackEnd'), 'stopped');
      assert.equal(player.queue.current, null);
      assert.deepEqual(titles(player.queue.history), ['A']);
      assert.equal((await player.queue.start())?.info.title, 'B');
      assert.equal((await player.queue.start())?.info.title, 'B', 'start() while the queue plays changes nothing');
      await player.play(await made(manager, 'Own', LONG));
      await until(() => starts.at(-1) === 'Own', 5000, 'the bot\'s own track');
      assert.deepEqual(starts, ['A', 'B', 'Own']);
      assert.deepEqual(titles(player.queue.tracks), ['C'], 'nothing moved on');
      assert.deepEqual(seen.ends, []);
    });

    test("the bot's own tracks move nothing: a trackEnd listener's play comes before the queue's next, and its end leaves the queue waiting", async (t) => {
      const { manager, player, starts } = await setUp(t, transport, { autoplay: () => assert.fail('never asked: the queue did not run dry') });
      const seen = queueEvents(player);
      const [a, b, own] = [await made(manager, 'A', SHORT), await made(manager, 'B', LONG), await made(manager, 'Own', SHORT)];
      player.queue.add([a, b]);
      player.once('trackEnd', () => void player.play(own));
      await player.queue.start();
      await until(() => starts.length === 2, 5000, 'the second start');
      assert.deepEqual(starts, ['A', 'Own'], "the listener's play, not B");
      const ownEnded = new Promise((resolve) => player.once('trackEnd', (_p, track) => resolve(track?.info.title)));
      assert.equal(await within(ownEnded, 5000, "the bot's own track to end"), 'Own');
      assert.equal(player.track, null, 'nothing moved on');
      assert.equal(player.queue.current?.info.title, 'A');
      assert.deepEqual(titles(player.queue.tracks), ['B']);
      assert.deepEqual(seen.ends, []);
      await player.queue.skip();
      await until(() => starts.at(-1) === 'B', 5000, 'B on skip');
    });

    test('autoplay is asked once each time the queue runs dry: what it answers plays; nothing, and the queue ends; a throw is a queueError', async (t) => {
      const asked: (string | null)[] = [];
      let answers: (() => unknown)[] = [];
      const { manager, player, starts } = await setUp(t, transport, {
        // Answers a promise, or throws at once: a hook may do either.
        autoplay: (p, last) => {
          assert.equal(p, player);
          asked.push(last?.info.title ?? null);
          return Promise.resolve(answers.shift()?.() as Track[] | null);
        },
      });
      const seen = queueEvents(player);
      const x = await made(manager, 'X', SHORT);
      answers = [() => [x], () => null];
      player.queue.add(await made(manager, 'A', SHORT));
      await player.queue.start();
      await until(() => seen.ends.length === 1, 10_000, 'the queue to end');
      assert.deepEqual(starts, ['A', 'X']);
      assert.deepEqual(asked, ['A', 'X'], 'once per dry run, with the track that ended');
      assert.deepEqual(seen.ends, ['X']);

      const failure = new Error('the recommendation service is down');
      answers = [
        () => {
          throw failure;
        },
        () => 42,
      ];
      for (const title of ['B', 'C']) {
        player.queue.add(await made(manager, title, SHORT));
        await player.queue.start();
        await until(() => seen.ends.length === (title === 'B' ? 2 : 3), 10_000, `the queue to end after ${title}`);
      }
      assert.equal(seen.errors[0], failure);
      assert.equal((seen.errors[1] as { code?: string }).code, ErrorCode.InvalidOption, 'an answer that is not tracks');
      assert.deepEqual(seen.ends, ['X', 'B', 'C'], 'a failed autoplay still ends the queue');
      assert.equal(player.destroyed, false);
    });

    test('add() takes Tracks and encoded tracks, at a position; anything else is refused and changes nothing', async (t) => {
      const { manager, player } = await setUp(t, transport);
      const [a, b] = [await made(manager, 'A', LONG), await made(manager, 'B', LONG)];
      player.queue.add([a, b]);
      assert.equal(player.queue.add(b.encoded, 1), 3);
      assert.deepEqual(titles(player.queue.tracks), ['A', 'B', 'B']);
      for (const bad of [null, 42, '', { encoded: 5 }, [a, {}], { ...a, userData: { f: () => 1 } }]) {
        assert.throws(() => player.queue.add(bad as never), { code: ErrorCode.InvalidOption }, JSON.stringify(bad));
      }
      assert.throws(() => player.queue.add(a, 1.5), { code: ErrorCode.InvalidOption });
      assert.equal(player.queue.size, 3);
      assert.equal(player.queue.remove(1)?.info.title, 'B');
      player.queue.shuffle();
      assert.deepEqual(titles(player.queue.tracks).sort(), ['A', 'B']);
      player.queue.clear();
      assert.equal(player.queue.size, 0);
      assert.equal(await player.queue.start(), null, 'an empty queue plays nothing');
    });

    test('autoDestroy.idle: a player with no track that long is destroyed (reason idle); one that plays is not', async (t) => {
      const { manager, player } = await setUp(t, transport, { autoDestroy: { idle: 300 } });
      const gone: [string, PlayerDestroyReason][] = [];
      manager.on('playerDestroy', (p, reason) => gone.push([p.guildId, reason]));
      await player.play(await made(manager, 'A', LONG));
      const idle = manager.create('1000000000000000002');
      await until(() => gone.length === 1, 5000, 'the idle player destroyed');
      assert.deepEqual(gone, [[idle.guildId, 'idle']]);
      assert.equal(idle.destroyed, true);
      assert.equal(player.destroyed, false, 'the playing one stays');
      await player.stop();
      await until(() => gone.length === 2, 5000, 'the stopped player destroyed');
      assert.deepEqual(gone[1], [GUILD, 'idle']);
    });
  });
}

describe('the queue and failover', () => {
  test('a failover keeps the queue: no new start for the track that moved, and the queue plays on, on the new node', async (t) => {
    const [simA, simB] = [await startSimulator(t), await startSimulator(t)];
    const manager = createManager(t, 'worker', [nodeFor(simA, 'A'), nodeFor(simB, 'B')], { defaultSocketOptions: { ...fastOptions, maxTries: 2 } });
    manager.init(USER_ID);
    const [a, b] = [manager.sockets.get('A')!, manager.sockets.get('B')!];
    await Promise.all([a.onReady(), b.onReady()]);
    const player = manager.create(GUILD, a);
    joinVoice(manager, GUILD);
    const starts: string[] = [];
    player.on('trackStart', (_p, track) => starts.push(`${track.info.title}@${player.socket.id}`));
    const seen = queueEvents(player);
    player.queue.add([await made(manager, 'L', LONG), await made(manager, 'S', SHORT), await made(manager, 'T', SHORT)]);
    await player.queue.start();
    await until(() => starts.length === 1, 5000, 'L to start on A');

    simA.refuseConnections(60_000);
    simA.restart({ downMs: 60_000 });
    await until(() => player.socket === b && simB.players().some((p) => p.track?.title === 'L'), 10_000, 'the player playing L on B');
    assert.deepEqual(titles(player.queue.tracks), ['S', 'T'], 'the queue came along');
    assert.equal(player.queue.current?.info.title, 'L');
    await player.queue.skip();
    await until(() => seen.ends.length === 1, 10_000, 'the queue to end on B');
    assert.deepEqual(starts, ['L@A', 'S@B', 'T@B']);
  });
});

describe('the queue after a process restart', () => {
  const fixture = fileURLToPath(new URL('../fixtures/queue-bot.ts', import.meta.url));

  /** A first process (test/fixtures/queue-bot.ts) plays mid-queue, saves, and is killed (SIGKILL). */
  async function killedMidQueue(t: TestContext, options: SimulatorOptions): Promise<{ store: StoreDir; storePath: string; sim: LavalinkSimulator }> {
    const store = await storeDir(t, 'lavathread-queue-');
    const storePath = store.path('sessions.json');
    const sim = await startSimulator(t, options);
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(sim.port), storePath], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => child.kill('SIGKILL'));
    const exited = once(child, 'exit');
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(() => out.includes('saved'), 30_000, 'the first process to play and save');
    child.kill('SIGKILL');
    await within(exited, 5000, 'the first process to die');
    return { store, storePath, sim };
  }

  for (const flavour of ['lavalink', 'nodelink'] as const) {
    test(`${flavour}: a process killed mid-queue, restarted with the same store, plays the same track on and the rest of the queue after it`, async (t) => {
      const { store, storePath, sim } = await killedMidQueue(t, { flavour });

      const manager = store.closesBefore(createManager(t, 'worker', [nodeFor(sim)], { sessionStore: new FileSessionStore(storePath) }));
      const starts: string[] = [];
      manager.on('trackStart', (_p, track) => starts.push(track.info.title));
      manager.init(USER_ID);
      await until(() => manager.get(GUILD)?.track?.info.title === 'B' && sim.players().some((p) => p.track?.title === 'B'), 10_000, 'the player back, playing B');
      const player = manager.get(GUILD)!;
      const { queue } = player;
      assert.equal(queue.current?.info.title, 'B');
      assert.deepEqual(titles(queue.tracks), ['C', 'D', 'A'], 'A went round to the end when it was skipped');
      assert.deepEqual(queue.tracks[0]!.userData, { requester: '42' }, 'userData kept');
      assert.deepEqual(titles(queue.history), ['A']);
      assert.equal(queue.loop, 'queue');
      const onNode = () => sim.players().find((p) => p.guildId === GUILD)!;
      assert.ok(Math.abs(player.position - onNode().position) < 1500, `position ${player.position} against ${onNode().position}`);
      assert.ok(onNode().position >= 5000, 'B plays on from where it was');
      // A command round trip: every event the node sent for the restore has arrived by its end.
      await player.setVolume(55);
      await until(() => onNode().volume === 55, 5000, 'the volume on the node');
      assert.deepEqual(starts, [], 'no new start: B plays on, as before');

      // The queue plays on from there: B ends, C (with its userData) starts, B goes round to the end.
      const next = new Promise<Track>((resolve) => player.once('trackStart', (_p, track) => resolve(track)));
      await player.seek(59_800);
      const c = await within(next, 10_000, 'C to start');
      assert.equal(c.info.title, 'C');
      if (flavour === 'lavalink') assert.deepEqual(c.userData, { requester: '42' }, 'sent to the node with the track');
      assert.deepEqual(titles(queue.tracks), ['D', 'A', 'B']);
      assert.deepEqual(titles(queue.history), ['A', 'B']);
      assert.equal(sim.frames.filter((f) => (f.data as { op?: string })?.op === 'destroy').length, 0, 'never destroyed');
    });
  }

  for (const protocol of [4, 3] as const) {
    test(`v${protocol}: a track that finished while the bot was down: the node's replayed trackEnd reaches the bot once its player is back, and the queue plays on`, async (t) => {
      const { store, storePath, sim } = await killedMidQueue(t, { protocol });
      await until(() => sim.sessions()[0]?.state === 'paused', 5000, 'the node to keep the session waiting');
      // B finishes while nobody is connected: the node buffers its TrackEndEvent for the resume.
      assert.ok(sim.finishTrack(GUILD));
      assert.equal(sim.players().find((p) => p.guildId === GUILD)?.track, null);

      const manager = store.closesBefore(createManager(t, 'worker', [nodeFor(sim)], { sessionStore: new FileSessionStore(storePath) }));
      const ends: string[] = [];
      const starts: string[] = [];
      manager.on('trackEnd', (_p, track, reason) => ends.push(`${track?.info.title ?? null} ${reason}`));
      manager.on('trackStart', (_p, track) => starts.push(track.info.title));
      manager.init(USER_ID);
      await until(() => sim.players().some((p) => p.guildId === GUILD && p.track?.title === 'C') && manager.get(GUILD)?.track?.info.title === 'C', 10_000, 'C playing on the node and for the bot');
      const { queue } = manager.get(GUILD)!;
      assert.deepEqual(ends, ['B finished'], 'the end the node replayed, told once');
      await until(() => starts.length > 0, 5000, 'C\'s start');
      assert.deepEqual(starts, ['C']);
      assert.equal(queue.current?.info.title, 'C');
      assert.deepEqual(titles(queue.tracks), ['D', 'A', 'B']);
      assert.deepEqual(titles(queue.history), ['A', 'B']);
      assert.equal(sim.sessions().length, 1, 'the same session, resumed');
    });
  }

  test('v4: a player the node dropped while the bot was down is restored on the resumed session; the end the node replayed for it is not told, and the queue stays', async (t) => {
    const { store, storePath, sim } = await killedMidQueue(t, { protocol: 4 });
    await until(() => sim.sessions()[0]?.state === 'paused', 5000, 'the node to keep the session waiting');
    // The node destroys the player by itself: its TrackEndEvent (stopped) waits for the resume.
    assert.ok(sim.dropPlayer(GUILD));

    const manager = store.closesBefore(createManager(t, 'worker', [nodeFor(sim)], { sessionStore: new FileSessionStore(storePath) }));
    const ends: string[] = [];
    manager.on('trackEnd', (_p, track, reason) => ends.push(`${track?.info.title ?? null} ${reason}`));
    manager.init(USER_ID);
    await until(() => sim.players().some((p) => p.guildId === GUILD && p.track?.title === 'B') && manager.get(GUILD)?.track?.info.title === 'B', 10_000, 'B restored on the node');
    const player = manager.get(GUILD)!;
    // A command round trip: every event the node sent before its answer has arrived.
    await player.setVolume(55);
    assert.deepEqual(ends, [], 'the old player\'s end is not this one\'s');
    assert.equal(player.queue.current?.info.title, 'B');
    assert.deepEqual(titles(player.queue.tracks), ['C', 'D', 'A']);
    assert.equal(sim.sessions().length, 1, 'the same session, resumed');
    assert.ok(sim.players().find((p) => p.guildId === GUILD)!.position >= 5000, 'B from where it was');
  });
});
