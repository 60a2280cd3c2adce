/**
 * RedisSessionStore against a real redis-server: the lease (refused, waited for, expired, lost),
 * fenced writes, diffed writes, an unreachable Redis at start, a Redis that restarts empty; and a
 * Manager whose store refuses it connects nothing.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { describe, test } from '../helpers/node-test.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { createManager, nodeFor, USER_ID, waitFor } from '../helpers/manager.js';
import { startSimulator } from '../helpers/simulator.js';
import { until, within } from '../helpers/raw-client.js';
import { ErrorCode, type LavalinkError, type SessionSnapshot, type StoredPlayer } from '../../src/index.js';
import { RedisSessionStore, type RedisSessionStoreOptions } from '../../src/redis.js';

const KEY = (cluster: string, name: string): string => `lavathread:{${cluster}}:${name}`;

function store(t: TestContext, redis: RedisServer, options: Partial<RedisSessionStoreOptions> = {}): RedisSessionStore {
  const s = new RedisSessionStore({ clusterId: 'c1', redis: redis.url, leaseTtl: 1000, ...options });
  // A Redis stopped first (cleanups run in order) cannot take the release: its TTL ends the lease.
  t.after(() => s.release().catch(() => {}));
  return s;
}

function raw(t: TestContext, redis: RedisServer): Redis {
  const client = new Redis(redis.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  t.after(() => client.disconnect());
  return client;
}

function players(count: number, savedAt: number, extra: Partial<StoredPlayer> = {}): StoredPlayer[] {
  return Array.from({ length: count }, (_, i) => ({
    guildId: String(1000 + i),
    socketId: 'main',
    channel: '2',
    voice: { sessionId: `s${i}`, token: `t${i}`, endpoint: 'e' },
    track: 'QAAAjQIAJVJpY2sgQXN0bGV5',
    position: 1000 + (savedAt - 10_000),
    paused: false,
    volume: 100,
    filters: {},
    ...extra,
  }));
}

function snapshot(savedAt: number, list: StoredPlayer[], resumeKey = 'k'): SessionSnapshot {
  return { format: 1, savedAt, sessions: [{ socketId: 'main', version: 4, resumeKey, sessionId: resumeKey }], players: list };
}

/** The lost-lease callback's errors, and a signal nothing aborts. */
function holder(): { signal: AbortSignal; lost: LavalinkError[]; onLost: (error: LavalinkError) => void } {
  const lost: LavalinkError[] = [];
  return { signal: new AbortController().signal, lost, onLost: (error) => lost.push(error) };
}

