import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, InvalidOptionError } from '../../src/errors.js';
import { decodeTrack } from '../../src/protocol/track-codec.js';
import { Catalogue, UnreadableTrackVersionError } from '../../src/testing/catalogue.js';
import { LavalinkSimulator } from '../../src/testing/index.js';
import { flavours } from '../../src/testing/quirks.js';
import { releases } from '../../src/testing/release.js';

describe('simulator options', () => {
  test('wrong options throw InvalidOptionError with a message that says what was expected', () => {
    const cases: [options: object, message: string][] = [
      [{ protocol: 5 }, 'Expected `protocol` to be 3 or 4, got `5` (number)'],
      [{ protocol: 3, release: '4.2' }, "Expected `release` to be one of '3.7', '3.3' for protocol 3, got `\"4.2\"` (string)"],
      [{ port: 70000 }, 'Expected `port` to be an integer from 0 to 65535, got `70000` (number)'],
      [{ playerUpdateIntervalMs: 0 }, 'Expected `playerUpdateIntervalMs` to be a number of milliseconds from 1 to 2147483647, got `0` (number)'],
      [{ statsIntervalMs: '5s' }, 'Expected `statsIntervalMs` to be a number of milliseconds from 1 to 2147483647, got `"5s"` (string)'],
      [{ disabledFilters: ['bass'] }, 'Expected `disabledFilters` to be an array of filter names'],
      [{ heartbeat: { intervalMs: 10, timeoutMs: -1 } }, 'Expected `heartbeat.timeoutMs`'],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => new LavalinkSimulator(options),
        (error: unknown) => error instanceof InvalidOptionError && error.code === ErrorCode.InvalidOption && error.message.startsWith(message),
        message,
      );
    }
  });

  test('defaults: protocol 4 imitates 4.2, protocol 3 imitates 3.7, on 127.0.0.1', () => {
    assert.equal(new LavalinkSimulator().release.name, '4.2');
    assert.equal(new LavalinkSimulator({ protocol: 3 }).release.name, '3.7');
    assert.equal(new LavalinkSimulator().options.host, '127.0.0.1');
    for (const release of Object.values(releases)) assert.equal(release.semver.startsWith(release.name), true, release.name);
  });
});

describe('simulator flavours and quirks', () => {
  test('wrong flavours and quirks throw InvalidOptionError saying what was expected', () => {
    const cases: [options: object, message: string][] = [
      [{ flavour: 'nodelink2' }, "Expected `flavour` to be 'lavalink' or 'nodelink', got `\"nodelink2\"` (string)"],
      [{ protocol: 3, flavour: 'nodelink' }, "Expected `flavour` to be 'lavalink' for protocol 3 (NodeLink speaks protocol 4 only)"],
      [{ quirks: true }, 'Expected `quirks` to be an object of switches ('],
      [{ quirks: ['noResuming'] }, 'Expected `quirks` to be an object of switches ('],
      [{ quirks: { noResume: true } }, 'Expected `quirks` to be an object whose keys are among nodeLinkIdentity, noResuming,'],
      [{ quirks: { noResuming: 'yes' } }, 'Expected `quirks.noResuming` to be a boolean, got `"yes"` (string)'],
      [{ protocol: 3, quirks: { statsAfterInterval: true } }, 'Expected `quirks.statsAfterInterval` to be false for protocol 3'],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => new LavalinkSimulator(options),
        (error: unknown) => error instanceof InvalidOptionError && error.code === ErrorCode.InvalidOption && error.message.startsWith(message),
        message,
      );
    }
  });

  test('lavalink is the default and has no quirk; nodelink has every one; given switches win', () => {
    const names = Object.keys(flavours.lavalink).sort();
    assert.deepEqual(Object.keys(new LavalinkSimulator().options.quirks).sort(), names);
    assert.deepEqual(new LavalinkSimulator().options.quirks, flavours.lavalink);
    assert.ok(Object.values(flavours.lavalink).every((on) => on === false));
    assert.ok(Object.values(flavours.nodelink).every((on) => on === true));
    assert.deepEqual(Object.keys(flavours.nodelink).sort(), names);
    const mixed = new LavalinkSimulator({ flavour: 'nodelink', quirks: { pauseNeedsVoice: false } }).options;
    assert.equal(mixed.flavour, 'nodelink');
    assert.deepEqual(mixed.quirks, { ...flavours.nodelink, pauseNeedsVoice: false });
    assert.deepEqual(new LavalinkSimulator({ quirks: { noResuming: true } }).options.quirks, { ...flavours.lavalink, noResuming: true });
    assert.deepEqual(new LavalinkSimulator({ protocol: 3, quirks: { noResuming: false } }).options.quirks, flavours.lavalink, 'off is fine on v3');
    assert.equal(new LavalinkSimulator({ flavour: 'nodelink', release: '4.0' }).release.name, '4.0');
  });

  test('local files: Lavalink style by default; length -1 and no probe string when asked', () => {
    const lavalink = new Catalogue(3).load('/music/song.mp3');
    const nodelink = new Catalogue(3, [], { unknownLengths: true, probeless: true }).load('/music/song.mp3');
    assert.ok(lavalink.kind === 'track' && nodelink.kind === 'track');
    assert.equal(decodeTrack(lavalink.track.encoded).probeInfo, 'mp3');
    assert.equal(lavalink.track.info.length, 180000);
    assert.equal(decodeTrack(nodelink.track.encoded).probeInfo, null);
    assert.equal(nodelink.track.info.length, -1);
    assert.equal(new Catalogue(3).load('/music/readme.txt').kind, 'empty');
  });
});

