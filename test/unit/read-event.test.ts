/**
 * What a node's frames mean, read on the worker by each adapter (protocol/read-event.ts): real v3
 * and v4 frames as the spec shows them (§3.3, §4.1), then malformed and hostile ones, which must
 * give a normalised event or null and never throw.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from '../helpers/node-test.js';
import { parseFrame, type NodeFrame } from '../../src/protocol/frames.js';
import type { NodeEvent } from '../../src/protocol/node-events.js';
import { v3Adapter } from '../../src/protocol/v3/adapter.js';
import { v4Adapter } from '../../src/protocol/v4/adapter.js';
import { LavalinkError } from '../../src/errors.js';

/** The docs' sample track (spec §7.3). */
const ENCODED =
  'QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA==';
const INFO = {
  identifier: 'dQw4w9WgXcQ',
  isSeekable: true,
  author: 'RickAstleyVEVO',
  length: 212000,
  isStream: false,
  position: 0,
  title: 'Rick Astley - Never Gonna Give You Up',
  uri: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  sourceName: 'youtube',
  artworkUrl: null,
  isrc: null,
};
/** The same track as a v4 event carries it. */
const V4_TRACK = { encoded: ENCODED, info: { ...INFO, artworkUrl: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg', isrc: null }, pluginInfo: {}, userData: { requester: '1' } };
const GUILD = '817327181659111454';

/** A frame as the node's bytes would give it. */
function frame(json: string): NodeFrame {
  const parsed = parseFrame(json);
  if (parsed instanceof LavalinkError) throw parsed;
  return parsed;
}
const v3 = (json: string): NodeEvent | null => v3Adapter.readEvent(frame(json));
const v4 = (json: string): NodeEvent | null => v4Adapter.readEvent(frame(json));
const emptyInfo = { identifier: '', isSeekable: false, author: '', length: 0, isStream: false, position: 0, title: '', uri: null, sourceName: '', artworkUrl: null, isrc: null };

describe('readEvent: v4 frames (spec §4.1)', () => {
  test('ready is the connection\'s business, not an event', () => {
    assert.equal(v4('{"op":"ready","resumed":false,"sessionId":"la3kfsdf5eafe848"}'), null);
  });

  test('playerUpdate keeps the four state fields as sent', () => {
    assert.deepEqual(v4(`{"op":"playerUpdate","guildId":"${GUILD}","state":{"time":1500467109,"position":60000,"connected":true,"ping":50}}`), {
      type: 'playerUpdate',
      guildId: GUILD,
      state: { time: 1500467109, position: 60000, connected: true, ping: 50 },
    });
  });

  test('stats with frameStats, and with frameStats null while nothing plays', () => {
    const stats = { players: 1, playingPlayers: 1, uptime: 123456789, memory: { free: 123456789, used: 123456789, allocated: 123456789, reservable: 123456789 }, cpu: { cores: 4, systemLoad: 0.5, lavalinkLoad: 0.5 } };
    assert.deepEqual(v4(JSON.stringify({ op: 'stats', ...stats, frameStats: { sent: 6000, nulled: 10, deficit: -3010 } })), { type: 'stats', stats: { ...stats, frameStats: { sent: 6000, nulled: 10, deficit: -3010 } } });
    assert.deepEqual(v4(JSON.stringify({ op: 'stats', ...stats, frameStats: null })), { type: 'stats', stats: { ...stats, frameStats: null } });
  });

  test('track events carry the Track object, normalised', () => {
    const start = v4(JSON.stringify({ op: 'event', type: 'TrackStartEvent', guildId: GUILD, track: V4_TRACK }));
    assert.deepEqual(start, { type: 'trackStart', guildId: GUILD, track: V4_TRACK });
    for (const reason of ['finished', 'loadFailed', 'stopped', 'replaced', 'cleanup'] as const) {
      const end = v4(JSON.stringify({ op: 'event', type: 'TrackEndEvent', guildId: GUILD, track: V4_TRACK, reason }));
      assert.deepEqual(end, { type: 'trackEnd', guildId: GUILD, track: V4_TRACK, reason });
    }
    const exception = { message: 'Something broke', severity: 'common', cause: 'java.lang.IllegalStateException: no', causeStackTrace: '...' };
    assert.deepEqual(v4(JSON.stringify({ op: 'event', type: 'TrackExceptionEvent', guildId: GUILD, track: V4_TRACK, exception })), {
      type: 'trackException',
      guildId: GUILD,
      track: V4_TRACK,
      exception: { message: 'Something broke', severity: 'common', cause: 'java.lang.IllegalStateException: no' },
    });
    assert.deepEqual(v4(JSON.stringify({ op: 'event', type: 'TrackStuckEvent', guildId: GUILD, track: V4_TRACK, thresholdMs: 123456789 })), { type: 'trackStuck', guildId: GUILD, track: V4_TRACK, thresholdMs: 123456789 });
  });

  test('a track object without pluginInfo or userData gets empty ones', () => {
    const event = v4(JSON.stringify({ op: 'event', type: 'TrackStartEvent', guildId: GUILD, track: { encoded: ENCODED, info: INFO } }));
    assert.deepEqual(event, { type: 'trackStart', guildId: GUILD, track: { encoded: ENCODED, info: INFO, pluginInfo: {}, userData: {} } });
  });

  test('WebSocketClosedEvent, and the bare one some servers send (no code, no reason)', () => {
    assert.deepEqual(v4(`{"op":"event","type":"WebSocketClosedEvent","guildId":"${GUILD}","code":4006,"reason":"Your session is no longer valid.","byRemote":true}`), {
      type: 'voiceClosed',
      guildId: GUILD,
      code: 4006,
      reason: 'Your session is no longer valid.',
      byRemote: true,
    });
    assert.deepEqual(v4(`{"op":"event","type":"WebSocketClosedEvent","guildId":"${GUILD}"}`), { type: 'voiceClosed', guildId: GUILD, code: -1, reason: '', byRemote: false });
  });
});

describe('readEvent: v3 frames (spec §3.3)', () => {
  test('a 3.3 playerUpdate has no connected or ping; a 3.4 idle one no position', () => {
    assert.deepEqual(v3(`{"op":"playerUpdate","guildId":"${GUILD}","state":{"time":1500467109,"position":60000}}`), { type: 'playerUpdate', guildId: GUILD, state: { time: 1500467109, position: 60000 } });
    assert.deepEqual(v3(`{"op":"playerUpdate","guildId":"${GUILD}","state":{"time":1500467109,"connected":false}}`), { type: 'playerUpdate', guildId: GUILD, state: { time: 1500467109, connected: false } });
  });

  test('stats without frameStats', () => {
    const event = v3('{"op":"stats","players":2,"playingPlayers":0,"uptime":5000,"memory":{"free":1,"used":2,"allocated":3,"reservable":4},"cpu":{"cores":2,"systemLoad":0.1,"lavalinkLoad":0.05}}');
    assert.deepEqual(event, { type: 'stats', stats: { players: 2, playingPlayers: 0, uptime: 5000, memory: { free: 1, used: 2, allocated: 3, reservable: 4 }, cpu: { cores: 2, systemLoad: 0.1, lavalinkLoad: 0.05 }, frameStats: null } });
  });

  test('the encoded track is decoded, from `track` (3.3–3.6) or `encodedTrack` (3.7)', () => {
    const track = { encoded: ENCODED, info: INFO, pluginInfo: {}, userData: {} };
    assert.deepEqual(v3(`{"op":"event","type":"TrackStartEvent","guildId":"${GUILD}","track":"${ENCODED}"}`), { type: 'trackStart', guildId: GUILD, track });
    assert.deepEqual(v3(`{"op":"event","type":"TrackStartEvent","guildId":"${GUILD}","encodedTrack":"${ENCODED}","track":"${ENCODED}"}`), { type: 'trackStart', guildId: GUILD, track });
    assert.deepEqual(v3(`{"op":"event","type":"TrackStartEvent","guildId":"${GUILD}","encodedTrack":"${ENCODED}"}`), { type: 'trackStart', guildId: GUILD, track });
  });

  test('a track string the codec cannot read is still that track, without info', () => {
    assert.deepEqual(v3(`{"op":"event","type":"TrackStartEvent","guildId":"${GUILD}","track":"QAAA"}`), { type: 'trackStart', guildId: GUILD, track: { encoded: 'QAAA', info: emptyInfo, pluginInfo: {}, userData: {} } });
  });

  test('upper-case end reasons become the v4 words', () => {
    const reasons = { FINISHED: 'finished', LOAD_FAILED: 'loadFailed', STOPPED: 'stopped', REPLACED: 'replaced', CLEANUP: 'cleanup' };
    for (const [sent, read] of Object.entries(reasons)) {
      const event = v3(`{"op":"event","type":"TrackEndEvent","guildId":"${GUILD}","track":"${ENCODED}","reason":"${sent}"}`);
      assert.equal(event?.type === 'trackEnd' && event.reason, read, sent);
    }
  });

  test('exceptions: 3.3 `error` string, 3.4–3.6 both, 3.7 `exception` with an upper-case severity', () => {
    const read = (json: string) => {
      const event = v3(json);
      assert.equal(event?.type, 'trackException');
      return event?.type === 'trackException' ? event.exception : null;
    };
    const base = `"op":"event","type":"TrackExceptionEvent","guildId":"${GUILD}","track":"${ENCODED}"`;
    assert.deepEqual(read(`{${base},"error":"Video unavailable"}`), { message: 'Video unavailable', severity: 'common', cause: null });
    assert.deepEqual(read(`{${base},"error":"old","exception":{"message":"Video unavailable","severity":"SUSPICIOUS","cause":"x"}}`), { message: 'Video unavailable', severity: 'suspicious', cause: 'x' });
    assert.deepEqual(read(`{${base},"exception":{"message":null,"severity":"FAULT"}}`), { message: null, severity: 'fault', cause: null });
  });

  test('TrackStuckEvent and WebSocketClosedEvent', () => {
    assert.deepEqual(v3(`{"op":"event","type":"TrackStuckEvent","guildId":"${GUILD}","track":"${ENCODED}","thresholdMs":10000}`), {
      type: 'trackStuck',
      guildId: GUILD,
      track: { encoded: ENCODED, info: INFO, pluginInfo: {}, userData: {} },
      thresholdMs: 10000,
    });
    assert.deepEqual(v3(`{"op":"event","type":"WebSocketClosedEvent","guildId":"${GUILD}","code":4014,"reason":"Disconnected.","byRemote":true}`), { type: 'voiceClosed', guildId: GUILD, code: 4014, reason: 'Disconnected.', byRemote: true });
  });
});

describe('readEvent: malformed and hostile frames', () => {
  const adapters = [
    ['v3', v3Adapter],
    ['v4', v4Adapter],
  ] as const;

  for (const [name, adapter] of adapters) {
    const read = (json: string): NodeEvent | null => adapter.readEvent(frame(json));

    test(`${name}: unknown ops, events without a type, and events for no guild, are null; an event type Lavalink does not send is a plugin's`, () => {
      assert.equal(read('{"op":"somethingNew","guildId":"1"}'), null);
      // A plugin's event is never dropped (#14): one whose fields cannot be read comes as unknown.
      assert.deepEqual(read('{"op":"event","type":"SegmentsLoaded","guildId":"1"}'), { type: 'plugin', guildId: '1', event: { type: 'unknown', name: 'SegmentsLoaded', data: {} } });
      assert.equal(read('{"op":"event","guildId":"1"}'), null);
      assert.equal(read('{"op":"event","type":"MixerStarted"}'), null, 'a plugin event for no guild');
      assert.equal(read(`{"op":"event","type":"TrackStartEvent","guildId":817327181659111454,"track":"${ENCODED}"}`), null);
      assert.equal(read('{"op":"event","type":"TrackEndEvent","reason":"finished"}'), null);
      assert.equal(read('{"op":"playerUpdate","guildId":"1"}'), null, 'no state');
      assert.equal(read('{"op":"playerUpdate","guildId":"1","state":[1,2]}'), null, 'a state that is not an object');
      assert.equal(read('{"op":"playerUpdate","guildId":null,"state":{"time":1}}'), null);
    });

    test(`${name}: state fields of the wrong type are left out; a negative position is kept as sent`, () => {
      assert.deepEqual(read('{"op":"playerUpdate","guildId":"1","state":{"time":"soon","position":"10","connected":1,"ping":null}}'), { type: 'playerUpdate', guildId: '1', state: { time: 0 } });
      assert.deepEqual(read('{"op":"playerUpdate","guildId":"1","state":{"time":1e999,"position":-250,"connected":true,"ping":1e999}}'), { type: 'playerUpdate', guildId: '1', state: { time: 0, position: -250, connected: true } });
    });

    test(`${name}: malformed stats read as 0 field by field`, () => {
      const event = read('{"op":"stats","players":"7","playingPlayers":-1,"uptime":1e999,"memory":null,"cpu":[1,2],"frameStats":"lots"}');
      assert.deepEqual(event, {
        type: 'stats',
        stats: { players: 0, playingPlayers: -1, uptime: 0, memory: { free: 0, used: 0, allocated: 0, reservable: 0 }, cpu: { cores: 0, systemLoad: 0, lavalinkLoad: 0 }, frameStats: { sent: 0, nulled: 0, deficit: 0 } },
      });
    });

    test(`${name}: an end reason nobody documents ends the track without starting the next (stopped)`, () => {
      for (const reason of ['"EXPLODED"', '42', 'null', '{"a":1}', '"__proto__"', '"toString"']) {
        const event = read(`{"op":"event","type":"TrackEndEvent","guildId":"1","reason":${reason}}`);
        assert.deepEqual(event, { type: 'trackEnd', guildId: '1', track: null, reason: 'stopped' }, reason);
      }
    });

    test(`${name}: tracks of the wrong shape are null (the player's own is meant)`, () => {
      for (const track of ['42', 'null', '""', '[]', '{"info":{}}', '{"encoded":7}', '{"encoded":""}', 'true']) {
        const event = read(`{"op":"event","type":"TrackStartEvent","guildId":"1","track":${track}}`);
        assert.deepEqual(event, { type: 'trackStart', guildId: '1', track: null }, track);
      }
    });

    test(`${name}: odd exceptions, thresholds and voice closes are normalised`, () => {
      const exception = (json: string) => {
        const event = read(`{"op":"event","type":"TrackExceptionEvent","guildId":"1",${json}}`);
        return event?.type === 'trackException' ? event.exception : event;
      };
      assert.deepEqual(exception('"exception":"boom"'), { message: null, severity: 'common', cause: null });
      assert.deepEqual(exception('"exception":null,"error":"boom"'), { message: 'boom', severity: 'common', cause: null });
      assert.deepEqual(exception('"exception":{"message":5,"severity":{"x":1},"cause":[]}'), { message: null, severity: 'common', cause: null });
      assert.deepEqual(exception('"exception":{"message":"m","severity":"Weird"}'), { message: 'm', severity: 'weird', cause: null });
      const stuck = (value: string) => {
        const event = read(`{"op":"event","type":"TrackStuckEvent","guildId":"1","thresholdMs":${value}}`);
        return event?.type === 'trackStuck' ? event.thresholdMs : event;
      };
      assert.equal(stuck('"5000"'), 5000, 'a number sent as text');
      for (const value of ['"abc"', 'null', '1e999', '{"n":1}', 'true', '[]']) assert.equal(stuck(value), 0, value);
      assert.deepEqual(read('{"op":"event","type":"WebSocketClosedEvent","guildId":"1","code":"4006","reason":4006,"byRemote":"yes"}'), { type: 'voiceClosed', guildId: '1', code: -1, reason: '4006', byRemote: false });
    });

    test(`${name}: any JSON in any field gives an event or null, never an exception`, () => {
      const value = fc.jsonValue({ maxDepth: 4 });
      const field = (...names: string[]) => fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 6 });
      const frames = fc.oneof(
        fc.record({ op: fc.constant('playerUpdate'), guildId: fc.oneof(fc.string(), value), state: fc.oneof(value, field('time', 'position', 'connected', 'ping', '__proto__')) }),
        fc.tuple(fc.constant('stats'), field('players', 'playingPlayers', 'uptime', 'memory', 'cpu', 'frameStats', '__proto__')).map(([op, rest]) => ({ ...rest, op })),
        fc
          .tuple(
            fc.constantFrom('TrackStartEvent', 'TrackEndEvent', 'TrackExceptionEvent', 'TrackStuckEvent', 'WebSocketClosedEvent', 'Other'),
            fc.oneof(fc.string(), value),
            field('track', 'encodedTrack', 'reason', 'exception', 'error', 'thresholdMs', 'code', 'byRemote', 'constructor'),
          )
          .map(([type, guildId, rest]) => ({ ...rest, op: 'event', type, guildId })),
      );
      fc.assert(
        fc.property(frames, (raw) => {
          const parsed = parseFrame(JSON.stringify(raw));
          if (parsed instanceof LavalinkError) return true;
          const event = adapter.readEvent(parsed);
          return event === null || typeof event.type === 'string';
        }),
        { numRuns: 2000 },
      );
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }
});
