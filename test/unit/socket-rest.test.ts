/**
 * `createSocketRest` on plain functions (no socket, no worker): what each method asks for, and
 * that a bad argument is refused with InvalidOptionError before anything is asked. Then the
 * adapters' REST tables on a fake node: what they ask it, and how they read what it answers.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, RestError, SocketClosedError, type JsonValue, type RestRequest, type RestResults } from '../../src/index.js';
import type { AdapterContext } from '../../src/protocol/adapter.js';
import { v3Request } from '../../src/protocol/v3/rest.js';
import { v4Request } from '../../src/protocol/v4/rest.js';
import { createSocketRest, searchIdentifier, type SocketRest } from '../../src/socket-rest.js';

const ENCODED = 'QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA==';

const track = (encoded: string) => ({ encoded, info: { identifier: encoded, isSeekable: true, author: '', length: 1, isStream: false, position: 0, title: encoded, uri: null, sourceName: '', artworkUrl: null, isrc: null }, pluginInfo: {}, userData: {} });

/** A facade on fakes that record every call; requests answer what a node of either version would. */
function fake(resumeKey: string | null = 'key-1'): { rest: SocketRest; requests: RestRequest[]; raws: [string, string, JsonValue | undefined][] } {
  const requests: RestRequest[] = [];
  const raws: [string, string, JsonValue | undefined][] = [];
  const answers: { [K in keyof RestResults]: (request: Extract<RestRequest, { kind: K }>) => RestResults[K] } = {
    load: () => ({ loadType: 'empty' }),
    decode: (r) => r.tracks.map(track),
    info: () => ({ version: { semver: '4.2.0', major: 4, minor: 2, patch: 0, preRelease: null, build: null }, buildTime: 0, git: { branch: '', commit: '', commitTime: 0 }, jvm: '', lavaplayer: '', sourceManagers: [], filters: [], plugins: [] }),
    stats: () => ({ players: 0, playingPlayers: 0, uptime: 0, memory: { free: 0, used: 0, allocated: 0, reservable: 0 }, cpu: { cores: 1, systemLoad: 0, lavalinkLoad: 0 }, frameStats: null }),
    version: () => '4.2.0',
    routePlanner: () => null,
    unmark: () => null,
    players: () => [],
    player: () => null,
    updateSession: (r) => ({ resuming: r.resuming ?? true, timeout: r.timeout ?? 60 }),
    loadSearch: () => ({ tracks: [], albums: [], artists: [], playlists: [], texts: [], plugin: {} }),
    sponsorBlockCategories: () => [],
    setSponsorBlockCategories: () => null,
    lyrics: () => null,
    lyricsSubscription: () => null,
  };
  const rest = createSocketRest({
    request: (request) => {
      requests.push(request);
      return Promise.resolve((answers[request.kind] as (r: RestRequest) => never)(request));
    },
    raw: (method, path, body) => {
      raws.push([method, path, body]);
      return Promise.resolve({ ok: true });
    },
    resumeKey: () => resumeKey,
  });
  return { rest, requests, raws };
}

/** Calls `call` and checks it rejected (never threw) with InvalidOptionError naming `option`, having asked nothing. */
async function refused(call: () => Promise<unknown>, option: string, asked: { requests: unknown[]; raws: unknown[] }): Promise<void> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    assert.fail(`threw synchronously instead of rejecting: ${String(error)}`);
  }
  await assert.rejects(promise, (error: { code?: unknown; option?: unknown }) => {
    assert.equal(error.code, ErrorCode.InvalidOption);
    assert.equal(error.option, option);
    return true;
  });
  assert.deepEqual([asked.requests, asked.raws], [[], []], 'nothing was asked');
}

