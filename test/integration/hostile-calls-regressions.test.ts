/**
 * Hostile-call regressions, one per cause the hostile-call fuzz found (hostile-calls.test.ts), each
 * named after what it protects, through both transports. Every public call checks its arguments
 * at the boundary: a clear InvalidOptionError naming the argument, before any state changes, and
 * `null` options are missing options. Waits are bounded; nothing here measures time.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import { catchUnhandled } from '../helpers/unhandled.js';
import { ErrorCode, InvalidOptionError, LavalinkError, type Manager, type Player, type Socket, type Track } from '../../src/index.js';
import { createManager, nodeFor, transports, USER_ID, type TransportName } from '../helpers/manager.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';
const OTHER_GUILD = '1000000000000000002';
const CHANNEL = '2000000000000000001';
/** A guild id of its own for case `n`. */
const guildNumber = (n: number): string => `10000000000000${String(n).padStart(5, '0')}`;
/** A call must settle within this; generous, for a busy machine. Not a timing assertion. */
const BOUND_MS = 15_000;

type Outcome =
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'rejected'; readonly error: unknown }
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'resolved'; readonly value: unknown }
  | { readonly kind: 'pending' };

/** Makes a call and waits (bounded) for what it does: throws, returns, resolves, rejects, or stays pending. */
async function outcome(call: () => unknown, boundMs = BOUND_MS): Promise<Outcome> {
  let returned: unknown;
  try {
    returned = call();
  } catch (error) {
    return { kind: 'threw', error };
  }
  if (!(returned instanceof Promise)) return { kind: 'returned', value: returned };
  return settled(returned, boundMs);
}

async function settled(promise: Promise<unknown>, boundMs = BOUND_MS): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve({ kind: 'pending' }), boundMs)));
  try {
    return await Promise.race([promise.then((value): Outcome => ({ kind: 'resolved', value }), (error: unknown): Outcome => ({ kind: 'rejected', error })), pending]);
  } finally {
    clearTimeout(timer);
  }
}

function show(o: Outcome): string {
  if (o.kind === 'pending') return `still pending after ${BOUND_MS} ms`;
  if (o.kind === 'returned' || o.kind === 'resolved') return o.kind;
  const e = o.error;
  return `${o.kind} ${e instanceof LavalinkError ? `${e.name} ${e.code}` : e instanceof Error ? e.name : typeof e}: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * What broke, collected: each test checks every case and reports them all at the end, so one
 * failing case does not hide the others.
 */
class Problems {
  readonly list: string[] = [];

  check(ok: boolean, message: string): boolean {
    if (!ok) this.list.push(message);
    return ok;
  }

  /** The call was refused (thrown or rejected) with an InvalidOptionError whose `option` names `option`. */
  refused(o: Outcome, option: RegExp, what: string): void {
    if (!this.check(o.kind === 'threw' || o.kind === 'rejected', `${what}: expected a refusal, got ${show(o)}`)) return;
    const error = (o as { error: unknown }).error;
    if (!this.check(error instanceof LavalinkError && error.code === ErrorCode.InvalidOption, `${what}: expected LAVALINK_INVALID_OPTION, got ${show(o)}`)) return;
    if (!this.check(error instanceof InvalidOptionError, `${what}: expected an InvalidOptionError, got ${show(o)}`)) return;
    this.check(option.test((error as InvalidOptionError).option), `${what}: expected the error to name ${option.source.replace(/\\b|\^/g, '')}, it names \`${(error as InvalidOptionError).option}\` (${(error as Error).message.slice(0, 120)})`);
  }

  /** Fails the test with every problem found. */
  assertNone(): void {
    assert.deepEqual(this.list, [], `${this.list.length} problem(s):\n  - ${this.list.join('\n  - ')}`);
  }
}


interface Setup {
  manager: Manager;
  socket: Socket;
  player: Player;
  track: Track;
}

