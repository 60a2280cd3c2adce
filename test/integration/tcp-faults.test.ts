/**
 * TCP faults: the delivery guarantees with the network breaking under the client, below any
 * protocol. Each of 3 simulators sits behind its own fault proxy (test/helpers/fault-proxy.ts);
 * a bot issues volume and pause commands at a steady rate while a seeded schedule resets links,
 * blackholes them (half-open, then everything held goes through), trickles them, fragments writes,
 * sends garbage to the client and refuses connections. Then every fault is lifted, the run goes
 * quiet, and the node's own records are held against what the bot was told:
 *
 * - every volume command whose promise resolved was applied by a node (each counted once);
 * - in the order issued, per guild;
 * - a command applied twice only inside a fault window of its node (volume is idempotent);
 * - each guild plays once, on the node its handle names, with the Player's volume and pause.
 *
 * Commands that rejected with a typed LavalinkError were reported to the bot: they may be missing,
 * and are counted and printed. Then two focused regressions: a command written into a stalled link
 * that resets; and the v3 stranded session (one resume key for every session of a socket).
 *
 * Knobs (long runs: TCP_FAULT_SECONDS=90 TCP_FAULT_SEEDS=1,2,3 TCP_FAULT_TRANSPORTS=worker):
 * - TCP_FAULT_SEEDS: `seed` or `seed:seconds`, comma-separated (default `7`)
 * - TCP_FAULT_SECONDS: seconds of commands and faults per run (default 7 worker, 3 inline)
 * - TCP_FAULT_PROTOCOLS: `4,3` (default); TCP_FAULT_TRANSPORTS: `worker,inline` (default)
 * - TCP_FAULT_PLAYERS (30), TCP_FAULT_RATE commands per second (50), TCP_FAULT_GAP_MS mean ms
 *   between faults (1300: ~70 in 90 s), TCP_FAULT_REPEAT_WINDOW_MS after a fault in which a
 *   repeat is allowed (5000), TCP_FAULT_QUIET_MS for the node to match the bot once quiet (2000)
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import { catchUnhandled } from '../helpers/unhandled.js';
import type { Manager, Player, SocketOptions, Track } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { audit, mismatches, stateMismatch, track as run, volumeCopies, type Command, type FaultWindow } from '../helpers/delivery.js';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { createManager, nodeFor, USER_ID, type TransportName } from '../helpers/manager.js';
import { prng } from '../helpers/prng.js';
import { sleep, until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const env = process.env;
const list = (value: string | undefined, fallback: string): string[] => (value ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
const PROTOCOLS = list(env.TCP_FAULT_PROTOCOLS, '4,3').map(Number) as (3 | 4)[];
const TRANSPORTS = list(env.TCP_FAULT_TRANSPORTS, 'worker,inline') as TransportName[];
const DEFAULT_SECONDS: Record<TransportName, number> = { worker: 7, inline: 3 };
const SEEDS = list(env.TCP_FAULT_SEEDS, '7').map((entry) => {
  const [seed, seconds] = entry.split(':').map(Number);
  return { seed: seed!, seconds: env.TCP_FAULT_SECONDS !== undefined ? Number(env.TCP_FAULT_SECONDS) : seconds };
});
const PLAYERS = Number(env.TCP_FAULT_PLAYERS ?? 30);
const RATE = Number(env.TCP_FAULT_RATE ?? 50);
const FAULT_GAP_MS = Number(env.TCP_FAULT_GAP_MS ?? 1300);
const REPEAT_WINDOW_MS = Number(env.TCP_FAULT_REPEAT_WINDOW_MS ?? 5000);
const QUIET_MS = Number(env.TCP_FAULT_QUIET_MS ?? 2000);

/** Half-open links are noticed after 1.5 s; a session waits 30 s for its client, longer than any fault here. */
const SOCKET_OPTIONS: SocketOptions = { retryDelay: 50, maxRetryDelay: 500, maxTries: -1, pingInterval: 250, deadAfter: 1500, resumeTimeout: 30 };

const guild = (i: number): string => String(1000000000000000000n + BigInt(i));


async function proxied(t: TestContext, sims: readonly LavalinkSimulator[], random?: () => number): Promise<FaultProxy[]> {
  return Promise.all(
    sims.map(async (sim) => {
      const proxy = await FaultProxy.start({ upstreamPort: sim.port, ...(random ? { random } : {}) });
      t.after(() => proxy.close());
      return proxy;
    }),
  );
}