describe('simulator catalogue', () => {
  test('writes version 3 tracks for v4 and version 2 for v3, with the same info', () => {
    const v4 = new Catalogue(3).load('dQw4w9WgXcQ');
    const v3 = new Catalogue(2).load('dQw4w9WgXcQ');
    assert.ok(v4.kind === 'track' && v3.kind === 'track');
    assert.equal(decodeTrack(v4.track.encoded).version, 3);
    assert.equal(decodeTrack(v3.track.encoded).version, 2);
    assert.equal(v3.track.info.artworkUrl, null, 'version 2 has no artwork');
    assert.equal(v4.track.info.title, v3.track.info.title);
  });

  test('made-up tracks carry their faults through encoding; search results are stable', () => {
    const catalogue = new Catalogue(3);
    const made = catalogue.load('sim:track?length=1234&fail=50');
    assert.ok(made.kind === 'track');
    assert.equal(made.track.info.length, 1234);
    const again = catalogue.decode(made.track.encoded);
    assert.equal(again.failAfterMs, 50);
    assert.equal(again.stuckAfterMs, null);
    assert.deepEqual(catalogue.load('ytsearch:same'), catalogue.load('ytsearch:same'));
    assert.equal(catalogue.load('ytsearch:   ').kind, 'empty');
    assert.equal(catalogue.load('sim:track?length=-1').kind, 'error');
    assert.equal(catalogue.load('https://example.com/page.html').kind, 'empty');
    const extra = new Catalogue(3, [{ title: 'Mine', author: 'Me', length: 1000, identifier: 'mine', isStream: false, sourceName: 'youtube' }]);
    assert.equal(extra.load('mine').kind, 'track');
  });

  test('a v3 catalogue reads track versions 1-2 only; an unparseable http URL loads as no matches', () => {
    const v4 = new Catalogue(3);
    const v3 = new Catalogue(2);
    assert.deepEqual([v4.maxReadableVersion, v3.maxReadableVersion], [3, 2]);
    const loaded = v4.load('dQw4w9WgXcQ');
    assert.ok(loaded.kind === 'track');
    assert.throws(() => v3.decode(loaded.track.encoded), UnreadableTrackVersionError);
    assert.equal(v4.decode(loaded.track.encoded).info.identifier, 'dQw4w9WgXcQ');
    const old = v3.load('dQw4w9WgXcQ');
    assert.ok(old.kind === 'track');
    assert.equal(v4.decode(old.track.encoded).info.identifier, 'dQw4w9WgXcQ', 'a v4 server still reads version 2');
    assert.equal(v4.load('http://[').kind, 'empty');
    assert.equal(v4.load('https://[::1/a.mp3').kind, 'empty');
  });
});