async function hsetCalls(client: Redis): Promise<number> {
  const info = await client.info('commandstats');
  return Number(/cmdstat_hset:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

describe('RedisSessionStore', () => {
  test('a second process with the same cluster id is refused while the first holds the lease; it may read, never write', async (t) => {
    const redis = await startRedis(t);
    const a = store(t, redis);
    const h = holder();
    await a.acquire(h.signal, h.onLost);
    await a.save(snapshot(10_000, players(3, 10_000)));
    const b = store(t, redis);
    await assert.rejects(b.acquire(h.signal, h.onLost), (error: LavalinkError) => error.code === ErrorCode.StoreLeased && /cluster c1/.test(error.message));
    assert.equal(b.leased, false);
    await assert.rejects(b.save(snapshot(11_000, [])), { code: ErrorCode.StoreLeaseLost });
    assert.equal((await b.load())?.players.length, 3, 'the owner\'s data, untouched');
    // Another cluster id is another lease.
    const other = store(t, redis, { clusterId: 'c2' });
    await other.acquire(h.signal, h.onLost);
    assert.equal(await other.load(), null);
    assert.deepEqual(h.lost, []);
  });

  test('waiting: the second one takes the lease when the first releases it (a handover), and sees its final save', async (t) => {
    const redis = await startRedis(t);
    const a = store(t, redis, { leaseTtl: 30_000 });
    const h = holder();
    await a.acquire(h.signal, h.onLost);
    const b = store(t, redis, { leaseWait: 30_000 });
    let taken = false;
    const waiting = b.acquire(h.signal, h.onLost).then(() => (taken = true));
    await a.save(snapshot(12_000, players(2, 12_000), 'final'));
    assert.equal(taken, false, 'still waiting while the first holds it');
    await a.release();
    await within(waiting, 10_000, 'the waiting process to take the lease');
    assert.equal((await b.load())?.sessions[0]?.resumeKey, 'final');
    await assert.rejects(a.save(snapshot(13_000, [])), { code: ErrorCode.StoreLeaseLost }, 'the one that left writes no more');
  });

  test('a waiter gives up after its wait with LAVALINK_STORE_LEASED; a manager closing aborts the wait', async (t) => {
    const redis = await startRedis(t);
    const h = holder();
    await store(t, redis, { leaseTtl: 30_000 }).acquire(h.signal, h.onLost);
    const started = Date.now();
    await assert.rejects(store(t, redis, { leaseWait: 300 }).acquire(h.signal, h.onLost), { code: ErrorCode.StoreLeased });
    assert.ok(Date.now() - started >= 300, 'it waited');
    const abort = new AbortController();
    const waiting = store(t, redis, { leaseWait: 60_000 }).acquire(abort.signal, h.onLost);
    abort.abort(new Error('closed'));
    await assert.rejects(within(waiting, 5000, 'the aborted wait'), /closed/);
  });

  test('a holder that stops renewing (a killed process) loses the lease after its TTL; the next one takes it', async (t) => {
    const redis = await startRedis(t);
    const client = raw(t, redis);
    // What a process killed with kill -9 leaves: its token, with the TTL running out.
    await client.set(KEY('c1', 'lease'), 'dead-host:1:x', 'PX', 800);
    await client.set(KEY('c1', 'owner'), 'dead-host:1:x');
    const h = holder();
    await assert.rejects(store(t, redis).acquire(h.signal, h.onLost), { code: ErrorCode.StoreLeased });
    const next = store(t, redis, { leaseWait: 10_000 });
    await within(next.acquire(h.signal, h.onLost), 10_000, 'the lease after its TTL');
    assert.notEqual(await client.get(KEY('c1', 'lease')), 'dead-host:1:x');
    assert.ok((await client.pttl(KEY('c1', 'lease'))) > 0, 'with a TTL of its own');
  });

  test('fenced: a process whose lease was taken can never overwrite the new owner\'s data; it is told once', async (t) => {
    const redis = await startRedis(t);
    const client = raw(t, redis);
    const a = store(t, redis, { leaseTtl: 30_000 });
    const ha = holder();
    await a.acquire(ha.signal, ha.onLost);
    await a.save(snapshot(10_000, players(2, 10_000), 'old'));
    // A stalled past its TTL: the lease is gone, and B took it and wrote.
    await client.del(KEY('c1', 'lease'));
    const b = store(t, redis);
    const hb = holder();
    await b.acquire(hb.signal, hb.onLost);
    await b.save(snapshot(20_000, players(1, 20_000), 'new'));
    await assert.rejects(a.save(snapshot(21_000, players(5, 21_000), 'stale')), { code: ErrorCode.StoreLeaseLost });
    await assert.rejects(a.save(snapshot(22_000, players(6, 22_000), 'stale')), { code: ErrorCode.StoreLeaseLost });
    assert.deepEqual(ha.lost.map((e) => e.code), [ErrorCode.StoreLeaseLost], 'told once');
    const stored = await b.load();
    assert.equal(stored?.sessions[0]?.resumeKey, 'new');
    assert.equal(stored?.players.length, 1);
    assert.deepEqual(hb.lost, []);
  });

  test('a renewal that finds another owner stops the holder, without a write', async (t) => {
    const redis = await startRedis(t);
    const client = raw(t, redis);
    const a = store(t, redis, { leaseTtl: 300 });
    const h = holder();
    await a.acquire(h.signal, h.onLost);
    await client.set(KEY('c1', 'lease'), 'another:2:y', 'PX', 60_000);
    await until(() => h.lost.length === 1, 10_000, 'the renewal to notice');
    assert.equal(h.lost[0]!.code, ErrorCode.StoreLeaseLost);
    assert.equal(a.leased, false);
    assert.equal(await client.get(KEY('c1', 'lease')), 'another:2:y', 'never fought for');
  });

  test('diffed writes: players that only played on are not written again; a change writes its own field', async (t) => {
    const redis = await startRedis(t);
    const client = raw(t, redis);
    const a = store(t, redis);
    const h = holder();
    await a.acquire(h.signal, h.onLost);
    await a.save(snapshot(10_000, players(200, 10_000)));
    await client.config('RESETSTAT');
    await a.save(snapshot(11_000, players(200, 11_000)));
    assert.equal(await hsetCalls(client), 0, 'a second of playing writes nothing');
    const list = players(200, 12_000);
    list[7] = { ...list[7]!, volume: 42 };
    await a.save(snapshot(12_000, list));
    assert.equal(await hsetCalls(client), 2, 'one player field and the snapshot time');
    const stored = await a.load();
    assert.equal(stored?.players.find((p) => p.guildId === '1007')?.volume, 42);
    assert.equal(stored?.players.find((p) => p.guildId === '1100')?.position, 3000, 'positions as of the last write, moved on');
  });

  test('unreachable at start: LAVALINK_STORE_UNREACHABLE within the bound, and the password shows nowhere', async (t) => {
    const redis = await startRedis(t);
    await redis.stop(); // a port nothing listens on now
    const s = new RedisSessionStore({ clusterId: 'c1', redis: `redis://:s3cret-pw@127.0.0.1:${redis.port}`, connectTimeout: 500 });
    t.after(() => s.release().catch(() => {}));
    const h = holder();
    const error = await within(s.acquire(h.signal, h.onLost).then(() => null, (e: LavalinkError) => e), 10_000, 'the refusal');
    assert.equal(error?.code, ErrorCode.StoreUnreachable);
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${redis.port}`));
    for (const shown of [error.message, inspect(error, { depth: 5 }), inspect(s, { depth: 5 }), JSON.stringify(s)]) assert.ok(!shown.includes('s3cret'), shown);
  });

  test('Redis restarted empty mid-run: the holder takes its lease again and writes everything; saves meanwhile fail fast and are caught up', async (t) => {
    const redis = await startRedis(t);
    const a = store(t, redis, { commandTimeout: 2000 });
    const h = holder();
    await a.acquire(h.signal, h.onLost);
    await a.save(snapshot(10_000, players(50, 10_000)));
    await redis.stop();
    const list = players(50, 11_000);
    list[3] = { ...list[3]!, paused: true };
    await assert.rejects(within(a.save(snapshot(11_000, list, 'during')), 5000, 'a save while Redis is away'));
    await redis.start();
    const reader = store(t, redis, { clusterId: 'c1' });
    let stored: SessionSnapshot | null = null;
    const deadline = Date.now() + 20_000;
    while (stored?.players.length !== 50 || stored.sessions[0]?.resumeKey !== 'during') {
      if (Date.now() > deadline) throw new Error(`not caught up: ${JSON.stringify(stored?.sessions)} ${stored?.players.length}`);
      stored = await reader.load().catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, 50)); // polling Redis for the catch-up, bounded above
    }
    assert.equal(stored.players.find((p) => p.guildId === '1003')?.paused, true, 'the change made during the outage');
    assert.ok(a.leased, 'the lease taken again');
    assert.deepEqual(h.lost, []);
  });

  test('a Manager whose lease is taken while it runs says so once, writes no more, and its close() leaves the new owner\'s lease alone', async (t) => {
    const redis = await startRedis(t);
    const client = raw(t, redis);
    const sim = await startSimulator(t);
    const manager = createManager(t, 'inline', [nodeFor(sim)], { sessionStore: store(t, redis, { leaseTtl: 600 }) });
    const errors: LavalinkError[] = [];
    manager.on('sessionStoreError', (error) => errors.push(error));
    const ready = waitFor(manager, 'socketReady', 10_000);
    manager.init(USER_ID);
    await ready;
    await until(() => manager.sockets.get('main')!.resumeKey !== undefined, 5000, 'resuming configured');
    await manager.saveSessions();
    const written = await client.hgetall(KEY('c1', 'sessions'));
    assert.equal(Object.keys(written).length, 1, 'the session was written');
    await client.set(KEY('c1', 'lease'), 'another:2:y', 'PX', 60_000);
    await until(() => errors.length === 1, 10_000, 'the renewal to find another owner');
    assert.equal(errors[0]!.code, ErrorCode.StoreLeaseLost);
    await client.del(KEY('c1', 'sessions'));
    manager.create('1000000000000000001'); // a change that would be written
    await manager.saveSessions();
    await manager.close();
    assert.deepEqual(await client.hgetall(KEY('c1', 'sessions')), {}, 'nothing written after the loss, not even the final save');
    assert.equal(await client.get(KEY('c1', 'lease')), 'another:2:y', 'not released: it is not this process\'s');
    assert.equal(errors.length, 1, 'told once');
  });

  test('a Manager whose store is held by another process connects nothing and says so', async (t) => {
    const redis = await startRedis(t);
    const h = holder();
    await store(t, redis, { leaseTtl: 30_000 }).acquire(h.signal, h.onLost);
    const sim = await startSimulator(t);
    const manager = createManager(t, 'inline', [nodeFor(sim)], { sessionStore: store(t, redis) });
    const refused = waitFor(manager, 'sessionStoreError', 10_000);
    manager.init(USER_ID);
    const [error] = await refused;
    assert.equal(error.code, ErrorCode.StoreLeased);
    assert.equal(sim.handshakes.length, 0, 'no session opened or resumed');
    assert.equal(manager.sockets.get('main')!.connected, false);
  });
});
