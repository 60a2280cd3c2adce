/**
 * Hostile sequences of public calls: fast-check arbitraries of calls (plausible arguments mixed
 * with hostile ones, see hostile-values.ts) and a runner that makes them against a live simulator
 * and says what went wrong. Model-free: it does not predict results, it checks what every call
 * must do whatever its arguments are.
 *
 * What a run checks:
 * - every call returns, resolves, or throws/rejects a LavalinkError with a known code;
 * - every call settles within `callBoundMs` (a generous bound, not a timing figure);
 * - a call refused with LAVALINK_INVALID_OPTION changed nothing: not before it was refused (read
 *   right after the call returns) and not after (read once it settled, when nothing else ran);
 * - every player in `manager.players` is on a socket of that manager;
 * - `manager.close()` settles, and once it has, every promise the run got has settled;
 * - no unhandledRejection or uncaughtException, no Object.prototype pollution.
 */
import fc from 'fast-check';
import { ErrorCode, LavalinkError, Manager, Player, RestError, Socket, type SessionSnapshot, type SessionStore, type Track } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { nodeFor, USER_ID } from './manager.js';
import { arr, hostile, HOSTILE, lit, materialiseArgs, obj, omit, ref, renderArgs, type Arg, type HostileWorld } from './hostile-values.js';

export const GUILDS = ['1000000000000000001', '1000000000000000002', '1000000000000000003'] as const;
const SPARE_GUILD = '1000000000000000009';
const CHANNELS = ['2000000000000000001', '2000000000000000002'] as const;

export type Target = 'manager' | 'socket0' | 'socket1' | 'foreignSocket' | 'player0' | 'player1' | 'player2';

export interface Call {
  readonly target: Target;
  readonly method: string;
  readonly args: readonly Arg[];
  /** Whether the sequence waits for this call to settle before the next one. */
  readonly wait: boolean;
}

const TARGET_TEXT: Record<Target, string> = {
  manager: 'manager',
  socket0: 'sockets[0]',
  socket1: 'sockets[1]',
  foreignSocket: 'foreignSocket',
  player0: 'player[0]',
  player1: 'player[1]',
  player2: 'player[2]',
};

export function renderCall(call: Call): string {
  return `${TARGET_TEXT[call.target]}.${call.method}(${renderArgs(call.args)})${call.wait ? '' : ' /* not awaited */'}`;
}

/** `player.play`, `socket.rest`: a call's method, for grouping failures. */
function methodName(call: Call): string {
  return `${call.target === 'foreignSocket' ? 'socket' : call.target.replace(/\d$/, '')}.${call.method}`;
}

function makeCall(target: Target, method: string, args: readonly Arg[], wait: boolean): Call {
  const call = { target, method, args, wait };
  // fast-check prints counterexamples with this.
  return Object.assign(call, { [fc.toStringMethod]: () => renderCall(call) });
}

// ---------------------------------------------------------------- arbitraries

const hostileArb: fc.Arbitrary<Arg> = fc.constantFrom(...HOSTILE).map(hostile);
/** Plausible mostly, hostile sometimes. */
const maybe = (arb: fc.Arbitrary<Arg>, plausibleWeight = 3): fc.Arbitrary<Arg> =>
  fc.oneof({ arbitrary: arb, weight: plausibleWeight }, { arbitrary: hostileArb, weight: 1 });
/** A trailing argument: left out, or given. */
const opt = (arb: fc.Arbitrary<Arg>): fc.Arbitrary<Arg> => fc.oneof({ arbitrary: fc.constant(omit), weight: 1 }, { arbitrary: arb, weight: 2 });
/** An object with any subset of these fields. */
const objArb = (fields: Record<string, fc.Arbitrary<Arg>>): fc.Arbitrary<Arg> =>
  fc.record(fields, { requiredKeys: [] }).map((record) => obj(Object.entries(record).filter((entry): entry is [string, Arg] => entry[1] !== undefined)));
const int = (min: number, max: number): fc.Arbitrary<Arg> => fc.integer({ min, max }).map(lit);
/** Hundredths, so counterexamples stay readable. */
const real = (min: number, max: number): fc.Arbitrary<Arg> => fc.integer({ min: Math.round(min * 100), max: Math.round(max * 100) }).map((n) => lit(n / 100));
const bool: fc.Arbitrary<Arg> = fc.boolean().map(lit);
const text = (...values: string[]): fc.Arbitrary<Arg> => fc.constantFrom(...values).map(lit);

