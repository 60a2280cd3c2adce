/** A player's parts alone, without sockets: its state under node events, and its voice credentials. */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { PlayerModel } from '../../src/player/state.js';
import { Manager } from '../../src/index.js';
import { updatePlayer } from '../../src/player.js';
import { VoiceState } from '../../src/player/voice.js';
import { trackFromEncoded } from '../../src/protocol/read-event.js';
import { encodeTrack, sameTrack, withPosition } from '../../src/protocol/track-codec.js';

const GUILD = '123456789012345678';
const info = (identifier: string, length = 180_000) => ({ title: identifier, author: 'a', length, identifier, isStream: false, uri: null, sourceName: 'youtube', position: 0 });
const track = (identifier: string, length?: number) => trackFromEncoded(encodeTrack(info(identifier, length)))!;

describe('PlayerModel', () => {
  test('a start is told once per track: not again for a restore, a seek or a server extra', () => {
    const state = new PlayerModel();
    const a = track('a');
    state.track = a;
    state.startAt = 30_000;
    assert.deepEqual(state.apply({ type: 'trackStart', guildId: GUILD, track: a }), { name: 'trackStart', track: a });
    assert.ok(state.position >= 30_000, 'the position is at the asked start');
    assert.equal(state.apply({ type: 'trackStart', guildId: GUILD, track: a }), null, 'an extra start of the same track');
    const b = track('b');
    assert.deepEqual(state.apply({ type: 'trackStart', guildId: GUILD, track: b }), { name: 'trackStart', track: b }, 'a track the bot did not ask for');
    assert.equal(state.track, b);
  });

  test('an end clears the track unless it was replaced, and says when a queue may move on', () => {
    const state = new PlayerModel();
    const a = track('a');
    state.track = a;
    assert.deepEqual(state.apply({ type: 'trackEnd', guildId: GUILD, track: null, reason: 'replaced' }), { name: 'trackEnd', track: a, reason: 'replaced', mayStartNext: false });
    assert.equal(state.track, a, 'a replaced end keeps the new track');
    assert.deepEqual(state.apply({ type: 'trackEnd', guildId: GUILD, track: a, reason: 'loadFailed' }), { name: 'trackEnd', track: a, reason: 'loadFailed', mayStartNext: true });
    assert.equal(state.track, null);
    assert.equal(state.position, 0);
  });

  test('an end that arrives while an asked start is on its way is of what played before: the player keeps its track', () => {
    const state = new PlayerModel();
    const a = track('a');
    state.track = a;
    state.startAt = 42_000; // a restore (or a play) asked for this start; it has not come yet
    assert.equal(state.apply({ type: 'trackEnd', guildId: GUILD, track: a, reason: 'stopped' }), null, 'a stale destroy of the previous incarnation');
    assert.equal(state.apply({ type: 'trackEnd', guildId: GUILD, track: a, reason: 'finished' }), null);
    assert.equal(state.track, a);
    assert.equal(state.apply({ type: 'trackStart', guildId: GUILD, track: a })?.name, 'trackStart');
    assert.equal(state.apply({ type: 'trackEnd', guildId: GUILD, track: a, reason: 'stopped' })?.name, 'trackEnd', 'after the start, an end is the end');
    assert.equal(state.track, null);
    state.track = a;
    state.startAt = 0;
    assert.equal(state.apply({ type: 'trackEnd', guildId: GUILD, track: a, reason: 'loadFailed' })?.name, 'trackEnd', 'the asked track failing to load ends it');
    assert.equal(state.track, null);
  });

  test('Lavalink echoes a track started at a position with that position in its bytes: still the asked track, announced once, and its end is heard', () => {
    const state = new PlayerModel();
    const a = track('a', 300_000);
    const echoed = { ...a, encoded: withPosition(a.encoded, 90_000) };
    assert.notEqual(echoed.encoded, a.encoded);
    assert.ok(sameTrack(a.encoded, echoed.encoded));
    assert.ok(!sameTrack(a.encoded, track('b', 300_000).encoded));
    state.track = a;
    state.startAt = 90_000; // a restore on another node, at 90 s
    state.announced = true; // the bot was told of `a` before the move
    assert.equal(state.apply({ type: 'trackStart', guildId: GUILD, track: echoed }), null, 'not news: the same track');
    assert.equal(state.startAt, null, 'the asked start came');
    assert.equal(state.track, a);
    const ended = { ...a, encoded: withPosition(a.encoded, 300_000) };
    assert.deepEqual(state.apply({ type: 'trackEnd', guildId: GUILD, track: ended, reason: 'finished' }), { name: 'trackEnd', track: ended, reason: 'finished', mayStartNext: true });
    assert.equal(state.track, null);
  });

  test('a start of another track while an asked start is on its way is of a track asked before: not news, and the player keeps the asked one', () => {
    const state = new PlayerModel();
    const [a, b] = [track('a'), track('b')];
    state.track = b;
    state.startAt = 0; // the bot asked for b (a skip right after a failover replayed a)
    assert.equal(state.apply({ type: 'trackStart', guildId: GUILD, track: a }), null);
    assert.equal(state.track, b);
    assert.equal(state.startAt, 0, 'still waiting for b');
    assert.deepEqual(state.apply({ type: 'trackStart', guildId: GUILD, track: b }), { name: 'trackStart', track: b });
  });

  test('updates move the position on, never below 0, never past a known length', (t) => {
    // The flood's own path: updatePlayer on a real Player's fields (no node needed).
    const manager = new Manager([{ id: 'n', host: '127.0.0.1', port: 1, password: 'p' }], { send: () => {}, workers: 0 });
    t.after(() => manager.close());
    const player = manager.create(GUILD);
    const update = (position: number, connected: number, ping: number): void => updatePlayer(player, Float64Array.of(1, position, connected, ping), 0, performance.now(), false);
    player.track = track('short', 1000);
    update(-50, 1, 12);
    assert.equal(player.position >= 0, true);
    assert.equal(player.connected, true);
    assert.equal(player.ping, 12);
    update(5000, NaN, NaN);
    assert.equal(player.position, 1000, 'clamped to the length');
    assert.equal(player.ping, 12, 'NaN: left out by the node');
    player.track = track('live', -1);
    update(5000, NaN, NaN);
    assert.ok(player.position >= 5000, 'an unknown length is no limit');
  });

  test('a voice close drops the connection and tells the code', () => {
    const state = new PlayerModel();
    state.connected = true;
    assert.deepEqual(state.apply({ type: 'voiceClosed', guildId: GUILD, code: 4006, reason: 'Session is no longer valid.', byRemote: true }), { name: 'voiceClosed', code: 4006, reason: 'Session is no longer valid.', byRemote: true });
    assert.equal(state.connected, false);
  });
});