async function setup(t: TestContext, transport: TransportName, protocol: 3 | 4 = 4, nodes = 1): Promise<Setup> {
  const sim = await startSimulator(t, { protocol });
  const ids = ['main', 'second'].slice(0, nodes);
  const manager = createManager(t, transport, ids.map((id) => nodeFor(sim, id)), { readyTimeout: 5000 });
  manager.init(USER_ID);
  await Promise.all([...manager.sockets.values()].map((s) => s.onReady()));
  const result = await manager.load('sim:track?length=600000');
  assert.equal(result.loadType, 'track');
  return { manager, socket: manager.sockets.get('main')!, player: manager.create(GUILD, manager.sockets.get('main')), track: result.track };
}

/** What a worker cannot receive (structured clone refuses it, or reading it throws). */
function uncopyable(): [name: string, value: unknown][] {
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 20_000; i++) deep = { a: deep };
  const getter = {};
  Object.defineProperty(getter, 'x', { enumerable: true, get: () => { throw new Error('read'); } });
  return [
    ['a function', () => 1],
    ['a Symbol', Symbol('hostile')],
    ['a Promise', new Promise(() => {})],
    ['a 20,000-deep object', deep],
    ['an object whose getter throws', getter],
  ];
}

function throwingProxy(): object {
  const boom = (): never => {
    throw new Error('hostile proxy was read');
  };
  return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
}