const guildLit = fc.integer({ min: 0, max: GUILDS.length - 1 }).map((i) => lit(GUILDS[i]!));
const guildArg = fc.oneof({ arbitrary: guildLit, weight: 4 }, { arbitrary: guildLit.map((g) => obj([['id', g]])), weight: 1 }, { arbitrary: hostileArb, weight: 2 });
const socketArg = fc.oneof(
  { arbitrary: fc.constantFrom(ref('socket0'), ref('socket1')), weight: 3 },
  { arbitrary: fc.constantFrom(hostile('fakeSocket'), hostile('protoSocket'), hostile('foreignSocket')), weight: 2 },
  { arbitrary: hostileArb, weight: 1 },
);
const trackArg = fc.oneof({ arbitrary: fc.constantFrom(ref('track0'), ref('track1')), weight: 4 }, { arbitrary: fc.constant(lit('QAAA')), weight: 1 }, { arbitrary: hostileArb, weight: 2 });
const encodedArg = fc.oneof({ arbitrary: fc.constant(ref('track1')), weight: 3 }, { arbitrary: text('QAAA', '!!'), weight: 1 }, { arbitrary: hostileArb, weight: 1 });
const channelArg = fc.oneof(
  { arbitrary: text(...CHANNELS), weight: 3 },
  { arbitrary: text(...CHANNELS).map((c) => obj([['id', c]])), weight: 1 },
  { arbitrary: hostileArb, weight: 2 },
);
const bandsArb = maybe(fc.array(maybe(objArb({ band: maybe(int(0, 14)), gain: maybe(real(-0.25, 1)) })), { maxLength: 3 }).map(arr));
const filterFields = {
  volume: maybe(real(0, 5)),
  equalizer: bandsArb,
  timescale: maybe(objArb({ speed: maybe(real(0.1, 3)), pitch: maybe(real(0.1, 3)), rate: maybe(real(0.1, 3)) })),
  rotation: maybe(objArb({ rotationHz: maybe(real(0, 2)), frequency: maybe(real(0, 2)) })),
  karaoke: maybe(objArb({ level: maybe(real(0, 1)) })),
  lowPass: maybe(objArb({ smoothing: maybe(real(1, 50)) })),
  pluginFilters: maybe(objArb({ echo: maybe(objArb({ delay: maybe(real(0, 1)) })) })),
};
const filtersArb = maybe(objArb(filterFields));
const playOptions = opt(
  maybe(
    objArb({
      startTime: maybe(int(0, 10_000)),
      endTime: maybe(int(10_000, 600_000)),
      noReplace: maybe(bool),
      paused: maybe(bool),
      volume: maybe(int(0, 1000)),
      userData: maybe(objArb({ requester: maybe(text('someone')) })),
    }),
  ),
);
const connectOptions = opt(maybe(objArb({ selfDeaf: maybe(bool), selfMute: maybe(bool) })));
const identifierArg = maybe(text('sim:track?length=600000', 'sim:empty', 'sim:playlist?size=3', 'sim:error?message=nope', 'sim:stream'));
const decodeInput = fc.oneof(
  { arbitrary: encodedArg, weight: 3 },
  // 16 tracks or more are decoded on a worker.
  { arbitrary: fc.array(encodedArg, { minLength: 1, maxLength: 20 }).map(arr), weight: 2 },
  { arbitrary: hostileArb, weight: 1 },
);
const voiceState = maybe(objArb({ guild_id: maybe(guildLit), channel_id: maybe(text(...CHANNELS)), user_id: maybe(fc.constant(ref('userId'))), session_id: maybe(text('discord-session')) }), 4);
const voiceServer = maybe(objArb({ guild_id: maybe(guildLit), token: maybe(text('voice-token')), endpoint: maybe(text('us-east1.discord.media:443', '')) }), 4);
const rawPacket = maybe(
  fc.oneof(
    voiceState.map((d) => obj([['t', lit('VOICE_STATE_UPDATE')], ['d', d]])),
    voiceServer.map((d) => obj([['t', lit('VOICE_SERVER_UPDATE')], ['d', d]])),
    fc.constant(obj([['t', lit('MESSAGE_CREATE')], ['d', obj([])]])),
  ),
);
const opArb = maybe(
  fc
    .tuple(
      maybe(text('play', 'stop', 'pause', 'seek', 'volume', 'filters', 'equalizer', 'voiceUpdate', 'destroy', 'jump'), 6),
      maybe(guildLit, 6),
      objArb({
        track: encodedArg,
        startTime: maybe(int(0, 10_000)),
        volume: maybe(int(0, 1000)),
        pause: maybe(bool),
        position: maybe(int(0, 600_000)),
        bands: bandsArb,
        sessionId: maybe(text('discord-session')),
        event: maybe(objArb({ token: maybe(text('voice-token')), guild_id: maybe(guildLit), endpoint: maybe(text('us-east1.discord.media:443')) })),
        timescale: filterFields.timescale,
        x: hostileArb,
      }),
    )
    .map(([name, guildId, rest]) => obj([['op', name], ['guildId', guildId], ...(rest.k === 'obj' ? rest.e : [])])),
  6,
);
const restMethod = maybe(text('GET', 'POST', 'PATCH', 'DELETE'));
const restPath = maybe(text('/version', '/v4/info', '/v3/info', '/v4/stats', '/v4/decodetracks', '/decodetracks', 'no-slash'));
const restBody = opt(maybe(fc.oneof(fc.array(encodedArg, { maxLength: 3 }).map(arr), objArb(filterFields))));
const requestArg = maybe(
  objArb({
    kind: maybe(text('load', 'decode', 'info', 'stats', 'version', 'routePlanner', 'unmark', 'players', 'nope'), 6),
    identifier: identifierArg,
    tracks: maybe(fc.array(encodedArg, { maxLength: 3 }).map(arr)),
    address: maybe(text('127.0.0.1')),
  }),
  6,
);