describe('createSocketRest', () => {
  test('each method asks for its request kind, with its arguments', async () => {
    const { rest, requests } = fake();
    await rest.load('dQw4w9WgXcQ');
    await rest.info();
    await rest.version();
    await rest.stats();
    await rest.routePlanner();
    await rest.unmark('10.0.0.7');
    await rest.unmark();
    await rest.unmark(null);
    await rest.players.list();
    await rest.players.get('1000000000000000001');
    await rest.sessions.update({ resuming: false });
    await rest.sessions.update({ timeout: 0 });
    assert.deepEqual(requests, [
      { kind: 'load', identifier: 'dQw4w9WgXcQ' },
      { kind: 'info' },
      { kind: 'version' },
      { kind: 'stats' },
      { kind: 'routePlanner' },
      { kind: 'unmark', address: '10.0.0.7' },
      { kind: 'unmark', address: null },
      { kind: 'unmark', address: null },
      { kind: 'players' },
      { kind: 'player', guildId: '1000000000000000001' },
      { kind: 'updateSession', resuming: false, resumeKey: 'key-1' },
      { kind: 'updateSession', timeout: 0, resumeKey: 'key-1' },
    ]);
  });

  test('search prefixes as Manager.search does: a source unless the query is a URL or prefixed already', async () => {
    const { rest, requests } = fake();
    await rest.search('never gonna');
    await rest.search('flicker', 'scsearch');
    await rest.search('ytmsearch:lofi', 'scsearch');
    await rest.search('https://example.com/a.mp3');
    assert.deepEqual(
      requests.map((r) => (r.kind === 'load' ? r.identifier : r.kind)),
      ['ytsearch:never gonna', 'scsearch:flicker', 'ytmsearch:lofi', 'https://example.com/a.mp3'],
    );
    assert.equal(searchIdentifier('http://x/y', 'ytsearch'), 'http://x/y');
  });

  test('decode: one track for a string, a list for a list, [] for [] without asking', async () => {
    const { rest, requests } = fake();
    const one = await rest.decode(ENCODED);
    assert.equal(one.encoded, ENCODED);
    const many = await rest.decode(['a', 'b']);
    assert.deepEqual(many.map((t) => t.encoded), ['a', 'b']);
    assert.deepEqual(await rest.decode([]), []);
    assert.deepEqual(requests, [
      { kind: 'decode', tracks: [ENCODED] },
      { kind: 'decode', tracks: ['a', 'b'] },
    ]);
  });

  test('the raw call and call<T>: method upper-cased, body copied as JSON data', async () => {
    const { rest, raws } = fake();
    const body = { address: '10.0.0.7', skipped: undefined };
    assert.deepEqual(await rest('post', '/v4/routeplanner/free/address', body), { ok: true });
    const answer: { ok: boolean } = await rest.call<{ ok: boolean }>('GET', '/v4/plugin/route');
    assert.equal(answer.ok, true);
    assert.deepEqual(raws, [
      ['POST', '/v4/routeplanner/free/address', { address: '10.0.0.7' }],
      ['GET', '/v4/plugin/route', undefined],
    ]);
    assert.notEqual(raws[0]![2], body, 'a copy, not the caller object');
  });

  test('v3 resuming: the request carries the socket key, or null when it has none', async () => {
    const { rest, requests } = fake(null);
    await rest.sessions.update({ resuming: true, timeout: 5 });
    assert.deepEqual(requests, [{ kind: 'updateSession', resuming: true, timeout: 5, resumeKey: null }]);
  });

  test('bad arguments reject with InvalidOptionError naming them, and nothing is asked', async () => {
    const throwing = Object.defineProperty({}, 'resuming', { enumerable: true, get: () => { throw new Error('read'); } });
    const cases: [name: string, call: (rest: SocketRest) => Promise<unknown>, option: string][] = [
      ['load("")', (r) => r.load(''), 'identifier'],
      ['load(42)', (r) => r.load(42 as never), 'identifier'],
      ['search("  ")', (r) => r.search('  '), 'query'],
      ['search(q, "yt search")', (r) => r.search('q', 'yt search'), 'source'],
      ['decode(null)', (r) => r.decode(null as never), 'tracks'],
      ['decode([1])', (r) => r.decode([1] as never), 'tracks'],
      ['decode(a Proxy that throws)', (r) => r.decode(new Proxy([], { get: () => { throw new Error('read'); } }) as never), 'tracks'],
      ['unmark("")', (r) => r.unmark(''), 'address'],
      ['unmark(7)', (r) => r.unmark(7 as never), 'address'],
      ['players.get("abc")', (r) => r.players.get('abc'), 'guildId'],
      ['players.get("1/../2")', (r) => r.players.get('1/../2'), 'guildId'],
      ['sessions.update(null)', (r) => r.sessions.update(null as never), 'options'],
      ['sessions.update({})', (r) => r.sessions.update({}), 'options'],
      ['sessions.update({ resuming: "yes" })', (r) => r.sessions.update({ resuming: 'yes' as never }), 'options.resuming'],
      ['sessions.update({ timeout: -1 })', (r) => r.sessions.update({ timeout: -1 }), 'options.timeout'],
      ['sessions.update({ timeout: 1.5 })', (r) => r.sessions.update({ timeout: 1.5 }), 'options.timeout'],
      ['sessions.update(a getter that throws)', (r) => r.sessions.update(throwing), 'options'],
      ['rest("FETCH", path)', (r) => r('FETCH', '/v4/info'), 'method'],
      ['rest("GET", "v4/info")', (r) => r('GET', 'v4/info'), 'path'],
      ['rest("GET", "/a b")', (r) => r('GET', '/a b'), 'path'],
      ['rest("POST", path, a function)', (r) => r('POST', '/v4/x', () => 1), 'body'],
      ['call("GET", path, NaN)', (r) => r.call('GET', '/v4/x', Number.NaN), 'body'],
    ];
    for (const [name, call, option] of cases) {
      const { rest, requests, raws } = fake();
      await refused(() => call(rest), option, { requests, raws }).catch((error: Error) => assert.fail(`${name}: ${error.message}`));
    }
  });
});