/** Players with voice and a track, each on the node the manager picks; resolves once the nodes play them all. */
async function playersOn(manager: Manager, sims: readonly LavalinkSimulator[], count: number): Promise<{ players: Player[]; track: Track }> {
  const load = await manager.load('dQw4w9WgXcQ');
  assert.equal(load.loadType, 'track');
  const track = load.track;
  const players: Player[] = [];
  for (let i = 0; i < count; i++) {
    const player = manager.create(guild(i));
    manager.stateUpdate({ guild_id: guild(i), channel_id: '2000000000000000002', user_id: USER_ID, session_id: `s-${i}` });
    manager.serverUpdate({ token: `t-${i}`, guild_id: guild(i), endpoint: 'tcp.discord.media:443' });
    players.push(player);
  }
  await Promise.all(players.map((p) => p.play(track)));
  await until(() => sims.reduce((n, sim) => n + sim.players().filter((p) => p.track !== null).length, 0) >= count, 10_000, 'every player on a node');
  return { players, track };
}

/** Polls `read` until it stops changing for `quietMs` (what was in flight has landed), within `timeoutMs`. */
async function stable(read: () => number, quietMs: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = read();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} to settle`);
    await sleep(50);
    const now = read();
    if (now !== last) [last, since] = [now, Date.now()];
  }
}

/** Waits (bounded) for the nodes to match the Players, then answers what still differs. */
async function settledMismatches(sims: readonly LavalinkSimulator[], nodeIds: readonly string[], players: readonly Player[]): Promise<string[]> {
  await until(() => mismatches(sims, nodeIds, players).length === 0, QUIET_MS, 'the nodes to match the players').catch(() => {});
  return mismatches(sims, nodeIds, players);
}

const FAULT_KINDS = ['reset', 'blackhole', 'drip', 'fragment', 'garbage', 'refuse', 'stall-reset'] as const;

interface RunResult {
  readonly line: string;
  readonly problems: string[];
}

async function faultRun(t: TestContext, protocol: 3 | 4, transport: TransportName, seed: number, seconds: number): Promise<RunResult> {
  const label = `tcp-faults v${protocol} ${transport} seed ${seed} ${seconds}s`;
  console.log(`${label} (replay with TCP_FAULT_SEEDS=${seed}:${seconds} TCP_FAULT_PROTOCOLS=${protocol} TCP_FAULT_TRANSPORTS=${transport})`);
  // The schedule of faults has a generator of its own, so a seed replays the same faults (kinds,
  // nodes, gaps, lengths) whatever the bot's timing; the bot's picks have another.
  const random = prng(seed);
  const botRandom = prng(seed ^ 0x5eed);
  const pick = <T>(items: readonly T[], from = random): T => items[Math.floor(from() * items.length)]!;
  const unhandled = catchUnhandled(t);
  const sims = await Promise.all([0, 1, 2].map(() => startSimulator(t, { protocol, playerUpdateIntervalMs: 1000, statsIntervalMs: 1000 })));
  const proxies = await proxied(t, sims, prng(seed + 1));
  const nodeIds = sims.map((_, i) => `node-${i}`);
  const manager = createManager(
    t,
    transport,
    sims.map((sim, i) => nodeFor(sim, nodeIds[i], { port: proxies[i]!.port, version: protocol })),
    { defaultSocketOptions: SOCKET_OPTIONS, restTimeout: 2000 },
  );
  manager.on('socketError', () => {}); // expected by the dozen here; the records tell the story
  manager.init(USER_ID);
  await Promise.all([...manager.sockets.values()].map((s) => s.onReady()));
  const { players } = await playersOn(manager, sims, PLAYERS);

  const started = Date.now();
  const end = started + seconds * 1000;
  const commands: Command[] = [];
  const volumes = new Map(players.map((p) => [p.guildId, 100]));
  const paused = new Map(players.map((p) => [p.guildId, false]));

  // The bot: RATE commands a second, not awaited one by one (a bot fires them as users ask).
  // Each guild's volumes are new numbers, so each copy on a node names its command.
  const bot = async (): Promise<void> => {
    while (Date.now() < end) {
      const player = pick(players, botRandom);
      const volume = volumes.get(player.guildId)! + 1;
      if (botRandom() < 0.7 && volume <= 1000) {
        volumes.set(player.guildId, volume);
        run(commands, { guildId: player.guildId, kind: 'volume', value: volume }, () => player.setVolume(volume));
      } else {
        const state = !paused.get(player.guildId)!;
        paused.set(player.guildId, state);
        run(commands, { guildId: player.guildId, kind: 'pause', value: state }, () => player.pause(state));
      }
      await sleep(1000 / RATE); // pacing: the bot's command rate
    }
  };

  // The faults: one every ~FAULT_GAP_MS on a seeded proxy, none in the last second. Each that can
  // break a link (all but fragment and refuse) keeps the window in which it may make a command
  // arrive twice (a resend of what the node had taken): from its start to REPEAT_WINDOW_MS after it ends.
  const windows: FaultWindow[] = [];
  const counts: Record<string, number> = {};
  const timers = new Set<NodeJS.Timeout>();
  t.after(() => timers.forEach((timer) => clearTimeout(timer)));
  const later = (ms: number, act: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      act();
    }, ms);
    timers.add(timer);
  };
  const faults = async (): Promise<void> => {
    for (;;) {
      await sleep(FAULT_GAP_MS * (0.4 + random() * 1.2)); // pacing: the fault schedule
      if (Date.now() > end - 1000) return;
      const node = Math.floor(random() * proxies.length);
      const proxy = proxies[node]!;
      const kind = pick(FAULT_KINDS);
      counts[kind] = (counts[kind] ?? 0) + 1;
      let lasts = 0;
      switch (kind) {
        case 'reset':
          proxy.reset();
          break;
        case 'blackhole':
          lasts = 3000 + random() * 5000;
          proxy.blackhole(lasts);
          break;
        case 'drip':
          lasts = 2000 + random() * 3000;
          proxy.drip(lasts, 1);
          break;
        case 'fragment':
          lasts = 2000 + random() * 4000;
          proxy.fragment(true);
          later(lasts, () => proxy.fragment(false));
          break;
        case 'garbage':
          proxy.garbageToClient(1 + Math.floor(random() * 64));
          break;
        case 'refuse':
          lasts = 500 + random() * 2500;
          proxy.refuse(lasts);
          break;
        case 'stall-reset': {
          // A link stalls (held or trickling), and its path resets before the client notices:
          // whatever the client wrote meanwhile dies with it.
          lasts = 200 + random() * 1000;
          if (random() < 0.5) proxy.blackhole(60_000);
          else proxy.drip(60_000, 1);
          const stalled = new Set(proxy.links().map((l) => l.id));
          later(lasts, () => proxy.reset((l) => stalled.has(l.id)));
          break;
        }
      }
      if (kind !== 'fragment' && kind !== 'refuse') windows.push({ node, from: Date.now(), to: Date.now() + lasts + REPEAT_WINDOW_MS });
    }
  };

  await Promise.all([bot(), faults()]);

  // Quiet: every fault lifted (what a blackhole held goes through now), then every command settles,
  // every socket is ready with nothing queued, the proxies hold nothing, and the nodes' records stop growing.
  for (const timer of timers) clearTimeout(timer);
  const healed = Date.now();
  for (const proxy of proxies) proxy.heal();
  for (const w of windows) if (w.to > healed + REPEAT_WINDOW_MS) (w as { to: number }).to = healed + REPEAT_WINDOW_MS;
  const sockets = [...manager.sockets.values()];
  await until(
    () => commands.every((c) => c.state !== 'pending') && sockets.every((s) => s.ready && s.queue.length === 0) && proxies.every((p) => p.queuedBytes === 0),
    30_000,
    'every command settled, every socket ready and idle, nothing held',
  ).catch(() => {}); // what is still pending is reported below
  await stable(() => sims.reduce((n, sim) => n + sim.requests.length + sim.frames.length, 0), 300, 10_000, 'the nodes’ records');
  const mismatched = await settledMismatches(sims, nodeIds, players);

  const result = audit(commands, volumeCopies(sims), windows, started);
  const faultCount = Object.values(counts).reduce((a, b) => a + b, 0);
  const proxyStats = proxies.map((p) => p.stats);
  const line =
    `${label}: commands sent ${result.sent} resolved ${result.resolved} rejected ${result.rejected} pending ${result.pending}` +
    ` | volume resolved ${result.volumesResolved} lost ${result.lost.length} reordered ${result.reordered.length}` +
    ` repeated ${result.repeated} (outside windows ${result.repeatedOutside.length}, stale ${result.stale}) late-to-left-session ${result.abandoned} rejected-but-applied ${result.rejectedApplied.length}` +
    ` | final mismatches ${mismatched.length}/${players.length}` +
    ` | faults ${faultCount} (${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')})` +
    ` | links ${proxyStats.reduce((n, s) => n + s.accepted, 0)} reset ${proxyStats.reduce((n, s) => n + s.resets, 0)} refused ${proxyStats.reduce((n, s) => n + s.refused, 0)} bytes dropped ${proxyStats.reduce((n, s) => n + s.dropped, 0)}` +
    (result.rejected > 0 ? ` | rejections ${JSON.stringify(result.rejections)}` : '');
  console.log(line);
  const show = (items: string[]): string => `${items.slice(0, 8).join('; ')}${items.length > 8 ? `; … ${items.length - 8} more` : ''}`;
  if (result.rejected > 0) console.log(`${label}: rejected: ${show(commands.filter((c) => c.state === 'rejected').map((c) => `guild ${c.guildId} ${c.kind} ${String(c.value)} ${c.error}`))}`);
  // Told the bot it failed, yet the node applied it: the Player put its volume back, the node did not.
  if (result.rejectedApplied.length > 0) console.log(`${label}: rejected but applied: ${show(result.rejectedApplied)}`);

  const problems: string[] = [];
  if (result.pending > 0) problems.push(`${result.pending} commands never settled`);
  if (result.untyped.length > 0) problems.push(`${result.untyped.length} rejected without a LavalinkError: ${show(result.untyped)}`);
  if (result.lost.length > 0) problems.push(`${result.lost.length} of ${result.volumesResolved} resolved volume commands never reached a node: ${show(result.lost)}`);
  if (result.reordered.length > 0) problems.push(`${result.reordered.length} volume commands applied out of order: ${show(result.reordered)}`);
  if (result.repeatedOutside.length > 0) problems.push(`${result.repeatedOutside.length} repeats outside a fault window: ${show(result.repeatedOutside)}`);
  if (mismatched.length > 0) problems.push(`${mismatched.length} of ${players.length} guilds differ on the node: ${show(mismatched)}`);
  if (unhandled.length > 0) problems.push(`${unhandled.length} unhandled rejections or exceptions: ${show(unhandled.map(String))}`);
  return { line, problems };
}

describe('tcp faults', () => {
  for (const protocol of PROTOCOLS) {
    for (const transport of TRANSPORTS) {
      for (const { seed, seconds: given } of SEEDS) {
        const seconds = given ?? DEFAULT_SECONDS[transport];
        test(`v${protocol} ${transport}, seed ${seed}: ${seconds} s of TCP faults lose, reorder and strand no command`, { timeout: (seconds + 90) * 1000 }, async (t) => {
          const { problems } = await faultRun(t, protocol, transport, seed, seconds);
          assert.deepEqual(problems, [], 'delivery guarantees behind the fault proxy');
        });
      }
    }
  }

  /** One node behind a proxy, one player with voice and a track at volume 150. */
  async function onePlayer(t: TestContext, protocol: 3 | 4, options: SocketOptions, restTimeout: number) {
    const sim = await startSimulator(t, { protocol, playerUpdateIntervalMs: 500, statsIntervalMs: 1000 });
    const [proxy] = await proxied(t, [sim]);
    const manager = createManager(t, 'worker', [nodeFor(sim, 'node-0', { port: proxy!.port, version: protocol })], { defaultSocketOptions: options, restTimeout });
    manager.on('socketError', () => {});
    manager.init(USER_ID);
    const socket = manager.sockets.get('node-0')!;
    await socket.onReady();
    const { players } = await playersOn(manager, [sim], 1);
    const player = players[0]!;
    await player.setVolume(150);
    const nodeVolume = (): number | undefined => sim.players().find((p) => p.guildId === player.guildId && sim.sessions().some((s) => s.id === p.sessionId && s.state === 'open'))?.volume;
    await until(() => nodeVolume() === 150, 5000, 'volume 150 on the node');
    return { sim, proxy: proxy!, manager, socket, player };
  }

  for (const protocol of [4, 3] as const) {
    test(`v${protocol}: commands written into a stalled link that then resets still reach the node`, { timeout: 60_000 }, async (t) => {
      // deadAfter is long: the path resets before the client notices the stall, as in a real outage.
      const { sim, proxy, socket, player } = await onePlayer(t, protocol, { ...SOCKET_OPTIONS, deadAfter: 5000 }, 10_000);
      const a = sim.sessions().find((s) => s.state === 'open')!.id;
      proxy.blackhole(60_000);
      const commands: Command[] = [];
      for (const volume of [201, 202, 203]) run(commands, { guildId: player.guildId, kind: 'volume', value: volume }, () => player.setVolume(volume));
      // Neither protocol can resolve them now (v3 waits for the node to confirm its frames, v4
      // for its answer): wait until what the client wrote is in the stalled link.
      await until(() => proxy.links().some((l) => l.queuedUp > 0), 5000, 'the commands to be in the stalled link');
      assert.ok(commands.every((c) => c.state === 'pending'), 'nothing counts as delivered before the node has it');
      // The node sees the link go, and keeps the session for a resume before the client can come back.
      proxy.refuse(60_000);
      proxy.reset();
      await until(() => sim.sessions().find((s) => s.id === a)?.state === 'paused', 5000, 'the node to keep the session for a resume');
      proxy.heal();
      await until(() => commands.every((c) => c.state !== 'pending') && socket.ready && socket.queue.length === 0, 30_000, 'the commands to settle');
      await until(() => stateMismatch([sim], ['node-0'], player) === null, QUIET_MS, 'the node to match the player').catch(() => {});
      const got = (volumeCopies([sim]).get(player.guildId) ?? []).map((c) => c.volume);
      const told = commands.map((c) => `${String(c.value)} ${c.state}${c.error ? ` (${c.error})` : ''}`).join(', ');
      console.log(`stall-reset v${protocol}: commands ${told}; the node applied volumes ${got.join(',')}; resumed session ${sim.sessions().find((s) => s.state === 'open')?.id === a}`);
      const resolved = commands.filter((c) => c.state === 'resolved').map((c) => c.value);
      assert.deepEqual(got.filter((v) => resolved.includes(v)).filter((v, i, all) => all.indexOf(v) === i), resolved, `every resolved command reached the node, in order (the node applied ${got.join(',') || 'none'})`);
      assert.equal(stateMismatch([sim], ['node-0'], player), null);
    });

    test(`v${protocol}: a silent link, a second session, then a reset of both: the node resumed holds the Player's state`, { timeout: 60_000 }, async (t) => {
      const { sim, proxy, socket, player } = await onePlayer(t, protocol, { ...SOCKET_OPTIONS, deadAfter: 800, pingInterval: 100 }, 1000);
      const a = sim.sessions().find((s) => s.state === 'open')!.id;
      // Session A's link goes silent: the client gives it up and opens session B on a fresh path,
      // while the node still holds A open (it heard nothing of the client's end).
      proxy.blackhole(60_000);
      await until(() => sim.sessions().some((s) => s.id !== a && s.state === 'open') && socket.ready && socket.queue.length === 0, 10_000, 'a second session');
      const b = sim.sessions().find((s) => s.id !== a && s.state === 'open')!.id;
      await until(() => sim.players(b).some((p) => p.guildId === player.guildId && p.track !== null), 5000, 'the player on session B');
      await player.setVolume(300);
      await until(() => sim.players(b).find((p) => p.guildId === player.guildId)?.volume === 300, 5000, 'volume 300 on session B');
      // Both links reset, B's first; the client is kept out until the node has seen both go.
      proxy.refuse(60_000);
      proxy.reset((l) => !l.held);
      await until(() => sim.sessions().find((s) => s.id === b)?.state !== 'open', 5000, 'session B to lose its link');
      proxy.reset();
      await until(() => sim.sessions().find((s) => s.id === a)?.state !== 'open', 5000, 'session A to lose its link');
      const kept = sim.sessions().map((s) => `${s.id === a ? 'A' : s.id === b ? 'B' : s.id} ${s.state}`).join(', ');
      proxy.heal();
      await until(() => socket.ready && socket.queue.length === 0, 10_000, 'the client back');
      await until(() => stateMismatch([sim], ['node-0'], player) === null, QUIET_MS, 'the node to match the player').catch(() => {});
      const open = sim.sessions().find((s) => s.state === 'open');
      console.log(`stranded session v${protocol}: after both resets the node kept [${kept}]; the client is on ${open?.id === a ? 'A' : open?.id === b ? 'B' : 'a new session'}`);
      assert.equal(stateMismatch([sim], ['node-0'], player), null);
    });
  }
});