type Method = readonly [method: string, args: fc.Arbitrary<readonly Arg[]>, weight: number];
const none: fc.Arbitrary<readonly Arg[]> = fc.constant([]);
const args = (...list: fc.Arbitrary<Arg>[]): fc.Arbitrary<readonly Arg[]> => fc.tuple(...list);

const managerMethods: Method[] = [
  ['create', args(guildArg, opt(socketArg)), 3],
  ['get', args(guildArg), 1],
  ['destroy', args(guildArg), 1],
  ['load', args(identifierArg), 2],
  ['search', args(maybe(text('never gonna', 'https://example.com/a.mp3', 'scsearch:x', '   ')), opt(maybe(text('ytsearch', 'scsearch', '')))), 2],
  ['decode', args(decodeInput, opt(maybe(objArb({ rest: maybe(bool) })))), 2],
  ['handleRaw', args(rawPacket), 2],
  ['stateUpdate', args(voiceState), 1],
  ['serverUpdate', args(voiceServer), 1],
  ['saveSessions', none, 1],
  ['loadSearch', args(maybe(text('architects', 'spsearch:x', '   ')), opt(maybe(objArb({ types: maybe(fc.array(text('track', 'album', 'song'), { maxLength: 3 }).map(arr)), source: maybe(text('spsearch', '')) })))), 1],
  ['lyrics', args(trackArg, opt(maybe(objArb({ skipTrackSource: maybe(bool) })))), 1],
];
const socketMethods: Method[] = [
  ['send', args(opArb), 4],
  ['rest', args(restMethod, restPath, restBody), 2],
  ['request', args(requestArg), 2],
  ['configureResuming', args(opt(maybe(text('key')))), 1],
  ['onReady', none, 1],
  ['connect', args(opt(maybe(fc.constant(ref('userId'))))), 1],
];
const playerMethods: Method[] = [
  ['connect', args(channelArg, connectOptions), 2],
  ['disconnect', none, 1],
  ['play', args(trackArg, playOptions), 4],
  ['stop', none, 1],
  ['pause', args(opt(maybe(bool))), 1],
  ['resume', none, 1],
  ['seek', args(maybe(int(0, 600_000))), 2],
  ['setVolume', args(maybe(int(0, 1000))), 2],
  ['setFilters', args(filtersArb), 4],
  ['setEqualizer', args(bandsArb), 2],
  ['moveTo', args(socketArg), 3],
  ['destroy', none, 1],
  // The queue and the plugin calls: `queue.add` is player.queue.add.
  ['queue.add', args(fc.oneof(trackArg, fc.array(trackArg, { maxLength: 3 }).map(arr)), opt(maybe(int(-2, 5)))), 2],
  ['queue.start', none, 1],
  ['queue.skip', args(opt(maybe(int(0, 3)))), 1],
  ['queue.previous', none, 1],
  ['queue.remove', args(maybe(int(-1, 3))), 1],
  ['queue.shuffle', none, 1],
  ['queue.clear', none, 1],
  ['sponsorBlock.setCategories', args(maybe(fc.array(text('sponsor', 'intro', 'ads'), { maxLength: 3 }).map(arr))), 1],
  ['sponsorBlock.categories', none, 1],
  ['lyrics.current', args(opt(maybe(objArb({ skipTrackSource: maybe(bool) })))), 1],
  ['lyrics.subscribe', none, 1],
];