describe('hostile-calls regressions', () => {
  for (const transport of transports) {
    describe(`${transport} transport`, () => {
      test('a filter value no worker can receive is refused at once with InvalidOptionError naming it, and player.filters never changes', async (t) => {
        const problems = new Problems();
        const { manager, socket } = await setup(t, transport);
        // One guild per value, all at once: a call that hangs costs the bound once, not per value.
        const cases = await Promise.all(
          uncopyable().map(async ([name, value], i) => {
            const player = manager.create(guildNumber(10 + i), socket);
            await player.setFilters({ timescale: { speed: 1.2 } });
            const before = player.filters;
            let atReturn: unknown;
            const o = await outcome(() => {
              const result = player.setFilters({ rotation: { rotationHz: value } } as never);
              atReturn = player.filters;
              return result;
            });
            return { name, player, before, atReturn, o };
          }),
        );
        for (const { name, player, before, atReturn, o } of cases) {
          problems.refused(o, /^filters\b/, `setFilters({ rotation: { rotationHz: ${name} } })`);
          problems.check(atReturn === before, `setFilters with ${name}: player.filters changed before the call was refused (it must be checked at the boundary)`);
          problems.check(player.filters === before, `setFilters with ${name}: player.filters changed, and stayed changed after the refusal`);
        }
        // The players and their node still take commands.
        const volume = await outcome(() => cases[0]!.player.setVolume(40));
        problems.check(volume.kind === 'resolved' && cases[0]!.player.volume === 40, `setVolume(40) afterwards: ${show(volume)}`);
        const closed = await outcome(() => manager.close());
        problems.check(closed.kind === 'resolved', `close(): ${show(closed)}`);
        problems.assertNone();
      });

      test('rest, request and send with a value no worker can receive reject with InvalidOptionError naming it, not DataCloneError, RangeError or a dead worker', async (t) => {
        const problems = new Problems();
        const { socket } = await setup(t, transport);
        const checks = uncopyable().flatMap(([name, value]) => [
          outcome(() => socket.rest('POST', '/v4/decodetracks', value)).then((o) => problems.refused(o, /^body\b/, `rest('POST', path, ${name})`)),
          outcome(() => socket.request({ kind: 'decode', tracks: [value] } as never)).then((o) => problems.refused(o, /^request\b/, `request({ kind: 'decode', tracks: [${name}] })`)),
          outcome(() => socket.send({ op: 'filters', guildId: GUILD, rotation: { rotationHz: value } })).then((sent) => {
            const error = (sent as { error?: unknown }).error;
            problems.check(
              (sent.kind === 'threw' || sent.kind === 'rejected') && error instanceof LavalinkError && (error.code === ErrorCode.InvalidOption || error.code === ErrorCode.BadOp),
              `send({ op: 'filters', ..., rotation: { rotationHz: ${name} } }): expected LAVALINK_INVALID_OPTION (or BAD_OP), got ${show(sent)}`,
            );
          }),
        ]);
        await Promise.all(checks);
        problems.check(socket.queue.length === 0, `nothing refused stays queued; the queue holds ${socket.queue.length} op(s)`);
        const version = await outcome(() => socket.rest('GET', '/version'));
        problems.check(version.kind === 'resolved', `the socket still answers: ${show(version)}`);
        problems.assertNone();
      });

      test('an argument that throws while being read is refused with a LavalinkError; no unhandled rejection, and close() resolves', async (t) => {
        const problems = new Problems();
        const seen = catchUnhandled(t);
        const { manager, socket, player, track } = await setup(t, transport);
        const getterThrows = (key: string): object =>
          Object.defineProperty({}, key, {
            enumerable: true,
            get: () => {
              throw new Error(`${key} was read`);
            },
          });
        const calls: [string, () => unknown][] = [
          ['manager.create(proxy)', () => manager.create(throwingProxy() as never)],
          ['manager.get(proxy)', () => manager.get(throwingProxy() as never)],
          ['manager.destroy(proxy)', () => manager.destroy(throwingProxy() as never)],
          ['manager.load(proxy)', () => manager.load(throwingProxy() as never)],
          ['manager.search(proxy)', () => manager.search(throwingProxy() as never)],
          ['manager.decode(proxy)', () => manager.decode(throwingProxy() as never)],
          ['manager.decode(track, proxy)', () => manager.decode(track.encoded, throwingProxy())],
          ['player.connect(proxy)', () => player.connect(throwingProxy() as never)],
          ['player.connect(channel, { get selfDeaf() { throw } })', () => player.connect(CHANNEL, getterThrows('selfDeaf'))],
          ['player.play(proxy)', () => player.play(throwingProxy() as never)],
          ['player.play(track, { get volume() { throw } })', () => player.play(track, getterThrows('volume'))],
          ['player.play(track, proxy)', () => player.play(track, throwingProxy())],
          ['player.seek(proxy)', () => player.seek(throwingProxy() as never)],
          ['player.setVolume(proxy)', () => player.setVolume(throwingProxy() as never)],
          ['player.setFilters(proxy)', () => player.setFilters(throwingProxy())],
          ['player.setFilters({ get volume() { throw } })', () => player.setFilters(getterThrows('volume'))],
          ['player.setFilters({ timescale: { get speed() { throw } } })', () => player.setFilters({ timescale: getterThrows('speed') })],
          ['player.setEqualizer(proxy)', () => player.setEqualizer(throwingProxy() as never)],
          ['socket.send(proxy)', () => socket.send(throwingProxy() as never)],
          ["socket.send({ op: 'filters', guildId, get x() { throw } })", () => socket.send(Object.assign(getterThrows('x'), { op: 'filters', guildId: GUILD }) as never)],
          ["socket.rest('POST', path, { get x() { throw } })", () => socket.rest('POST', '/v4/decodetracks', getterThrows('x'))],
          ["socket.request({ kind: 'load', get identifier() { throw } })", () => socket.request(Object.assign(getterThrows('identifier'), { kind: 'load' }) as never)],
          ['socket.request(proxy)', () => socket.request(throwingProxy() as never)],
        ];
        const promises: [string, Promise<unknown>][] = [];
        await Promise.all(
          calls.map(async ([what, call]) => {
            let returned: unknown;
            const o = await outcome(() => (returned = call()));
            if (returned instanceof Promise) promises.push([what, returned.catch(() => {})]);
            const error = (o as { error?: unknown }).error;
            problems.check((o.kind === 'threw' || o.kind === 'rejected') && error instanceof LavalinkError && error.code === ErrorCode.InvalidOption, `${what}: expected LAVALINK_INVALID_OPTION, got ${show(o)}`);
          }),
        );
        const closed = await outcome(() => manager.close());
        problems.check(closed.kind === 'resolved', `close(): ${show(closed)}`);
        for (const [what, p] of promises) problems.check((await settled(p, 1000)).kind !== 'pending', `${what}: still pending after close() resolved`);
        await new Promise((resolve) => setImmediate(resolve));
        for (const reason of seen) problems.check(false, `unhandled: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`);
        problems.assertNone();
      });

      test('manager.create refuses a socket that is not one of its own, and adds no player', async (t) => {
        const problems = new Problems();
        const { manager, socket } = await setup(t, transport);
        const sim = await startSimulator(t);
        const other = createManager(t, 'inline', [nodeFor(sim, 'main')], { readyTimeout: 2000 });
        const notSockets: [string, unknown][] = [
          ['an object that looks like a Socket', { id: 'main', manager, send: () => Promise.resolve(), ready: true }],
          ['Object.create(Socket.prototype)', Object.create(Object.getPrototypeOf(socket) as object)],
          ["another manager's Socket", other.sockets.get('main')],
          ['a Proxy that throws', throwingProxy()],
          ['a number', 5],
        ];
        for (const [name, value] of notSockets) {
          const o = await outcome(() => manager.create(OTHER_GUILD, value as never));
          problems.refused(o, /^socket\b/, `create(guild, ${name})`);
          problems.check(!manager.players.has(OTHER_GUILD), `create(guild, ${name}): a player was added`);
          manager.players.delete(OTHER_GUILD); // for the next case (its destroy() would need a real socket)
        }
        // The guild can still get a player.
        const volume = await outcome(() => manager.create(OTHER_GUILD).setVolume(30));
        problems.check(volume.kind === 'resolved', `create(guild).setVolume(30) afterwards: ${show(volume)}`);
        problems.assertNone();
      });

      test('player.moveTo refuses what is not a Socket of its manager: the player stays on its socket, and an op queued before it settles', async (t) => {
        const problems = new Problems();
        const { manager, socket } = await setup(t, transport, 4, 2);
        const sim = await startSimulator(t);
        const other = createManager(t, 'inline', [nodeFor(sim, 'main')], { readyTimeout: 2000 });
        const notSockets: [string, () => unknown][] = [
          ['an object that looks like a Socket', () => ({ id: 'second', manager, send: () => Promise.resolve(), ready: true })],
          ['Object.create(Socket.prototype)', () => Object.create(Object.getPrototypeOf(socket) as object)],
          ["another manager's Socket", () => other.sockets.get('main')],
          ['a Proxy that throws', () => throwingProxy()],
          ['null', () => null],
        ];
        // One guild per case, all at once: a call that hangs costs the bound once.
        const cases = await Promise.all(
          notSockets.map(async ([name, make], i) => {
            const player = manager.create(guildNumber(20 + i), socket);
            // An op the node has not answered yet when the move is asked.
            const queued = player.setVolume(20 + i);
            queued.catch(() => {});
            const o = await outcome(() => player.moveTo(make() as never));
            const socketAfter = player.socket;
            const q = await settled(queued);
            return { name, player, o, socketAfter, queued, q };
          }),
        );
        for (const { name, o, socketAfter, q } of cases) {
          problems.refused(o, /^socket\b/, `moveTo(${name})`);
          problems.check(socketAfter === socket, `moveTo(${name}): player.socket changed`);
          problems.check(q.kind === 'resolved', `moveTo(${name}): the setVolume queued before it should resolve, got ${show(q)}`);
        }
        // A player still moves to a socket of its own.
        const second = manager.sockets.get('second')!;
        const mover = manager.create(guildNumber(30), socket);
        const moved = await outcome(() => mover.moveTo(second));
        problems.check(moved.kind === 'resolved' && mover.socket === second, `moveTo(a socket of its own) afterwards: ${show(moved)}`);
        // Put the refused players back where they were, so close() meets only real sockets.
        for (const { player } of cases) player.socket = socket;
        const closed = await outcome(() => manager.close());
        problems.check(closed.kind === 'resolved', `close(): ${show(closed)}`);
        for (const { name, queued } of cases) problems.check((await settled(queued.catch(() => {}), 1000)).kind !== 'pending', `moveTo(${name}): the op queued before it is still pending after close() resolved`);
        problems.assertNone();
      });

      test('null options are missing options: play(track, null), connect(channel, null), decode(track, null); search(query, Symbol()) is refused naming `source`', async (t) => {
        const problems = new Problems();
        const { manager, player, track } = await setup(t, transport);
        const played = await outcome(() => player.play(track, null));
        problems.check(played.kind === 'resolved' && player.track?.encoded === track.encoded, `play(track, null): expected to play as play(track), got ${show(played)}`);
        // Discord's answer to the op 4 (connect() waits for the node to have the credentials).
        manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: GUILD, channel_id: CHANNEL, user_id: USER_ID, session_id: 'discord-session' } });
        manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { token: 'voice-token', guild_id: GUILD, endpoint: 'us-east1.discord.media:443' } });
        const connected = await outcome(() => player.connect(CHANNEL, null));
        problems.check(connected.kind === 'resolved', `connect(channel, null): expected to connect as connect(channel), got ${show(connected)}`);
        const decoded = await outcome(() => manager.decode(track.encoded, null));
        problems.check(decoded.kind === 'resolved' && (decoded.value as Track).encoded === track.encoded, `decode(track, null): expected the track, got ${show(decoded)}`);
        problems.refused(await outcome(() => manager.search('never gonna', Symbol('source') as never)), /^source\b/, 'search(query, Symbol())');
        problems.assertNone();
      });

      for (const protocol of [4, 3] as const) {
        test(`v${protocol}: a filter value JSON cannot write (BigInt, a cycle) is refused at once with InvalidOptionError, never retried, and another guild's command is not held up`, async (t) => {
          const problems = new Problems();
          const { manager, socket, player } = await setup(t, transport, protocol);
          const other = manager.create(OTHER_GUILD, socket);
          const cycle: Record<string, unknown> = { speed: 1 };
          cycle.self = cycle;
          for (const [name, filters] of [
            ['a BigInt', { volume: 10n }],
            ['a cycle', { timescale: cycle }],
          ] as const) {
            const before = player.filters;
            let queuedAtReturn = false;
            const refused = outcome(() => {
              const result = player.setFilters(filters as never);
              queuedAtReturn = socket.queue.some((op) => op.guildId === GUILD && op.op === 'filters');
              return result;
            });
            // Sent right behind it: it must not wait for the refused op's retries.
            const volume = outcome(() => other.setVolume(50));
            const [r, v] = await Promise.all([refused, volume]);
            problems.refused(r, /^filters\b/, `setFilters with ${name}`);
            problems.check(player.filters === before, `setFilters with ${name}: player.filters changed`);
            // Refused at the boundary, it never enters the node's queue: nothing can wait behind it, nothing retries it.
            problems.check(!queuedAtReturn, `setFilters with ${name}: the op entered the node's queue (v4 retries it there as a network error while the ops behind it wait)`);
            problems.check(v.kind === 'resolved', `setFilters with ${name}: the other guild's setVolume sent behind it: ${show(v)}`);
          }
          for (const [name, body] of [
            ['a BigInt', { a: 10n }],
            ['a cycle', cycle],
          ] as const) {
            problems.refused(await outcome(() => socket.rest('POST', protocol === 4 ? '/v4/decodetracks' : '/decodetracks', body)), /^body\b/, `rest('POST', path, ${name})`);
          }
          problems.check(socket.queue.length === 0, `nothing refused stays queued; the queue holds ${socket.queue.length} op(s)`);
          problems.assertNone();
        });
      }
    });
  }
});
