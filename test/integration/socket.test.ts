/**
 * The Socket behaviour suite: every seed member and the reliability rules, run through both
 * transports (worker, inline) against both protocols (v4, v3) of the real simulator.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { inspect } from 'node:util';
import { CLIENT_NAME } from '../../src/constants.js';
import { ErrorCode, type LavalinkMessage, type Socket } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { commandsDelivered, createManager, fastOptions, nodeFor, protocols, transports, USER_ID, waitFor } from '../helpers/manager.js';
import { until, within } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';

/** The volumes the simulator received for a guild, in arrival order, whichever protocol carried them. */
function volumesReceived(sim: LavalinkSimulator, guildId = GUILD): number[] {
  if (sim.release.protocol === 4) {
    return sim.requests
      .filter((r) => r.method === 'PATCH' && r.path.endsWith(`/players/${guildId}`) && r.status === 200 && typeof (r.body as any)?.volume === 'number')
      .map((r) => (r.body as any).volume as number);
  }
  return sim.frames.filter((f) => (f.data as any)?.op === 'volume' && (f.data as any).guildId === guildId && f.applied).map((f) => (f.data as any).volume as number);
}

async function encodedTrack(socket: Socket, identifier: string): Promise<string> {
  const v4 = socket.version === 4;
  const result = (await socket.rest('GET', `${v4 ? '/v4' : ''}/loadtracks?identifier=${encodeURIComponent(identifier)}`)) as any;
  return v4 ? result.data.encoded : result.tracks[0].track;
}

const voiceOp = { op: 'voiceUpdate' as const, guildId: GUILD, sessionId: 'discord-session', event: { token: 'voice-token', guild_id: GUILD, endpoint: 'us-east1.discord.media:443' }, channelId: '2000000000000000002' };