const wait = fc.constantFrom(true, false); // shrinks towards waiting for each call
const weighted = (targets: fc.Arbitrary<Target>, methods: Method[]): fc.WeightedArbitrary<Call>[] =>
  methods.map(([method, argList, weight]) => ({ weight, arbitrary: fc.tuple(targets, argList, wait).map(([target, list, w]) => makeCall(target, method, list, w)) }));

/** One public call, on the manager, one of its two sockets, or one of three guilds' players. */
export const callArb: fc.Arbitrary<Call> = fc.oneof(
  ...weighted(fc.constant<Target>('manager'), managerMethods),
  ...weighted(fc.constantFrom<Target>('socket0', 'socket1'), socketMethods),
  // Another manager's socket (never started): onReady() there waits for an init() that never comes.
  ...weighted(fc.constant<Target>('foreignSocket'), socketMethods.filter(([method]) => method !== 'onReady').map(([method, list]): Method => [method, list, 1])),
  ...weighted(fc.constantFrom<Target>('player0', 'player1', 'player2'), playerMethods),
);

export const sequenceArb = (maxLength = 40): fc.Arbitrary<Call[]> => fc.array(callArb, { minLength: 1, maxLength });

// ---------------------------------------------------------------- running

export interface RunSettings {
  readonly transport: 'worker' | 'inline';
  readonly sim: LavalinkSimulator;
  readonly tracks: readonly Track[];
  /** Every call must settle within this (ms). */
  readonly callBoundMs: number;
  /** After close() resolved, how long earlier promises get to show they settled (ms). */
  readonly graceMs: number;
  /** Stop at the first broken rule (what shrinking needs); else go on, to see what follows from it. */
  readonly stopAtFirst: boolean;
}

export interface Violation {
  /** What kind of failure, for grouping: `player.setFilters: rejected with TypeError`. */
  readonly kind: string;
  readonly detail: string;
}

export interface RunReport {
  readonly violations: Violation[];
  /** The calls made, as text. */
  readonly made: string[];
  /** Each call and what it did, for the failure message. */
  readonly log: string[];
}

type Settlement =
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'resolved'; readonly value: unknown }
  | { readonly kind: 'rejected'; readonly error: unknown };

interface Tracked {
  readonly index: number;
  readonly call: Call;
  readonly startedAt: number;
  readonly done: Promise<Settlement>;
  settlement: Settlement | null;
}

interface PlayerState {
  readonly player: Player;
  readonly socket: Socket;
  readonly volume: number;
  readonly filters: unknown;
  readonly paused: boolean;
  readonly track: unknown;
  readonly channel: string | null;
  readonly destroyed: boolean;
}
interface WorldState {
  readonly players: readonly (readonly [string, Player])[];
  readonly each: readonly PlayerState[];
}

const knownCodes = new Set<string>(Object.values(ErrorCode));

/**
 * Failures a healthy run cannot have: no worker dies, the network to 127.0.0.1 does not fail, and
 * a connection error from a call is another error wrapped. Each of these is a wrong argument
 * taken for something else.
 */
function misattributed(error: LavalinkError): string | null {
  if (error.code === ErrorCode.WorkerExited) return 'LAVALINK_WORKER_EXITED though no worker exited';
  if (error.code === ErrorCode.Connection) return 'LAVALINK_CONNECTION_ERROR (another error, wrapped)';
  if (error instanceof RestError && error.status === 0) return 'a status-0 RestError though the network is fine';
  return null;
}

function describeError(error: unknown): string {
  if (error instanceof LavalinkError) return `${error.name} ${error.code}: ${error.message.slice(0, 160)}`;
  if (error instanceof Error) return `${error.name}: ${error.message.slice(0, 160)}`;
  try {
    return `non-error ${String(error)}`.slice(0, 160);
  } catch {
    return 'non-error value';
  }
}

