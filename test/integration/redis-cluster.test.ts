/**
 * Bot processes of one cluster sharing Redis (RedisSessionStore), each a real process in its own
 * working directory as on its own host, against one simulator: a process killed with SIGKILL is
 * replaced by one that resumes its sessions; a rolling deploy hands over with exactly one owner
 * at any time (checked at the simulator, by which process sent each session's commands); a Redis
 * restarted mid-run loses nothing.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { describe, test } from '../helpers/node-test.js';
import { startRedis } from '../helpers/redis-server.js';
import { startSimulator } from '../helpers/simulator.js';
import { until, within } from '../helpers/raw-client.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { RedisSessionStore } from '../../src/redis.js';

const fixture = fileURLToPath(new URL('../fixtures/cluster-bot.ts', import.meta.url));
// Absolute: the bots run in directories of their own, where `--import tsx` would not be found.
const tsx = import.meta.resolve('tsx');
const PLAYERS = 8;
const CLUSTER = 'cluster-0';

interface Bot {
  readonly name: string;
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line (seen so far or to come) that matches. */
  line(match: (line: string) => boolean, timeoutMs: number, what: string): Promise<string>;
  send(command: string): void;
}

async function startBot(t: TestContext, name: string, args: { port: number; redis: string; players: number; leaseTtl: number; leaseWait: number }): Promise<Bot> {
  const cwd = await mkdtemp(join(tmpdir(), `lavathread-${name}-`));
  t.after(() => rm(cwd, { recursive: true, force: true }));
  const json = JSON.stringify({ ...args, clusterId: CLUSTER, name });
  const child = spawn(process.execPath, ['--import', tsx, fixture, json], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(child.pid!, 'SIGKILL');
    await exited;
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const wake of waiters) wake();
  });
  const bot: Bot = {
    name,
    child,
    lines,
    line(match, timeoutMs, what) {
      let wake = (): void => {};
      const found = new Promise<string>((resolve, reject) => {
        wake = () => {
          const hit = lines.find(match);
          if (hit !== undefined) resolve(hit);
          else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`${name} exited before ${what}: ${lines.join(' | ')}`));
        };
        waiters.add(wake);
        child.once('exit', wake);
        wake();
      });
      return within(found, timeoutMs, `${name}: ${what}`).finally(() => waiters.delete(wake));
    },
    send(command) {
      child.stdin.write(`${command}\n`);
    },
  };
  await bot.line((l) => l === 'started', 30_000, 'its start');
  return bot;
}

async function kill9(bot: Bot): Promise<void> {
  const exited = once(bot.child, 'exit');
  process.kill(bot.child.pid!, 'SIGKILL');
  await within(exited, 5000, `${bot.name} to die`);
}

const clientOf = (r: { headers: Readonly<Record<string, string | string[] | undefined>> }): string => String(r.headers['client-name']).replace('lavathread-test/', '');

/** Each session's commands (REST calls on it) by the process that sent them, in order of arrival. */
function ownersOf(sim: LavalinkSimulator): Map<string, { client: string; at: number }[]> {
  const bySession = new Map<string, { client: string; at: number }[]>();
  for (const r of sim.requests) {
    const session = /^\/v4\/sessions\/([^/]+)/.exec(r.path)?.[1];
    if (!session) continue;
    bySession.set(session, [...(bySession.get(session) ?? []), { client: clientOf(r), at: r.at }]);
  }
  return bySession;
}

/** The runs of one client after another: [a, b] means a's commands, then b's, never mixed. */
function turns(list: readonly { client: string }[]): string[] {
  return list.map((r) => r.client).filter((client, i, all) => i === 0 || all[i - 1] !== client);
}

async function report(bot: Bot): Promise<{ guildId: string; title: string | null; position: number; volume: number; queue: string[] }[]> {
  const before = bot.lines.length;
  bot.send('report');
  const line = await bot.line((l) => l.startsWith('report ') && bot.lines.indexOf(l, before) >= before, 10_000, 'its report');
  return JSON.parse(line.slice('report '.length));
}

