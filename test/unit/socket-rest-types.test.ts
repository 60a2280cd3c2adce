/**
 * The REST facade's types are what they claim: this file compiles only if every answer reads
 * into its documented fields without a cast, and if no public REST type has `unknown` (or `any`)
 * anywhere in it. The run checks the same reads on a facade over canned answers.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import type {
  JsonValue,
  LoadResult,
  NodeFilters,
  NodeInfo,
  NodePlayer,
  NodeStats,
  RestResult,
  RestResults,
  RoutePlannerStatus,
  SessionInfo,
  Socket,
  SocketRest,
  Track,
} from '../../src/index.js';
import { toNodeInfo, toNodePlayer, toRoutePlannerStatus, toStats, toTrack } from '../../src/protocol/rest.js';
import { createSocketRest } from '../../src/socket-rest.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

/** True when `unknown` or `any` sits anywhere in T (to a depth that covers every REST type; JsonValue is recursive). */
type HasUnknown<T, Depth extends 1[] = []> = Depth['length'] extends 8
  ? false
  : unknown extends T
    ? true
    : T extends (...args: never[]) => unknown
      ? false
      : T extends object
        ? true extends { [K in keyof T]-?: HasUnknown<T[K], [...Depth, 1]> }[keyof T]
          ? true
          : false
        : false;

type Answer<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;

// Each method answers its documented type…
export type Checks = [
  Expect<Equal<Answer<SocketRest['info']>, NodeInfo>>,
  Expect<Equal<Answer<SocketRest['stats']>, NodeStats>>,
  Expect<Equal<Answer<SocketRest['version']>, string>>,
  Expect<Equal<Answer<SocketRest['load']>, LoadResult>>,
  Expect<Equal<Answer<SocketRest['search']>, LoadResult>>,
  Expect<Equal<Answer<SocketRest['routePlanner']>, RoutePlannerStatus | null>>,
  Expect<Equal<Answer<SocketRest['unmark']>, void>>,
  Expect<Equal<Answer<SocketRest['players']['list']>, NodePlayer[]>>,
  Expect<Equal<Answer<SocketRest['players']['get']>, NodePlayer | null>>,
  Expect<Equal<Answer<SocketRest['sessions']['update']>, SessionInfo>>,
  Expect<Equal<Awaited<ReturnType<SocketRest>>, JsonValue>>,
  Expect<Equal<Socket['rest'], SocketRest>>,
  Expect<Equal<RestResult<'routePlanner'>, RoutePlannerStatus | null>>,
  Expect<Equal<NodePlayer['filters'], NodeFilters>>,
  // …and nothing a node answers is typed `unknown`.
  Expect<Equal<HasUnknown<RestResults>, false>>,
  Expect<Equal<HasUnknown<RestResult<keyof RestResults>>, false>>,
  Expect<Equal<HasUnknown<Track>, false>>,
  Expect<Equal<HasUnknown<NodePlayer>, false>>,
  Expect<Equal<HasUnknown<Answer<SocketRest>>, false>>,
  Expect<Equal<HasUnknown<Answer<SocketRest['call']>>, false>>,
  // The detector itself detects.
  Expect<Equal<HasUnknown<{ a: { b: Record<string, unknown> } }>, true>>,
];

/** Reads every answer into plain typed locals: no casts, no `as`. */
async function readAll(rest: SocketRest): Promise<(string | number | boolean | null)[]> {
  const info = await rest.info();
  const semver: string = info.version.semver;
  const major: number = info.version.major;
  const preRelease: string | null = info.version.preRelease;
  const commitTime: number = info.git.commitTime;
  const sources: string[] = info.sourceManagers;
  const plugin: { name: string; version: string } | undefined = info.plugins[0];

  const stats = await rest.stats();
  const load: number = stats.cpu.systemLoad;
  const deficit: number | undefined = stats.frameStats?.deficit;

  const planner = await rest.routePlanner();
  let index: string | null = null;
  if (planner?.class === 'RotatingIpRoutePlanner') index = planner.details.currentAddress;
  if (planner?.class === 'RotatingNanoIpRoutePlanner') index = planner.details.blockIndex;
  const failing: string | undefined = planner?.details.failingAddresses[0]?.failingAddress;

  const [player] = await rest.players.list();
  const speed: number | undefined = player?.filters.timescale?.speed;
  const title: string | undefined = player?.track?.info.title;
  const userData: JsonValue | undefined = player?.track?.userData.key;
  const session: SessionInfo = await rest.sessions.update({ timeout: 10 });

  const loaded = await rest.load('x');
  const first: string = loaded.loadType === 'search' ? (loaded.tracks[0]?.info.title ?? '') : loaded.loadType;
  const decoded: Track = await rest.decode('x');
  const list: Track[] = await rest.decode(['x']);
  const raw: JsonValue = await rest('GET', '/v4/info');
  const typed: { lyrics: string } = await rest.call<{ lyrics: string }>('GET', '/v4/lyrics');
  return [semver, major, preRelease, commitTime, sources.length, plugin?.name ?? null, load, deficit ?? null, index, failing ?? null, speed ?? null, title ?? null, typeof userData, session.timeout, first, decoded.info.title, list.length, typeof raw, typed.lyrics];
}

describe('SocketRest types', () => {
  test('the answers read into their documented fields', async () => {
    const answers: { [K in keyof RestResults]: RestResults[K] } = {
      load: { loadType: 'search', tracks: [toTrack({ encoded: 'e', info: { title: 'Found' } })] },
      decode: [toTrack({ encoded: 'x', info: { title: 'Decoded' } })],
      info: toNodeInfo({ version: { semver: '4.2.0', major: 4, minor: 2, patch: 0, preRelease: 'rc1' }, git: { commitTime: 7 }, sourceManagers: ['youtube'], plugins: [{ name: 'lyrics', version: '1' }] }),
      stats: toStats({ cpu: { systemLoad: 0.5 }, frameStats: { deficit: 3 } }),
      version: '4.2.0',
      routePlanner: toRoutePlannerStatus({ class: 'RotatingNanoIpRoutePlanner', details: { blockIndex: '4', failingAddresses: [{ failingAddress: '10.0.0.1' }] } }),
      unmark: null,
      players: [toNodePlayer({ guildId: '1', track: { encoded: 'e', info: { title: 'Playing' }, userData: { key: 'v' } }, filters: { timescale: { speed: 1.5 } } })],
      player: null,
      updateSession: { resuming: true, timeout: 10 },
      loadSearch: { tracks: [], albums: [], artists: [], playlists: [], texts: [], plugin: {} },
      sponsorBlockCategories: [],
      setSponsorBlockCategories: null,
      lyrics: null,
      lyricsSubscription: null,
    };
    const rest = createSocketRest({
      request: (request) => Promise.resolve(answers[request.kind] as never),
      raw: (method, path) => Promise.resolve(path === '/v4/lyrics' ? { lyrics: 'la la' } : { method, path }),
      resumeKey: () => null,
    });
    assert.deepEqual(await readAll(rest), ['4.2.0', 4, 'rc1', 7, 1, 'lyrics', 0.5, 3, '4', '10.0.0.1', 1.5, 'Playing', 'string', 10, 'Found', 'Decoded', 1, 'object', 'la la']);
  });
});