/** Error class name for grouping (`TypeError`, `Error`, `InvalidOptionError`...). */
function errorKind(error: unknown): string {
  if (error instanceof Error) return error.constructor.name;
  return typeof error;
}

function describeSettlement(s: Settlement | null): string {
  if (s === null) return 'PENDING';
  switch (s.kind) {
    case 'returned':
      return `returned ${s.value instanceof Player ? `player ${s.value.guildId}` : typeof s.value}`;
    case 'resolved':
      return 'resolved';
    case 'threw':
      return `threw ${describeError(s.error)}`;
    case 'rejected':
      return `rejected ${describeError(s.error)}`;
  }
}

function stateOf(manager: Manager, players: readonly Player[]): WorldState {
  const all = new Set<Player>([...players, ...manager.players.values()]);
  return {
    players: [...manager.players.entries()],
    each: [...all].map((p) => ({ player: p, socket: p.socket, volume: p.volume, filters: p.filters, paused: p.paused, track: p.track, channel: p.channel, destroyed: p.destroyed })),
  };
}

/** Fields that differ between two states (`player 1…1 filters`, `manager.players`). */
function stateChanges(before: WorldState, after: WorldState, fields: readonly (keyof PlayerState)[]): string[] {
  const changes: string[] = [];
  const same = before.players.length === after.players.length && before.players.every(([g, p], i) => after.players[i]?.[0] === g && after.players[i]?.[1] === p);
  if (!same) changes.push('manager.players');
  for (const old of before.each) {
    const now = after.each.find((s) => s.player === old.player);
    if (!now) continue;
    for (const field of fields) if (!Object.is(old[field], now[field])) changes.push(`player ${old.player.guildId} .${field}`);
  }
  return changes;
}

/** Whether a promise settles within `ms`; never leaves a timer behind. */
async function within<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function describeSocket(socket: unknown, world: HostileWorld): string {
  if (socket === world.foreignSocket) return 'a Socket of another Manager';
  if (socket instanceof Socket) return 'a Socket never constructed (or of another Manager)';
  return 'an object that is not a Socket';
}

function memoryStore(): SessionStore {
  let saved: string | null = null;
  return {
    load: () => Promise.resolve(saved === null ? null : (JSON.parse(saved) as SessionSnapshot)),
    save: (snapshot) => {
      saved = JSON.stringify(snapshot); // what a file or database store does
      return Promise.resolve();
    },
  };
}

function targetOf(target: Target, world: HostileWorld, players: Player[]): object {
  switch (target) {
    case 'manager':
      return world.manager;
    case 'socket0':
      return world.sockets[0]!;
    case 'socket1':
      return world.sockets[1]!;
    case 'foreignSocket':
      return world.foreignSocket;
    case 'player0':
      return players[0]!;
    case 'player1':
      return players[1]!;
    case 'player2':
      return players[2]!;
  }
}