/** The new owner's players against the node: same tracks, positions that went on, nothing restarted. */
async function assertPlaysOn(sim: LavalinkSimulator, bot: Bot): Promise<void> {
  // A command round trip first: every event the node sent for the takeover has arrived by its end.
  bot.send('volume 1000000000000000000 55');
  await bot.line((l) => l === 'volume-done', 10_000, 'a command');
  const players = await report(bot);
  assert.equal(players.length, PLAYERS);
  for (const onNode of sim.players()) {
    const player = players.find((p) => p.guildId === onNode.guildId);
    assert.ok(player, onNode.guildId);
    assert.equal(player.title, onNode.track?.title);
    assert.ok(onNode.playing && !onNode.paused, `${onNode.guildId} plays on the node`);
    const i = Number(BigInt(onNode.guildId) - 1000000000000000000n);
    assert.ok(onNode.position > i * 1000, `${onNode.guildId} went on from its start (${onNode.position})`);
    assert.ok(Math.abs(player.position - onNode.position) < 2000, `${onNode.guildId}: ${player.position} against ${onNode.position} on the node`);
  }
  assert.deepEqual(bot.lines.filter((l) => l.startsWith('trackStart')), [], 'no new trackStart: the tracks play on');
}

describe('a cluster of bot processes sharing Redis', () => {
  test('kill -9 mid-playback: a new process on another host with the same cluster id resumes the sessions, the players play on', async (t) => {
    const redis = await startRedis(t);
    const sim = await startSimulator(t);
    const a = await startBot(t, 'a', { port: sim.port, redis: redis.url, players: PLAYERS, leaseTtl: 1500, leaseWait: 0 });
    await a.line((l) => l === 'saved', 30_000, 'playing and saved');
    const sessionId = sim.sessions()[0]!.id;
    await kill9(a);
    await until(() => sim.sessions()[0]?.state === 'paused', 5000, 'the node to keep the session waiting');

    const b = await startBot(t, 'b', { port: sim.port, redis: redis.url, players: 0, leaseTtl: 1500, leaseWait: 30_000 });
    await b.line((l) => l === 'resumed', 30_000, 'the session resumed');
    await until(() => b.lines.filter((l) => l.startsWith('adopted ')).length === PLAYERS, 10_000, 'every player taken back');
    assert.deepEqual(sim.sessions().map((s) => s.id), [sessionId], 'the same session, no other');
    assert.ok(!b.lines.includes('ready'), 'no new session');
    assert.equal(sim.requests.filter((r) => r.method === 'DELETE').length, 0, 'nothing destroyed');
    await assertPlaysOn(sim, b);
    const resumes = sim.handshakes.filter((h) => h.resumed);
    assert.deepEqual(resumes.map(clientOf), ['b']);
  });

  test('rolling deploy: the new process waits while the old one lives; exactly one owner at any time; handover when the old one closes', async (t) => {
    const redis = await startRedis(t);
    const sim = await startSimulator(t);
    const closedAt: number[] = [];
    sim.on('sessionDisconnect', () => closedAt.push(Date.now()));
    const ttl = 900;
    const a = await startBot(t, 'old', { port: sim.port, redis: redis.url, players: PLAYERS, leaseTtl: ttl, leaseWait: 0 });
    await a.line((l) => l === 'saved', 30_000, 'playing and saved');
    const b = await startBot(t, 'new', { port: sim.port, redis: redis.url, players: 0, leaseTtl: ttl, leaseWait: 60_000 });

    // The old one renews its lease several times (a whole TTL and more) while the new one waits.
    const client = new Redis(redis.port, '127.0.0.1', { lazyConnect: true });
    client.on('error', () => {});
    t.after(() => client.disconnect());
    const holder = await client.get(`lavathread:{${CLUSTER}}:lease`);
    assert.match(holder ?? '', new RegExp(`:${a.child.pid}:`), 'the old process holds the lease');
    let renewals = 0;
    let last = Infinity;
    while (renewals < 4) {
      const left = await client.pttl(`lavathread:{${CLUSTER}}:lease`);
      if (left > last) renewals++;
      last = left;
      assert.equal(await client.get(`lavathread:{${CLUSTER}}:lease`), holder, 'still the old one\'s');
      await new Promise((resolve) => setTimeout(resolve, 25)); // sampling the TTL; the loop ends on renewals seen
    }
    a.send('volume 1000000000000000001 70');
    await a.line((l) => l === 'volume-done', 10_000, 'a command of the old process');
    assert.deepEqual(b.lines, ['started'], 'the new one did nothing meanwhile');
    assert.equal(sim.handshakes.length, 1, 'only the old one connected');

    a.send('close');
    await a.line((l) => l === 'closed', 30_000, 'the old one to close');
    const handedOver = Date.now();
    await b.line((l) => l === 'resumed', 30_000, 'the new one to resume');
    await until(() => b.lines.filter((l) => l.startsWith('adopted ')).length === PLAYERS, 10_000, 'every player taken back');
    await assertPlaysOn(sim, b);

    // One owner at any time: each session's commands come from the old process, then from the new one, never mixed.
    const owners = ownersOf(sim);
    assert.equal(owners.size, 1);
    for (const [session, list] of owners) {
      assert.deepEqual(turns(list), ['old', 'new'], `session ${session}`);
      const firstNew = list.find((r) => r.client === 'new')!.at;
      assert.ok(firstNew >= closedAt[0]!, 'the new one sent nothing before the old one\'s connection closed');
    }
    const byClient = sim.handshakes.map((h) => [clientOf(h), h.resumed, h.connection.id]);
    assert.deepEqual(byClient.map(([c, r]) => [c, r]), [['old', false], ['new', true]], 'the new one resumed the old one\'s session');
    assert.notEqual(byClient[0]![2], byClient[1]![2], 'on a connection of its own');
    assert.ok(sim.handshakes[1]!.at >= closedAt[0]! && closedAt[0]! <= handedOver);
    assert.deepEqual(b.lines.filter((l) => l.startsWith('store-error')), []);
  });

  test('Redis restarted mid-run: commands and playback go on, and nothing written meanwhile is lost once it is back', async (t) => {
    const redis = await startRedis(t);
    const sim = await startSimulator(t);
    const a = await startBot(t, 'a', { port: sim.port, redis: redis.url, players: PLAYERS, leaseTtl: 1500, leaseWait: 0 });
    await a.line((l) => l === 'saved', 30_000, 'playing and saved');
    await redis.stop();
    a.send('volume 1000000000000000002 33');
    await a.line((l) => l === 'volume-done', 10_000, 'a command while Redis is away');
    a.send('enqueue 1000000000000000003 late');
    await a.line((l) => l === 'enqueued', 10_000, 'a queue change while Redis is away');
    await redis.start(); // empty: no persistence

    const reader = new RedisSessionStore({ clusterId: CLUSTER, redis: redis.url });
    t.after(() => reader.release());
    let queued: readonly unknown[] | undefined;
    const deadline = Date.now() + 30_000;
    while (!queued?.length) {
      if (Date.now() > deadline) throw new Error('the store did not catch up within 30 s');
      const stored = await reader.load().catch(() => null);
      queued = stored?.players.find((p) => p.guildId === '1000000000000000003')?.queue?.upcoming;
      await new Promise((resolve) => setTimeout(resolve, 50)); // polling Redis for the catch-up, bounded above
    }
    await kill9(a);
    const b = await startBot(t, 'b', { port: sim.port, redis: redis.url, players: 0, leaseTtl: 1500, leaseWait: 30_000 });
    await b.line((l) => l === 'resumed', 30_000, 'the session resumed');
    await until(() => b.lines.filter((l) => l.startsWith('adopted ')).length === PLAYERS, 10_000, 'every player taken back');
    const players = await report(b);
    assert.deepEqual(players.find((p) => p.guildId === '1000000000000000003')?.queue, ['late'], 'the queue change made while Redis was away');
    assert.equal(players.find((p) => p.guildId === '1000000000000000002')?.volume, 33);
    await assertPlaysOn(sim, b);
  });
});
