/**
 * The readers of a node's REST answers take any JSON (and anything else) and answer a value of
 * their type: a wrong field gets its default, nothing throws, no prototype is touched.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import fc from 'fast-check';
import { toNodeFilters } from '../../src/protocol/filters.js';
import { toNodeInfo, toNodePlayer, toRoutePlannerStatus, toStats, toTrack, type NodePlayer, type Track } from '../../src/protocol/rest.js';

const RUNS = 2000;

const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isText = (v: unknown): boolean => typeof v === 'string';
const isTextOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

function assertTrack(track: Track): void {
  assert.ok(isText(track.encoded));
  const i = track.info;
  assert.ok([i.identifier, i.author, i.title, i.sourceName].every(isText));
  assert.ok([i.length, i.position].every(isNumber));
  assert.ok([i.uri, i.artworkUrl, i.isrc].every(isTextOrNull));
  assert.ok(typeof i.isSeekable === 'boolean' && typeof i.isStream === 'boolean');
  assert.ok(typeof track.pluginInfo === 'object' && !Array.isArray(track.pluginInfo));
}

function assertPlayer(p: NodePlayer): void {
  assert.ok(isText(p.guildId));
  if (p.track !== null) assertTrack(p.track);
  assert.ok([p.volume, p.position, p.ping].every(isNumber));
  assert.ok(typeof p.paused === 'boolean' && typeof p.connected === 'boolean');
  assert.ok([p.voice.token, p.voice.endpoint, p.voice.sessionId].every(isText) && isTextOrNull(p.voice.channelId));
  for (const [name, value] of Object.entries(p.filters)) {
    if (name === 'volume') assert.ok(isNumber(value));
    else if (name === 'equalizer') assert.ok((value as unknown[]).every((b) => isNumber((b as { band: unknown }).band) && isNumber((b as { gain: unknown }).gain)));
    else if (name !== 'pluginFilters') assert.ok(Object.values(value as object).every(isNumber), name);
  }
}

/** JSON shaped like the real answers, with any value in any field, or anything at all. */
const fieldValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, '', '12', 'NaN', -1, 1e308, Number.NaN, Infinity));
const shaped = (keys: string[]): fc.Arbitrary<unknown> => fc.dictionary(fc.constantFrom(...keys, '__proto__'), fieldValue, { maxKeys: keys.length + 1 });
const anyAnswer = (keys: string[]): fc.Arbitrary<unknown> => fc.oneof(shaped(keys), fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 2 }));

describe('REST readers take anything', () => {
  test('info: strings and numbers where the type says, whatever came', () => {
    fc.assert(
      fc.property(anyAnswer(['version', 'buildTime', 'git', 'jvm', 'lavaplayer', 'sourceManagers', 'filters', 'plugins']), (raw) => {
        const info = toNodeInfo(raw);
        const v = info.version;
        assert.ok(isText(v.semver) && [v.major, v.minor, v.patch, info.buildTime, info.git.commitTime].every(isNumber));
        assert.ok(isTextOrNull(v.preRelease) && isTextOrNull(v.build));
        assert.ok([info.jvm, info.lavaplayer, info.git.branch, info.git.commit].every(isText));
        assert.ok([...info.sourceManagers, ...info.filters].every(isText));
        assert.ok(info.plugins.every((p) => isText(p.name) && isText(p.version)));
      }),
      { numRuns: RUNS },
    );
  });

  test('stats: every figure a finite number; frameStats an object or null', () => {
    fc.assert(
      fc.property(anyAnswer(['players', 'playingPlayers', 'uptime', 'memory', 'cpu', 'frameStats']), (raw) => {
        const s = toStats(raw);
        const figures = [s.players, s.playingPlayers, s.uptime, ...Object.values(s.memory), ...Object.values(s.cpu), ...Object.values(s.frameStats ?? {})];
        assert.ok(figures.every(isNumber));
      }),
      { numRuns: RUNS },
    );
  });

  test('route planner: null, or a known class (or Other) with its details as text', () => {
    const details = fc.dictionary(fc.constantFrom('ipBlock', 'failingAddresses', 'rotateIndex', 'ipIndex', 'currentAddress', 'blockIndex', 'currentAddressIndex'), fieldValue);
    const classes = fc.constantFrom('RotatingIpRoutePlanner', 'NanoIpRoutePlanner', 'RotatingNanoIpRoutePlanner', 'BalancingIpRoutePlanner', 'Other', 'x', '', null, 3);
    fc.assert(
      fc.property(fc.oneof(fc.record({ class: classes, details: fc.oneof(details, fieldValue) }), anyAnswer(['class', 'details'])), (raw) => {
        const status = toRoutePlannerStatus(raw);
        if (status === null) return;
        assert.ok(isText(status.details.ipBlock.type) && isText(status.details.ipBlock.size));
        assert.ok(status.details.failingAddresses.every((f) => isText(f.failingAddress) && isNumber(f.failingTimestamp) && isText(f.failingTime)));
        if (status.class === 'Other') assert.ok(isText(status.name) && status.name !== '');
        for (const value of Object.values(status.details)) if (!Array.isArray(value) && typeof value !== 'object') assert.ok(isText(value));
      }),
      { numRuns: RUNS },
    );
  });

  test('players and tracks: typed fields, filters reduced to what a filter holds', () => {
    const filters = fc.dictionary(fc.constantFrom('volume', 'equalizer', 'timescale', 'karaoke', 'lowPass', 'pluginFilters', 'echo', '__proto__'), fieldValue);
    const player = fc.record({ guildId: fieldValue, track: fc.oneof(anyAnswer(['encoded', 'track', 'info', 'pluginInfo', 'userData']), fc.record({ encoded: fieldValue, info: shaped(['title', 'length', 'uri', 'isStream']) })), volume: fieldValue, state: fc.oneof(shaped(['position', 'connected', 'ping']), fieldValue), voice: fc.oneof(shaped(['token', 'endpoint', 'sessionId', 'channelId', 'connected', 'ping']), fieldValue), filters: fc.oneof(filters, fieldValue) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(player, anyAnswer(['guildId', 'track'])), (raw) => {
        assertPlayer(toNodePlayer(raw));
        assertTrack(toTrack(raw));
      }),
      { numRuns: RUNS },
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test("a `__proto__` plugin filter stays data and sets no prototype", () => {
    const filters = toNodeFilters(JSON.parse('{"__proto__": {"polluted": true}, "pluginFilters": {"__proto__": {"polluted": 1}, "echo": {"delay": 1}}}'));
    assert.equal(Object.getPrototypeOf(filters.pluginFilters), Object.prototype);
    assert.deepEqual(Object.keys(filters.pluginFilters!).sort(), ['__proto__', 'echo']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