/** Makes `calls` against a fresh manager on `settings.sim`, and reports every rule they broke. */
export async function runSequence(calls: readonly Call[], settings: RunSettings): Promise<RunReport> {
  const violations: Violation[] = [];
  const log: string[] = [];
  const violate = (kind: string, detail: string): void => {
    violations.push({ kind, detail });
  };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  const onUncaught = (error: unknown): void => {
    unhandled.push(error);
  };
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUncaught);

  const { sim, callBoundMs } = settings;
  const options = {
    send: () => {},
    workers: settings.transport === 'worker' ? 1 : 0,
    defaultSocketOptions: { retryDelay: 50, maxRetryDelay: 500, maxTries: 5, resumeTimeout: 5 },
    readyTimeout: 5000,
    restTimeout: 5000,
    // No gateway answers op 4 here: a connect() rejects LAVALINK_VOICE_TIMEOUT, well inside the bound.
    voiceTimeout: 2000,
  };
  const manager = new Manager([nodeFor(sim, 'a'), nodeFor(sim, 'b')], { ...options, sessionStore: memoryStore() });
  const foreign = new Manager([nodeFor(sim, 'a')], { ...options, workers: 0, readyTimeout: 2000 });
  const tracked: Tracked[] = [];
  try {
    manager.init(USER_ID);
    const sockets = [...manager.sockets.values()];
    if (!(await within(Promise.all(sockets.map((s) => s.onReady())), callBoundMs))) throw new Error('setup: the sockets were not ready in time');
    const players = GUILDS.map((g) => manager.create(g));
    const destroyedPlayer = manager.create(SPARE_GUILD);
    await destroyedPlayer.destroy();
    const world: HostileWorld = { manager, sockets, foreignSocket: foreign.sockets.get('a')!, destroyedPlayer, tracks: settings.tracks, userId: USER_ID };

    const outstanding = (): Tracked[] => tracked.filter((entry) => entry.settlement === null);
    const misplaced = new Set<Player>(); // each reported once, by the call that put it there
    const checkPlacement = (index: number, method: string): void => {
      for (const player of manager.players.values()) {
        if (!sockets.includes(player.socket) && !misplaced.has(player)) {
          misplaced.add(player);
          violate(`${method}: left a player on a socket that is not this manager's`, `after call #${index}: the player of guild ${player.guildId} is on ${describeSocket(player.socket, world)}, not a socket of this manager`);
          return;
        }
      }
    };

    for (const [index, call] of calls.entries()) {
      const text = `#${index} ${renderCall(call)}`;
      const quiet = outstanding().length === 0;
      const before = stateOf(manager, players);
      const owner = targetOf(call.target, world, players) as Record<string, unknown>;
      // `queue.add`: a method of one of the target's parts (player.queue, player.lyrics...).
      const [part, name] = call.method.includes('.') ? call.method.split('.') : [null, call.method];
      const target = (part === null ? owner : owner[part]) as Record<string, unknown>;
      const method = target[name];
      if (typeof method !== 'function') throw new Error(`test bug: ${call.target}.${call.method} is not a function`);
      const startedAt = Date.now();
      let settlement: Settlement | null = null;
      let returned: unknown;
      try {
        returned = (method as (...a: unknown[]) => unknown).apply(target, materialiseArgs(call.args, world));
        if (!(returned instanceof Promise)) settlement = { kind: 'returned', value: returned };
      } catch (error) {
        settlement = { kind: 'threw', error };
      }
      const afterReturn = stateOf(manager, players);
      if (settlement?.kind === 'returned' && returned instanceof Player) {
        const slot = GUILDS.indexOf(returned.guildId as (typeof GUILDS)[number]);
        if (slot !== -1) players[slot] = returned;
      }
      const entry: Tracked = {
        index,
        call,
        startedAt,
        settlement,
        done:
          settlement !== null
            ? Promise.resolve(settlement)
            : (returned as Promise<unknown>).then(
                (value): Settlement => ({ kind: 'resolved', value }),
                (error: unknown): Settlement => ({ kind: 'rejected', error }),
              ),
      };
      tracked.push(entry);
      const method_ = methodName(call);
      void entry.done.then((s) => {
        entry.settlement = s;
        if (s.kind === 'threw' || s.kind === 'rejected') {
          const how = s.kind === 'threw' ? 'threw' : 'rejected with';
          if (!(s.error instanceof LavalinkError)) {
            violate(`${method_}: ${how} ${errorKind(s.error)} (not a LavalinkError)`, `${text}: ${describeSettlement(s)}`);
          } else if (!knownCodes.has(s.error.code)) {
            violate(`${method_}: ${how} unknown code ${s.error.code}`, `${text}: ${describeSettlement(s)}`);
          } else if (misattributed(s.error) !== null) {
            violate(`${method_}: ${how} ${misattributed(s.error)}`, `${text}: ${describeSettlement(s)}`);
          } else if (s.error.code === ErrorCode.InvalidOption) {
            const early = stateChanges(before, afterReturn, ['socket', 'volume', 'filters', 'paused', 'track', 'channel', 'destroyed']);
            if (early.length > 0) violate(`${method_}: state changed before it was refused (${early.map((c) => c.replace(/^player \d+ /, '')).join(', ')})`, `${text}: ${describeSettlement(s)}; changed by the time it returned: ${early.join(', ')}`);
          }
        }
      });
      if (call.wait) {
        const settled = await within(entry.done, callBoundMs);
        if (!settled) {
          violate(`${method_}: pending past the bound`, `${text}: still pending after ${callBoundMs} ms`);
        } else if (quiet && outstanding().length === 0 && entry.settlement?.kind !== 'resolved' && entry.settlement?.kind !== 'returned') {
          const s = entry.settlement!;
          if ((s.kind === 'threw' || s.kind === 'rejected') && s.error instanceof LavalinkError && s.error.code === ErrorCode.InvalidOption) {
            // Node events may end a track meanwhile: compare what only the bot changes.
            const late = stateChanges(before, stateOf(manager, players), ['socket', 'volume', 'filters', 'paused', 'destroyed']);
            if (late.length > 0) violate(`${method_}: refused but left state changed (${late.map((c) => c.replace(/^player \d+ /, '')).join(', ')})`, `${text}: ${describeSettlement(s)}; changed: ${late.join(', ')}`);
          }
        }
      } else {
        await Promise.resolve(); // a turn for the call, as a bot's next line would give it
      }
      checkPlacement(index, method_);
      if (violations.length > 0 && settings.stopAtFirst) break; // the first broken rule is the one to shrink to
    }

    if (violations.length === 0 || !settings.stopAtFirst) {
      // Each call still out gets the rest of its bound.
      for (const entry of outstanding()) {
        if (!(await within(entry.done, entry.startedAt + callBoundMs - Date.now()))) {
          violate(`${methodName(entry.call)}: pending past the bound`, `#${entry.index} ${renderCall(entry.call)}: still pending ${callBoundMs} ms after it was made`);
        }
      }
    }
  } finally {
    const closing = manager.close();
    const closeSettled = await within(closing, callBoundMs);
    if (!closeSettled) violate('manager.close(): pending past the bound', `manager.close() still pending after ${callBoundMs} ms`);
    else await closing.catch((error: unknown) => violate(`manager.close(): rejected with ${errorKind(error)}`, `manager.close() rejected: ${describeError(error)}`));
    // Whatever the run got settles once close() has (calls on the other manager's socket, once
    // that manager is closed too): chained handlers get a few turns.
    const settledAfter = async (entries: Tracked[], what: string): Promise<void> => {
      const out = entries.filter((entry) => entry.settlement === null);
      if (out.length > 0) await within(Promise.all(out.map((entry) => entry.done)), settings.graceMs);
      for (const entry of out) {
        if (entry.settlement === null) violate(`${methodName(entry.call)}: pending after ${what}`, `#${entry.index} ${renderCall(entry.call)}: still pending after ${what} resolved`);
      }
    };
    await settledAfter(tracked.filter((entry) => entry.call.target !== 'foreignSocket'), 'manager.close()');
    await within(foreign.close(), callBoundMs);
    await settledAfter(tracked.filter((entry) => entry.call.target === 'foreignSocket'), "the other manager's close()");
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUncaught);
    for (const reason of unhandled) violate(`unhandled rejection or uncaught exception: ${errorKind(reason)}`, `unhandled: ${describeError(reason)}`);
    if (Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')) {
      delete (Object.prototype as Record<string, unknown>).polluted;
      violate('Object.prototype polluted', 'Object.prototype.polluted was set');
    }
    for (const entry of tracked) log.push(`#${entry.index} ${renderCall(entry.call)} -> ${describeSettlement(entry.settlement)}`);
  }
  return { violations, log, made: tracked.map((entry) => renderCall(entry.call)) };
}

/** The failure message of a run: what broke, then the calls and what each did. */
export function formatReport(report: RunReport): string {
  return [
    // fast-check shrinks the tail of a sequence last: the calls made are the ones that count.
    `calls made (the run stops at the first broken rule): ${report.made.join('; ')}`,
    `${report.violations.length} broken rule(s):`,
    ...report.violations.map((v) => `  - ${v.detail}`),
    'calls:',
    ...report.log.map((line) => `  ${line}`),
  ].join('\n');
}

/** Two tracks from the simulator (a Track and an encoded one), loaded through an inline manager. */
export async function loadTracks(sim: LavalinkSimulator): Promise<Track[]> {
  const manager = new Manager([nodeFor(sim, 'loader')], { send: () => {}, workers: 0 });
  try {
    manager.init(USER_ID);
    const tracks: Track[] = [];
    for (const identifier of ['sim:track?length=600000&title=A', 'sim:track?length=600000&title=B']) {
      const result = await manager.load(identifier);
      if (result.loadType !== 'track') throw new Error(`setup: ${identifier} loaded as ${result.loadType}`);
      tracks.push(result.track);
    }
    return tracks;
  } finally {
    await manager.close();
  }
}