for (const transport of transports) {
  for (const protocol of protocols) {
    describe(`Socket over the ${transport} transport, protocol v${protocol}`, () => {
      test('has the seed members from construction: id, host, port as a string, options, remaining, stats, queue', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim, 'alpha', { options: { maxTries: 7 } })], { defaultSocketOptions: { ...fastOptions, retryDelay: 30 } });
        const socket = manager.sockets.get('alpha')!;
        assert.equal(socket.manager, manager);
        assert.equal(socket.id, 'alpha');
        assert.equal(socket.host, '127.0.0.1');
        assert.equal(socket.port, String(sim.port));
        assert.equal(typeof socket.port, 'string');
        assert.equal(socket.password, 'youshallnotpass');
        assert.equal(Object.keys(socket).includes('password'), false, 'password is not enumerable');
        assert.throws(() => ((socket as any).password = 'x'), TypeError, 'password is read-only');
        assert.equal(socket.options.maxTries, 7, "the node's own option");
        assert.equal(socket.options.retryDelay, 30, "the manager's default, merged, not replaced");
        assert.equal(socket.options.resumeTimeout, 5);
        assert.equal(socket.remaining, 7);
        assert.equal(socket.resumeKey, undefined);
        assert.equal(socket.stats.players, 0);
        assert.deepEqual(socket.queue, []);
        assert.equal(socket.connected, false);
        assert.equal(socket.toString(), 'alpha');
        assert.equal(String(socket), 'alpha');
        assert.equal(socket.penalties, Number.MAX_SAFE_INTEGER, 'an unready socket is never ideal');
      });

      test('connect() returns this, sends the handshake headers, and the socket becomes ready', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim)], { shards: 3 });
        const socket = manager.sockets.get('main')!;
        const ready = waitFor(manager, 'socketReady');
        assert.equal(socket.connect(USER_ID), socket);
        await socket.onReady();
        assert.deepEqual(await ready, [socket]);
        assert.equal(socket.connected, true);
        assert.equal(socket.version, protocol, 'detected with GET /v4/info (404: v3)');
        const handshake = sim.handshakes.at(-1)!;
        assert.equal(handshake.status, 101);
        assert.equal(handshake.authorization, 'valid');
        assert.equal(handshake.headers['user-id'], USER_ID);
        assert.equal(handshake.headers['client-name'], CLIENT_NAME);
        assert.equal(handshake.headers['num-shards'], protocol === 3 ? '3' : undefined);
        if (protocol === 4) assert.match(socket.sessionId!, /^[a-z0-9]{16}$/);
        assert.equal(sim.requests.filter((r) => r.path === '/v4/info').length, 1);
        await socket.onReady(); // resolves at once when ready
      });

      test('send() resolves once the node took the op, in order; bad ops reject with LAVALINK_BAD_OP', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim, 'main', { version: protocol })]);
        const socket = manager.init(USER_ID).sockets.get('main')!;
        await socket.onReady();
        assert.equal(sim.requests.filter((r) => r.path === '/version').length, 0, 'a configured version is not asked');
        await socket.send(voiceOp);
        const track = await encodedTrack(socket, 'dQw4w9WgXcQ');
        await socket.send({ op: 'play', guildId: GUILD, track, startTime: 5000 });
        await Promise.all([1, 2, 3].map((volume) => socket.send({ op: 'volume', guildId: GUILD, volume })));
        await socket.send({ op: 'pause', guildId: GUILD, pause: true });
        await socket.send({ op: 'filters', guildId: GUILD, timescale: { speed: 1.5 } });
        // v3 resolves when the frame is written; the node applies it a moment later.
        await until(() => 'timescale' in (sim.players().find((p) => p.guildId === GUILD)?.filters ?? {}), 2000, 'the node to apply the ops');
        const player = sim.players().find((p) => p.guildId === GUILD)!;
        assert.equal(player.track?.identifier, 'dQw4w9WgXcQ');
        assert.equal(player.paused, true);
        assert.ok(player.position >= 5000);
        assert.deepEqual(player.filters, { timescale: { speed: 1.5 } });
        assert.deepEqual(volumesReceived(sim), [1, 2, 3]);
        assert.equal(player.volume, 3);
        assert.equal(player.voiceConnected, true);
        await socket.send({ op: 'destroy', guildId: GUILD });
        await until(() => sim.players().length === 0, 2000, 'the player to go');

        await assert.rejects(socket.send({ op: 'teleport', guildId: GUILD } as any), { code: ErrorCode.BadOp });
        await assert.rejects(socket.send({ op: 'volume', guildId: GUILD, volume: 5000 }), { code: ErrorCode.BadOp });
        await assert.rejects(socket.send({ op: 'volume', guildId: 'x', volume: 5 } as any), { code: ErrorCode.BadOp });
        assert.deepEqual(socket.queue, []);
      });

      test('ops sent before connect wait in the queue, then go out in order once the session is ready', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim)]);
        const socket = manager.sockets.get('main')!;
        const sends = [10, 20, 30].map((volume) => socket.send({ op: 'volume', guildId: GUILD, volume }));
        assert.deepEqual(socket.queue.map((op) => (op as any).volume), [10, 20, 30]);
        manager.init(USER_ID);
        await Promise.all(sends);
        assert.deepEqual(socket.queue, []);
        await until(() => volumesReceived(sim).length === 3, 2000, 'the node to apply them');
        assert.deepEqual(volumesReceived(sim), [10, 20, 30]);
      });

      test('configureResuming() turns resuming on for the session; resumeKey names it', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim, 'main', { options: { resumeKey: protocol === 3 ? 'my-key' : undefined! } })], { resuming: false });
        const socket = manager.init(USER_ID).sockets.get('main')!;
        await socket.onReady();
        // Resuming would be configured first thing on open, ahead of anything sent after it.
        await commandsDelivered(sim, socket);
        assert.equal(sim.sessions()[0]!.resumable, false, 'with resuming: false nothing is configured on open');
        await socket.configureResuming();
        await until(() => sim.sessions()[0]!.resumable, 2000, 'the node to apply it');
        const session = sim.sessions()[0]!;
        assert.equal(session.timeout, 5, 'resumeTimeout travels in seconds');
        if (protocol === 4) assert.equal(socket.resumeKey, socket.sessionId);
        else assert.equal(socket.resumeKey, 'my-key');
      });

      test('mirrors stats, ping and penalties, and hands every frame to `raw` in order', async (t) => {
        const sim = await startSimulator(t, { protocol, statsIntervalMs: 50, playerUpdateIntervalMs: 30 });
        const manager = createManager(t, transport, [nodeFor(sim)]);
        const frames: LavalinkMessage[] = [];
        manager.on('raw', (_socket, message) => frames.push(message));
        const socket = manager.init(USER_ID).sockets.get('main')!;
        await socket.onReady();
        sim.setNodeLoad({ cores: 4, systemLoad: 0.5 });
        await socket.send(voiceOp);
        await socket.send({ op: 'play', guildId: GUILD, track: await encodedTrack(socket, 'sim:track?length=300') });
        await until(() => frames.some((f) => f.op === 'event' && (f as any).type === 'TrackEndEvent'), 5000, 'the track to end');
        await until(() => socket.stats.cpu.cores === 4, 2000, 'stats with the new load');
        assert.equal(socket.stats.cpu.systemLoad, 0.5);
        assert.equal('op' in socket.stats, false);
        assert.ok(socket.penalties > 0 && socket.penalties < Number.MAX_SAFE_INTEGER);
        await until(() => socket.ping >= 0, 3000, 'a ping round trip');
        const events = frames.filter((f) => f.op === 'event').map((f) => (f as any).type);
        assert.deepEqual(events, ['TrackStartEvent', 'TrackEndEvent']);
        const start = frames.findIndex((f) => (f as any).type === 'TrackStartEvent');
        const end = frames.findIndex((f) => (f as any).type === 'TrackEndEvent');
        const positions = frames.slice(start, end).filter((f) => f.op === 'playerUpdate').map((f) => (f as any).state.position as number);
        assert.ok(positions.length >= 2, 'playerUpdates arrive between start and end');
        assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'in order');
      });

      test('a restart of the node mid-playback: growing jittered retries, the session resumes, 20 ops sent meanwhile arrive once each in order', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim)], { defaultSocketOptions: { ...fastOptions, retryDelay: 40, maxRetryDelay: 400, maxTries: 20 } });
        const debug: string[] = [];
        manager.on('debug', (line) => debug.push(line));
        const socket = manager.init(USER_ID).sockets.get('main')!;
        await socket.onReady();
        await socket.send(voiceOp);
        await socket.send({ op: 'play', guildId: GUILD, track: await encodedTrack(socket, 'dQw4w9WgXcQ') });
        await until(() => sim.sessions()[0]?.resumable === true && sim.players()[0]?.playing === true, 2000, 'resuming and playback on the node');
        const session = sim.sessions()[0]!.id;

        const reconnects = (): (readonly [number, number])[] =>
          debug.map((line) => /reconnecting in (\d+) ms \(attempt (\d+)/.exec(line)).filter((m) => m !== null).map((m) => [Number(m[1]), Number(m[2])] as const);
        const resumed = waitFor(manager, 'socketResumed', 30_000);
        resumed.catch(() => {}); // awaited below; a failure before then must not go unhandled
        sim.refuseConnections(600_000); // until three tries have been refused, however long they take
        sim.dropConnections({ abrupt: true });
        await waitFor(manager, 'socketClose');
        const sends = Array.from({ length: 20 }, (_, i) => socket.send({ op: 'volume', guildId: GUILD, volume: i + 1 }));
        assert.equal(socket.connected, false);
        assert.ok(socket.queue.length >= 1);
        await until(() => reconnects().length >= 3, 20_000, 'three tries after the drop');
        sim.acceptConnections();
        await resumed;
        await Promise.all(sends);
        await until(() => volumesReceived(sim).length >= 20, 5000, 'the node to apply the ops');

        assert.equal(sim.sessions().length, 1);
        assert.equal(sim.sessions()[0]!.id, session, 'the same session');
        assert.equal(sim.players()[0]!.playing, true, 'the player kept playing on the node');
        assert.deepEqual(volumesReceived(sim), Array.from({ length: 20 }, (_, i) => i + 1), 'once each, in order');
        const delays = reconnects();
        assert.ok(delays.length >= 3, `several refused attempts: ${JSON.stringify(delays)}`);
        for (const [delay, attempt] of delays) {
          assert.ok(delay >= 40 && delay <= Math.min(400, 40 * 2 ** (attempt - 1)), `attempt ${attempt}: ${delay} ms within its cap`);
        }
        assert.equal(socket.remaining, 20, 'tries reset on open');
      });

      test('refused connections until the tries run out: one socketError, one socketDisconnect, then probed until it is back', async (t) => {
        const sim = await startSimulator(t, { protocol });
        sim.refuseConnections(60_000);
        const manager = createManager(t, transport, [nodeFor(sim, 'main', { version: protocol })], { defaultSocketOptions: { ...fastOptions, maxTries: 3 }, readyTimeout: 60_000 });
        const errors: string[] = [];
        const attempts: string[] = [];
        let disconnects = 0;
        manager.on('socketError', (_s, error) => errors.push(error.code));
        manager.on('socketDisconnect', () => disconnects++);
        manager.on('debug', (line) => {
          if (line.includes('attempt failed')) attempts.push(line);
        });
        const socket = manager.sockets.get('main')!;
        const pending = socket.send({ op: 'volume', guildId: GUILD, volume: 5 });
        const disconnected = waitFor(manager, 'socketDisconnect');
        manager.init(USER_ID);
        const [gone, error] = await disconnected;
        assert.equal(gone, socket);
        assert.equal(error?.code, ErrorCode.Connection, 'told with the last failure');
        assert.equal(manager.sockets.has('main'), true, 'still probed');
        assert.equal(socket.remaining, 0);
        assert.deepEqual(errors, [ErrorCode.Connection], 'the outage is reported once');
        assert.ok(attempts.length >= 3, `each further attempt goes to debug (${attempts.length})`);
        sim.acceptConnections();
        await socket.onReady();
        assert.equal(socket.remaining, 3, 'tries reset on open');
        await pending; // the op waited for the node and went out
        assert.equal(disconnects, 1, 'one socketDisconnect per outage');
        assert.deepEqual(errors, [ErrorCode.Connection]);
      });

      test('maxTries -1 keeps trying until the node accepts', async (t) => {
        const sim = await startSimulator(t, { protocol });
        sim.refuseConnections(600_000); // until accepted below, however long the tries take to come
        const manager = createManager(t, transport, [nodeFor(sim, 'main', { version: protocol })], { defaultSocketOptions: { ...fastOptions, maxTries: -1, maxRetryDelay: 60 } });
        let closes = 0;
        manager.on('socketError', () => closes++); // the outage's first failure
        manager.on('debug', (line) => {
          if (line.includes('attempt failed')) closes++; // each one after it
        });
        const socket = manager.init(USER_ID).sockets.get('main')!;
        await until(() => closes >= 5, 20_000, 'five refused tries');
        assert.equal(manager.sockets.has('main'), true, 'still trying');
        sim.acceptConnections();
        await within(socket.onReady(), 10_000, 'the socket to be ready once the node accepts');
        assert.ok(closes >= 5, `retried many times (${closes})`);
        assert.equal(socket.remaining, -1);
        assert.equal(manager.sockets.has('main'), true);
      });

      test('a half-open connection (the node goes silent) is found within deadAfter and replaced', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim)], { defaultSocketOptions: { ...fastOptions, pingInterval: 100, deadAfter: 400 } });
        const socket = manager.init(USER_ID).sockets.get('main')!;
        await socket.onReady();
        await until(() => sim.sessions()[0]?.resumable === true, 2000, 'resuming to be configured');
        const silentAt = Date.now();
        sim.goSilent();
        const [, code] = await waitFor(manager, 'socketClose', 5000);
        const noticed = Date.now() - silentAt;
        assert.equal(code, 1006);
        assert.ok(noticed >= 300, `not before deadAfter (${noticed} ms)`);
        sim.wake();
        await waitFor(manager, 'socketResumed', 5000);
        assert.equal(socket.connected, true);
      });

      test('the password appears in no string, JSON, inspection, error or debug line', async (t) => {
        const secret = 'correct-horse-battery-staple';
        const sim = await startSimulator(t, { protocol, password: secret });
        const wrong = await startSimulator(t, { protocol, password: 'other' });
        const manager = createManager(t, transport, [nodeFor(sim), { ...nodeFor(wrong, 'wrong'), password: secret }], { defaultSocketOptions: { ...fastOptions, maxTries: 1 } });
        const lines: string[] = [];
        manager.on('debug', (line) => lines.push(line));
        manager.on('socketError', (_s, error) => lines.push(error.message, JSON.stringify(error), inspect(error)));
        const disconnected = waitFor(manager, 'socketDisconnect');
        manager.init(USER_ID);
        const socket = manager.sockets.get('main')!;
        await socket.onReady();
        await disconnected;
        await assert.rejects(socket.rest('GET', '/nothing'), (error: Error) => {
          lines.push(error.message, inspect(error));
          return true;
        });
        lines.push(String(socket), JSON.stringify(socket), inspect(socket, { showHidden: true, depth: 10, getters: true }), inspect(manager, { depth: 4 }), JSON.stringify(manager.sockets.get('main')));
        assert.ok(lines.length > 10);
        for (const line of lines) assert.equal(line.includes(secret), false, `leaked in: ${line.slice(0, 200)}`);
        assert.equal(sim.handshakes.at(-1)!.authorization, 'valid', 'yet the node got it, in the Authorization header');
      });
    });
  }
}