interface Asked {
  method: string;
  path: string;
  body: unknown;
}

/** A node that answers each path from a table (a RestError for a status), and a record of what was asked and written. */
function node(sessionId: string | null, answers: Record<string, unknown>): { context: AdapterContext; asked: Asked[]; frames: unknown[] } {
  const asked: Asked[] = [];
  const frames: unknown[] = [];
  const context: AdapterContext = {
    sessionId,
    rest: {
      request: (method, path, body) => {
        asked.push({ method, path, body });
        const answer = Object.hasOwn(answers, path) ? answers[path] : new RestError(`${method} ${path} answered 404: Not Found`, 404, method, path, { message: 'Not Found' });
        return answer instanceof RestError ? Promise.reject(answer) : Promise.resolve(answer);
      },
    },
    writeFrame: (text) => {
      frames.push(JSON.parse(text));
      return Promise.resolve();
    },
  };
  return { context, asked, frames };
}

describe('REST adapters on a fake node', () => {
  test('a malformed answer is read field by field: defaults, never a TypeError', async () => {
    const junk = { version: 7, git: 'x', sourceManagers: 'all', plugins: [null, 3, { name: 1 }], buildTime: 'soon' };
    for (const [request, prefix] of [[v4Request, '/v4'], [v3Request, '/v3']] as const) {
      const { context } = node('s1', { [`${prefix}/info`]: junk, [`${prefix}/stats`]: [1, 2], [`${prefix}/sessions/s1/players`]: [null, 'x', { guildId: 5, state: 'up', voice: null, filters: { timescale: 'fast', equalizer: [{ band: 1 }, { band: 2, gain: 0.1 }] } }] });
      const info = (await request({ kind: 'info' }, context)) as RestResults['info'];
      assert.deepEqual(info.version, { semver: '', major: 0, minor: 0, patch: 0, preRelease: null, build: null });
      assert.deepEqual(info.plugins, [{ name: '1', version: '' }]);
      assert.deepEqual(info.sourceManagers, []);
      assert.equal(info.buildTime, 0);
      const stats = (await request({ kind: 'stats' }, context)) as RestResults['stats'];
      assert.equal(stats.cpu.cores, 0);
      const players = (await request({ kind: 'players' }, context)) as RestResults['players'];
      assert.equal(players.length, 3);
      assert.equal(players[2]!.guildId, '5');
      assert.equal(players[2]!.ping, -1);
      assert.deepEqual(players[2]!.filters, { equalizer: [{ band: 2, gain: 0.1 }] });
      assert.deepEqual(players[0]!.voice, { token: '', endpoint: '', sessionId: '', channelId: null });
    }
  });

  test("NodeLink's version parts as text, and 3.7's info with a bare version string, are read as numbers", async () => {
    const { context } = node('s1', {
      '/v4/info': { version: { semver: '2.3.0', major: '2', minor: '3', patch: '0', preRelease: null }, plugins: [] },
      '/v3/info': { version: '3.7.13' },
    });
    assert.deepEqual(((await v4Request({ kind: 'info' }, context)) as RestResults['info']).version, { semver: '2.3.0', major: 2, minor: 3, patch: 0, preRelease: null, build: null });
    assert.deepEqual(((await v3Request({ kind: 'info' }, context)) as RestResults['info']).version, { semver: '3.7.13', major: 3, minor: 7, patch: 13, preRelease: null, build: null });
  });

  test('a list answer that is not a list, or a decode with another count, is a RestError, not a TypeError', async () => {
    const { context } = node('s1', { '/v4/sessions/s1/players': { players: [] }, '/v4/decodetracks': [{ encoded: 'a' }], '/decodetracks': 'nope' });
    await assert.rejects(v4Request({ kind: 'players' }, context), (error: RestError) => error.code === ErrorCode.RestError && /not a list/.test(error.message));
    await assert.rejects(v4Request({ kind: 'decode', tracks: ['a', 'b'] }, context), (error: RestError) => error.code === ErrorCode.RestError && /1 tracks for 2/.test(error.message));
    await assert.rejects(v3Request({ kind: 'decode', tracks: ['a'] }, context), (error: RestError) => error.code === ErrorCode.RestError && /not a list/.test(error.message));
  });

  test("players.get: 'Player not found' is null; a lost session is still an error", async () => {
    const missing = new RestError('x', 404, 'GET', '', { message: 'Player not found' });
    const gone = new RestError('x', 404, 'GET', '', { message: 'Session not found' });
    const { context } = node('s1', { '/v4/sessions/s1/players/1': missing, '/v4/sessions/s1/players/2': gone });
    assert.equal(await v4Request({ kind: 'player', guildId: '1' }, context), null);
    await assert.rejects(v4Request({ kind: 'player', guildId: '2' }, context), (error: RestError) => error.status === 404);
  });

  test('route planner: 204 and `{class: null}` are null; an unknown class is Other, with its name', async () => {
    const failing = [{ address: '10.0.0.1', failingTimestamp: 5, failingTime: 't' }];
    const { context } = node('s1', {
      '/v4/routeplanner/status': null,
      '/routeplanner/status': { class: 'FuturePlanner', details: { ipBlock: { type: 'Inet4Address', size: 256 }, failingAddresses: failing } },
    });
    assert.equal(await v4Request({ kind: 'routePlanner' }, context), null);
    assert.deepEqual(await v3Request({ kind: 'routePlanner' }, context), {
      class: 'Other',
      name: 'FuturePlanner',
      details: { ipBlock: { type: 'Inet4Address', size: '256' }, failingAddresses: [{ failingAddress: '10.0.0.1', failingTimestamp: 5, failingTime: 't' }] },
    });
    const none = node(null, { '/routeplanner/status': { class: null, details: null } });
    assert.equal(await v3Request({ kind: 'routePlanner' }, none.context), null);
  });

  test('v4 sessions: PATCH with what was given; no session yet is SocketClosedError', async () => {
    const { context, asked } = node('s1', { '/v4/sessions/s1': { resuming: true, timeout: 9 } });
    assert.deepEqual(await v4Request({ kind: 'updateSession', timeout: 9, resumeKey: 'ignored' }, context), { resuming: true, timeout: 9 });
    assert.deepEqual(asked, [{ method: 'PATCH', path: '/v4/sessions/s1', body: { timeout: 9 } }]);
    await assert.rejects(v4Request({ kind: 'players' }, node(null, {}).context), SocketClosedError);
  });

  test("v3.7 sessions: resumingKey is the socket's key, null to turn resuming off, left out otherwise", async () => {
    const { context, asked } = node('s1', { '/v3/sessions/s1': { resumingKey: 'k', timeout: 30 } });
    await v3Request({ kind: 'updateSession', resuming: true, resumeKey: 'k' }, context);
    await v3Request({ kind: 'updateSession', resuming: false, resumeKey: 'k' }, context);
    assert.deepEqual(await v3Request({ kind: 'updateSession', timeout: 30, resumeKey: 'k' }, context), { resuming: true, timeout: 30 });
    assert.deepEqual(asked.map((a) => a.body), [{ resumingKey: 'k' }, { resumingKey: null }, { timeout: 30 }]);
    await assert.rejects(v3Request({ kind: 'updateSession', resuming: true, resumeKey: null }, context), (error: { code?: unknown }) => error.code === ErrorCode.InvalidOption);
  });

  test('v3 without a session id: a 3.7 not yet ready is SocketClosedError; an older node rejects with its 404', async () => {
    const early = node(null, { '/v3/info': { version: { semver: '3.7.13' } } });
    await assert.rejects(v3Request({ kind: 'players' }, early.context), SocketClosedError);
    const old = node(null, {});
    await assert.rejects(v3Request({ kind: 'player', guildId: '1' }, old.context), (error: RestError) => error.status === 404 && error.path === '/v3/info' && /no session REST/.test(error.message));
    // Resuming goes by the configureResuming frame instead.
    assert.deepEqual(await v3Request({ kind: 'updateSession', resuming: false }, old.context), { resuming: false, timeout: 60 });
    assert.deepEqual(await v3Request({ kind: 'updateSession', timeout: 12, resumeKey: 'k' }, old.context), { resuming: true, timeout: 12 });
    assert.deepEqual(old.frames, [
      { op: 'configureResuming', key: null, timeout: 60 },
      { op: 'configureResuming', key: 'k', timeout: 12 },
    ]);
  });
});