describe('VoiceState', () => {
  test('the update goes once both halves are known, and never twice', () => {
    const voice = new VoiceState(GUILD);
    assert.deepEqual(voice.stateUpdate('1', 'session'), { from: null, to: '1' });
    assert.equal(voice.next(), null, 'no token yet');
    voice.serverUpdate('token', 'endpoint');
    const op = voice.next();
    assert.deepEqual(op, { op: 'voiceUpdate', guildId: GUILD, sessionId: 'session', event: { token: 'token', guild_id: GUILD, endpoint: 'endpoint' }, channelId: '1' });
    assert.equal(voice.next(), null, 'the same credentials again');
    voice.unsent();
    assert.deepEqual(voice.next(), op, 'an update that never reached the node goes again');
  });

  test('a channel move waits for the new token: the one sent is stale', () => {
    const voice = new VoiceState(GUILD);
    voice.stateUpdate('1', 'session');
    voice.serverUpdate('old', 'endpoint');
    assert.ok(voice.next());
    assert.deepEqual(voice.stateUpdate('2', 'session'), { from: '1', to: '2' });
    assert.equal(voice.next(), null, 'not with the old token');
    voice.serverUpdate('new', 'endpoint');
    assert.equal(voice.next()?.event.token, 'new');
  });

  test('a server move (endpoint null) waits; leaving forgets everything', () => {
    const voice = new VoiceState(GUILD);
    voice.stateUpdate('1', 'session');
    voice.serverUpdate('token', null);
    assert.equal(voice.next(), null);
    assert.deepEqual(voice.stateUpdate(null, 'session'), { from: '1', to: null });
    assert.equal(voice.channel, null);
    assert.equal(voice.credentials(), null);
  });
});
