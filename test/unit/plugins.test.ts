/**
 * The plugins' JSON read into their types (protocol/plugins.ts): each known event and answer as
 * the plugins send it, older and newer spellings, malformed ones (never a throw, never dropped),
 * and which requests need which plugin.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from '../helpers/node-test.js';
import { lavaSrcPlaylistInfo, lavaSrcTrackInfo, pluginNeeded, Plugins, serves, toLyrics, toSearchResult } from '../../src/protocol/plugins.js';
import { readPluginEvent } from '../../src/protocol/plugin-events.js';
import { toTrack } from '../../src/protocol/rest.js';
import { v4Adapter } from '../../src/protocol/v4/adapter.js';
import { parseFrame, type NodeFrame } from '../../src/protocol/frames.js';

const event = (json: string): unknown => {
  const frame = parseFrame(json, false) as NodeFrame;
  return v4Adapter.readEvent(frame);
};

describe('plugin events', () => {
  test('SponsorBlock and LavaLyrics events are read into their types', () => {
    assert.deepEqual(event('{"op":"event","type":"SegmentsLoaded","guildId":"1","segments":[{"category":"sponsor","start":0,"end":3000}]}'), {
      type: 'plugin',
      guildId: '1',
      event: { type: 'SegmentsLoaded', segments: [{ category: 'sponsor', start: 0, end: 3000 }] },
    });
    assert.deepEqual(readPluginEvent('SegmentSkipped', { segment: { category: 'intro', start: 5, end: 9 } }), { type: 'SegmentSkipped', segment: { category: 'intro', start: 5, end: 9 } });
    // The README shows `duration` as text, the plugin sends a number.
    assert.deepEqual(readPluginEvent('ChaptersLoaded', { chapters: [{ name: 'A', start: 0, end: 10, duration: '10' }, { name: 'B', start: 10, end: 30, duration: 20 }] }), {
      type: 'ChaptersLoaded',
      chapters: [
        { name: 'A', start: 0, end: 10, duration: 10 },
        { name: 'B', start: 10, end: 30, duration: 20 },
      ],
    });
    assert.deepEqual(readPluginEvent('ChapterStarted', { chapter: { name: 'A', start: 0, end: 10 } }), { type: 'ChapterStarted', chapter: { name: 'A', start: 0, end: 10, duration: 10 } });
    assert.deepEqual(readPluginEvent('LyricsNotFoundEvent', { guildId: '1', op: 'event', type: 'LyricsNotFoundEvent' }), { type: 'LyricsNotFoundEvent' });
    assert.deepEqual(readPluginEvent('LyricsLineEvent', { lineIndex: 2, line: { timestamp: 100, duration: null, line: 'la', plugin: {} }, skipped: true }), {
      type: 'LyricsLineEvent',
      lineIndex: 2,
      line: { timestamp: 100, duration: null, line: 'la', plugin: {} },
      skipped: true,
    });
    // An older LavaLyrics sends neither lineIndex nor skipped.
    assert.deepEqual(readPluginEvent('LyricsLineEvent', { line: { timestamp: 1, line: 'x' } }), { type: 'LyricsLineEvent', lineIndex: -1, line: { timestamp: 1, duration: null, line: 'x', plugin: {} }, skipped: false });
    const found = readPluginEvent('LyricsFoundEvent', { lyrics: { sourceName: 'deezer', originalSourceName: 'Musixmatch', text: 'a\nb', lines: null, plugin: {} } });
    assert.deepEqual(found, { type: 'LyricsFoundEvent', lyrics: { sourceName: 'deezer', provider: 'Musixmatch', text: 'a\nb', lines: null, plugin: {} } });
  });

  test('an event nobody knows, or a known one with fields that cannot be read, comes as unknown with its fields', () => {
    assert.deepEqual(readPluginEvent('MixerStarted', { op: 'event', type: 'MixerStarted', guildId: '1', volume: 0.5 }), { type: 'unknown', name: 'MixerStarted', data: { volume: 0.5 } });
    for (const [name, fields] of [
      ['SegmentSkipped', { segment: 'x' }],
      ['ChaptersLoaded', { chapters: {} }],
      ['LyricsFoundEvent', { lyrics: [1] }],
      ['LyricsLineEvent', {}],
    ] as const) {
      assert.deepEqual(readPluginEvent(name, fields), { type: 'unknown', name, data: fields }, name);
    }
  });

  test('any fields: never a throw, always an event', () => {
    const names = fc.constantFrom('SegmentsLoaded', 'SegmentSkipped', 'ChaptersLoaded', 'ChapterStarted', 'LyricsFoundEvent', 'LyricsNotFoundEvent', 'LyricsLineEvent', 'Other');
    fc.assert(
      fc.property(names, fc.dictionary(fc.constantFrom('segments', 'segment', 'chapters', 'chapter', 'lyrics', 'line', 'lineIndex', 'x'), fc.jsonValue()), (name, fields) => {
        const read = readPluginEvent(name, fields);
        assert.equal(typeof read.type, 'string');
      }),
      { numRuns: 500 },
    );
  });
});

describe('plugin answers', () => {
  test('LavaSearch: every kind read; nothing (204, 404) is an empty result', () => {
    const playlist = { info: { name: 'Album', selectedTrack: -1 }, pluginInfo: { type: 'album', url: 'u', artworkUrl: null, author: 'A', totalTracks: 12 }, tracks: [] };
    const result = toSearchResult({ tracks: [{ encoded: 'e', info: { title: 'T' } }], albums: [playlist], artists: 'x', playlists: [], texts: [{ text: 'q', plugin: {} }, 5], plugin: { a: 1 } }, toTrack);
    assert.equal(result.tracks[0]!.info.title, 'T');
    assert.deepEqual(result.albums[0], { name: 'Album', selectedTrack: -1, pluginInfo: playlist.pluginInfo, tracks: [] });
    assert.deepEqual(lavaSrcPlaylistInfo(result.albums[0]), { type: 'album', url: 'u', artworkUrl: null, author: 'A', totalTracks: 12 });
    assert.deepEqual([result.artists, result.texts], [[], [{ text: 'q', plugin: {} }, { text: '', plugin: {} }]]);
    assert.deepEqual(toSearchResult(null, toTrack), { tracks: [], albums: [], artists: [], playlists: [], texts: [], plugin: {} });
  });

  test('LavaSrc pluginInfo read typed; a track or playlist without it is null', () => {
    const info = { albumName: 'Album', albumUrl: 'a', artistUrl: 'b', artistArtworkUrl: null, previewUrl: 'p', isPreview: true, isLocal: false };
    assert.deepEqual(lavaSrcTrackInfo({ pluginInfo: info }), { albumName: 'Album', albumUrl: 'a', artistUrl: 'b', artistArtworkUrl: null, previewUrl: 'p', isPreview: true });
    assert.equal(lavaSrcTrackInfo({ pluginInfo: {} }), null);
    assert.equal(lavaSrcPlaylistInfo({ pluginInfo: {} }), null);
  });

  test('lyrics: 204 is none; text-only and line-only lyrics', () => {
    assert.equal(toLyrics(null), null);
    assert.deepEqual(toLyrics({ sourceName: 'spotify', provider: 'MusixMatch', text: null, lines: [{ timestamp: 16770, duration: null, line: 'x', plugin: {} }], plugin: {} }), {
      sourceName: 'spotify',
      provider: 'MusixMatch',
      text: null,
      lines: [{ timestamp: 16770, duration: null, line: 'x', plugin: {} }],
      plugin: {},
    });
  });
});

describe('which plugin a request needs', () => {
  test('LavaSrc prefixes, the plugin routes; nothing for the rest', () => {
    assert.deepEqual(pluginNeeded({ kind: 'load', identifier: 'spsearch:q' }), { plugin: Plugins.LavaSrc, source: 'spotify' });
    assert.deepEqual(pluginNeeded({ kind: 'load', identifier: 'dzisrc:USUM71703861' }), { plugin: Plugins.LavaSrc, source: 'deezer' });
    assert.equal(pluginNeeded({ kind: 'load', identifier: 'ytsearch:q' }), null);
    assert.equal(pluginNeeded({ kind: 'load', identifier: 'https://open.spotify.com/track/1' }), null, 'a URL: the node says what it can load');
    assert.deepEqual(pluginNeeded({ kind: 'loadSearch', query: 'ytsearch:q', types: [] }), { plugin: Plugins.LavaSearch, source: null });
    assert.deepEqual(pluginNeeded({ kind: 'lyricsSubscription', guildId: '1', subscribe: true, skipTrackSource: false }), { plugin: Plugins.LavaLyrics, source: null });
    assert.equal(pluginNeeded({ kind: 'info' }), null);
  });

  test('a node serves a need by the plugin (or its older bare name), or by a source it has built in', () => {
    const lavasrc = { plugin: Plugins.LavaSrc, source: 'spotify' };
    assert.equal(serves(lavasrc, [{ name: 'lavasrc-plugin' }], []), true);
    assert.equal(serves(lavasrc, [], ['youtube', 'spotify']), true, 'NodeLink has Spotify built in');
    assert.equal(serves(lavasrc, [{ name: 'lavasearch-plugin' }], ['youtube']), false);
    assert.equal(serves({ plugin: Plugins.SponsorBlock, source: null }, [{ name: 'sponsorblock' }], []), true);
  });
});
