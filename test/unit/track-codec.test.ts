import { describe, test } from '../helpers/node-test.js';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { decodeTrack, encodeTrack, type DecodedTrack, type EncodableTrack, type TrackMessageVersion } from '../../src/protocol/track-codec.js';
import { ErrorCode, TrackCodecError } from '../../src/errors.js';
import { prng } from '../helpers/prng.js';

const SAMPLE =
  'QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA==';

const bytes = (b64: string): Buffer => Buffer.from(b64, 'base64');
const b64 = (buf: Uint8Array): string => Buffer.from(buf).toString('base64');

/** Header (flags, size = body length) + body. */
function frame(body: Uint8Array, flags = 1): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(((flags << 30) | body.length) >>> 0);
  return Buffer.concat([header, body]);
}
/** Java writeUTF for ASCII text, or a raw byte payload with its length prefix. */
function utf(s: string | number[]): Buffer {
  const payload = typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(payload.length);
  return Buffer.concat([len, payload]);
}
function int64(n: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigInt64BE(n);
  return out;
}
/** A version-2 youtube body whose title bytes are given raw (to forge bad strings). */
function v2Body(titleBytes: number[] | string, version = 2): Buffer {
  return Buffer.concat([Buffer.of(version), utf(titleBytes), utf('a'), int64(1000n), utf('id'), Buffer.of(0), Buffer.of(0), utf('youtube'), int64(0n)]);
}

function throwsCode(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof TrackCodecError && err.code === code);
}
function onlyCodecErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TrackCodecError, `expected TrackCodecError, got ${String(err)}`);
  }
}

const FULL: EncodableTrack = {
  title: 'Title ü 日本 🎵',
  author: 'Author',
  length: 212000,
  identifier: 'abc123',
  isStream: false,
  uri: 'https://example.com/a',
  artworkUrl: 'https://example.com/a.jpg',
  isrc: 'USRC17607839',
  sourceName: 'youtube',
  position: 4242,
};

describe('decodeTrack: spec §7.3 sample', () => {
  test('decodes to exactly the listed fields', () => {
    const expected: DecodedTrack = {
      version: 2,
      info: {
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
      },
      probeInfo: null,
      sourceData: new Uint8Array(0),
    };
    assert.deepStrictEqual(decodeTrack(SAMPLE), expected);
  });

  test('re-encodes as version 2 byte for byte', () => {
    const d = decodeTrack(SAMPLE);
    assert.equal(encodeTrack({ ...d.info, sourceData: d.sourceData }, 2), SAMPLE);
    assert.equal(encodeTrack(d.info, 2), SAMPLE);
  });

  test('accepts unpadded and URL-safe base64', () => {
    assert.deepStrictEqual(decodeTrack(SAMPLE.replace(/=+$/, '')), decodeTrack(SAMPLE));
    const slashy = encodeTrack({ ...FULL, sourceName: 'plugin', sourceData: new Uint8Array(30).fill(0xff) });
    assert.match(slashy, /\//);
    const urlSafe = slashy.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    assert.deepStrictEqual(decodeTrack(urlSafe), decodeTrack(slashy));
  });
});

describe('encode → decode round trips', () => {
  test('version 3 keeps every field', () => {
    const d = decodeTrack(encodeTrack(FULL));
    assert.equal(d.version, 3);
    assert.deepStrictEqual(d.info, {
      identifier: 'abc123',
      isSeekable: true,
      author: 'Author',
      length: 212000,
      isStream: false,
      position: 4242,
      title: 'Title ü 日本 🎵',
      uri: 'https://example.com/a',
      sourceName: 'youtube',
      artworkUrl: 'https://example.com/a.jpg',
      isrc: 'USRC17607839',
    });
    assert.equal(d.probeInfo, null);
    assert.deepStrictEqual(d.sourceData, new Uint8Array(0));
  });

  test('version 2 drops artworkUrl and isrc', () => {
    const d = decodeTrack(encodeTrack(FULL, 2));
    assert.equal(d.version, 2);
    assert.equal(d.info.uri, FULL.uri);
    assert.equal(d.info.artworkUrl, null);
    assert.equal(d.info.isrc, null);
    assert.equal(d.info.title, FULL.title);
    assert.equal(bytes(encodeTrack(FULL, 2)).readUInt32BE(0) >>> 30, 1);
  });

  test('version 1 drops uri, artworkUrl and isrc and has no version byte', () => {
    const encoded = encodeTrack(FULL, 1);
    const raw = bytes(encoded);
    assert.equal(raw.readUInt32BE(0) >>> 30, 0);
    assert.equal(raw.readUInt16BE(4), Buffer.byteLength('Title ü 日本 ', 'utf8') + 6); // title length right after header
    const d = decodeTrack(encoded);
    assert.equal(d.version, 1);
    assert.equal(d.info.uri, null);
    assert.equal(d.info.artworkUrl, null);
    assert.equal(d.info.isrc, null);
    assert.equal(d.info.position, 4242);
    assert.equal(d.info.title, FULL.title);
  });

  test('omitted optional fields decode as null / 0', () => {
    const d = decodeTrack(encodeTrack({ title: 't', author: 'a', length: 1, identifier: 'i', isStream: true, sourceName: 'twitch' }));
    assert.equal(d.info.uri, null);
    assert.equal(d.info.artworkUrl, null);
    assert.equal(d.info.isrc, null);
    assert.equal(d.info.position, 0);
    assert.equal(d.info.isStream, true);
    assert.equal(d.info.isSeekable, false);
  });

  const titleBytes = (title: string, version: TrackMessageVersion = 3): Buffer => {
    const raw = bytes(encodeTrack({ ...FULL, title }, version));
    const at = version === 1 ? 4 : 5;
    return raw.subarray(at + 2, at + 2 + raw.readUInt16BE(at));
  };

  for (const [title, hex] of [
    ['🎵', 'eda0bcedbeb5'],
    ['a\u0000b', '61c08062'],
    ['ü', 'c3bc'],
    ['日本', 'e697a5e69cac'],
    ['\u07ff\u0800\uffff', 'dfbfe0a080efbfbf'],
  ] as const) {
    test(`modified UTF-8 for ${JSON.stringify(title)} is ${hex} and round trips`, () => {
      for (const version of [1, 2, 3] as const) {
        assert.equal(titleBytes(title, version).toString('hex'), hex);
        assert.equal(decodeTrack(encodeTrack({ ...FULL, title }, version)).info.title, title);
      }
    });
  }

  test('lone surrogates survive', () => {
    const title = '\ud83c x \udfb5';
    assert.equal(decodeTrack(encodeTrack({ ...FULL, title })).info.title, title);
  });

  test('a 65535-byte string is the limit', () => {
    const title = 'a'.repeat(65535);
    assert.equal(decodeTrack(encodeTrack({ ...FULL, title })).info.title, title);
  });
});

describe('source-specific data', () => {
  for (const probeInfo of ['mp3', 'mpegts|params']) {
    test(`http track with probeInfo ${JSON.stringify(probeInfo)} round trips`, () => {
      const track: EncodableTrack = { ...FULL, sourceName: 'http', probeInfo, position: 77 };
      const d = decodeTrack(encodeTrack(track));
      assert.equal(d.info.sourceName, 'http');
      assert.equal(d.probeInfo, probeInfo);
      assert.deepStrictEqual(d.sourceData, new Uint8Array(utf(probeInfo)));
      assert.equal(d.info.position, 77);
      assert.equal(encodeTrack({ ...d.info, probeInfo: d.probeInfo }), encodeTrack(track));
    });
  }

  test('local track carries probeInfo too', () => {
    const d = decodeTrack(encodeTrack({ ...FULL, sourceName: 'local', probeInfo: 'flac' }, 2));
    assert.equal(d.probeInfo, 'flac');
  });

  test('plugin source bytes round trip and position comes from the last 8 bytes', () => {
    const sourceData = Uint8Array.of(0, 1, 2, 0xff, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 9);
    const encoded = encodeTrack({ ...FULL, sourceName: 'spotify', sourceData, position: 123456 });
    const raw = bytes(encoded);
    assert.equal(raw.readBigInt64BE(raw.length - 8), 123456n);
    const d = decodeTrack(encoded);
    assert.equal(d.probeInfo, null);
    assert.deepStrictEqual(d.sourceData, sourceData);
    assert.equal(d.info.position, 123456);
    assert.equal(encodeTrack({ ...d.info, sourceData: d.sourceData }), encoded);
  });

  test('http source data beyond the probe string is kept verbatim', () => {
    const sourceData = Buffer.concat([utf('mp3'), Buffer.of(1, 2, 3)]);
    const d = decodeTrack(encodeTrack({ ...FULL, sourceName: 'http', sourceData }));
    assert.equal(d.probeInfo, 'mp3');
    assert.deepStrictEqual(d.sourceData, new Uint8Array(sourceData));
  });

  test('sourceData wins over probeInfo', () => {
    const d = decodeTrack(encodeTrack({ ...FULL, sourceName: 'http', probeInfo: 'ogg', sourceData: utf('mp3') }));
    assert.equal(d.probeInfo, 'mp3');
  });
});

describe('byte-identical re-encoding', () => {
  test('a version-3 track re-encodes from its decoded fields', () => {
    for (const track of [FULL, { ...FULL, sourceName: 'http', probeInfo: 'mpegts|params' }, { ...FULL, uri: null, isrc: null }]) {
      const encoded = encodeTrack(track);
      const d = decodeTrack(encoded);
      assert.equal(encodeTrack({ ...d.info, sourceData: d.sourceData }, d.version), encoded);
    }
  });

  test('a stream with Long.MAX_VALUE length (hand-built) round trips', () => {
    const body = Buffer.concat([
      Buffer.of(3),
      utf('Live radio'),
      utf('Station'),
      int64(0x7fffffffffffffffn),
      utf('http://radio.example/stream'),
      Buffer.of(1),
      Buffer.of(1),
      utf('http://radio.example/stream'),
      Buffer.of(0),
      Buffer.of(0),
      utf('http'),
      utf('mpegts|hls'),
      int64(0n),
    ]);
    const encoded = b64(frame(body));
    const d = decodeTrack(encoded);
    assert.equal(d.info.length, 2 ** 63);
    assert.equal(d.info.length, JSON.parse('9223372036854775807'));
    assert.equal(d.info.isStream, true);
    assert.equal(d.info.isSeekable, false);
    assert.equal(d.probeInfo, 'mpegts|hls');
    assert.equal(encodeTrack({ ...d.info, sourceData: d.sourceData }, d.version), encoded);
    assert.equal(encodeTrack({ ...d.info, probeInfo: d.probeInfo }, d.version), encoded);
  });

  test('lengths beyond int64 clamp to Long.MAX_VALUE', () => {
    const raw = bytes(encodeTrack({ ...FULL, length: 1e300 }, 1));
    const titleEnd = 4 + 2 + raw.readUInt16BE(4);
    const lengthAt = titleEnd + 2 + raw.readUInt16BE(titleEnd);
    assert.equal(raw.readBigInt64BE(lengthAt), 0x7fffffffffffffffn);
  });
});

/**
 * NodeLink 2.3's local track: message version 3, length -1 (unknown), and nothing between
 * sourceName and the position, where Lavalink writes a probe string (real-servers.md).
 */
const NODELINK_LOCAL =
  'QAAAWAMACHNvbmcubXAzAA5Vbmtub3duIGFydGlzdP//////////AA8vbXVzaWMvc29uZy5tcDMAAQAPL211c2ljL3NvbmcubXAzAAAABWxvY2FsAAAAAAAAAAA=';

describe('tracks other servers write', () => {
  test('the NodeLink local track is the bytes we build by hand', () => {
    const body = Buffer.concat([
      Buffer.of(3),
      utf('song.mp3'),
      utf('Unknown artist'),
      int64(-1n),
      utf('/music/song.mp3'),
      Buffer.of(0),
      Buffer.of(1),
      utf('/music/song.mp3'),
      Buffer.of(0),
      Buffer.of(0),
      utf('local'),
      int64(0n),
    ]);
    assert.equal(b64(frame(body)), NODELINK_LOCAL);
  });

  test('a local track without a probe string decodes, keeping every field it read', () => {
    const d = decodeTrack(NODELINK_LOCAL);
    assert.deepEqual(d, {
      version: 3,
      info: {
        identifier: '/music/song.mp3',
        isSeekable: true,
        author: 'Unknown artist',
        length: -1,
        isStream: false,
        position: 0,
        title: 'song.mp3',
        uri: '/music/song.mp3',
        sourceName: 'local',
        artworkUrl: null,
        isrc: null,
      },
      probeInfo: null,
      sourceData: new Uint8Array(0),
    } satisfies DecodedTrack);
  });

  test('the NodeLink local track round trips byte for byte, from probeInfo or from sourceData', () => {
    const d = decodeTrack(NODELINK_LOCAL);
    assert.equal(encodeTrack({ ...d.info, probeInfo: d.probeInfo }, d.version), NODELINK_LOCAL);
    assert.equal(encodeTrack({ ...d.info, sourceData: d.sourceData }, d.version), NODELINK_LOCAL);
    assert.equal(
      encodeTrack({ title: 'song.mp3', author: 'Unknown artist', length: -1, identifier: '/music/song.mp3', isStream: false, uri: '/music/song.mp3', sourceName: 'local', probeInfo: null }),
      NODELINK_LOCAL,
    );
  });

  test('http tracks without a probe string read too, in every version, with their position', () => {
    for (const version of [1, 2, 3] as const) {
      const encoded = encodeTrack({ ...FULL, sourceName: 'http', probeInfo: null, position: 999 }, version);
      const d = decodeTrack(encoded);
      assert.equal(d.probeInfo, null);
      assert.equal(d.sourceData.length, 0);
      assert.equal(d.info.position, 999);
      assert.equal(d.info.title, FULL.title);
      assert.equal(encodeTrack({ ...d.info, probeInfo: d.probeInfo }, version), encoded);
    }
  });

  test('a probe string cut short is still truncated, and a broken one still a bad string', () => {
    const head = bytes(NODELINK_LOCAL).subarray(4, -8);
    throwsCode(() => decodeTrack(b64(frame(Buffer.concat([head, Buffer.of(0), int64(0n)])))), ErrorCode.TrackTruncated);
    throwsCode(() => decodeTrack(b64(frame(Buffer.concat([head, Buffer.of(0, 5, 0x6d), int64(0n)])))), ErrorCode.TrackTruncated);
    throwsCode(() => decodeTrack(b64(frame(Buffer.concat([head, Buffer.of(0, 1, 0xff), int64(0n)])))), ErrorCode.TrackBadString);
    // With a probe string, the same track reads as Lavalink writes it.
    const withProbe = frame(Buffer.concat([head, utf('mp3'), int64(0n)]));
    assert.equal(decodeTrack(b64(withProbe)).probeInfo, 'mp3');
  });

  test('length -1 (unknown) encodes as int64 -1 and round trips in every version; other negatives are refused', () => {
    for (const version of [1, 2, 3] as const) {
      const encoded = encodeTrack({ ...FULL, length: -1 }, version);
      const raw = bytes(encoded);
      const titleEnd = 4 + (version >= 2 ? 1 : 0) + 2 + raw.readUInt16BE(4 + (version >= 2 ? 1 : 0));
      const lengthAt = titleEnd + 2 + raw.readUInt16BE(titleEnd);
      assert.equal(raw.readBigInt64BE(lengthAt), -1n);
      const d = decodeTrack(encoded);
      assert.equal(d.info.length, -1);
      assert.equal(encodeTrack({ ...d.info, sourceData: d.sourceData }, version), encoded);
    }
    for (const length of [-2, -1.5, -0.5, -(2 ** 53)]) throwsCode(() => encodeTrack({ ...FULL, length }), ErrorCode.TrackUnencodable);
    throwsCode(() => encodeTrack({ ...FULL, position: -1 }), ErrorCode.TrackUnencodable);
    throwsCode(() => encodeTrack({ ...FULL, sourceName: 'local' }), ErrorCode.TrackUnencodable); // probeInfo left out
    throwsCode(() => encodeTrack({ ...FULL, sourceName: 'local', probeInfo: 5 as unknown as string }), ErrorCode.TrackUnencodable);
  });

  test('property: any http/local track, probe string or not, any length from -1 up, re-encodes byte for byte', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const track = fc.record({
      title: text,
      author: text,
      length: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 2 ** 40 })),
      identifier: text,
      isStream: fc.boolean(),
      uri: fc.option(text, { nil: null }),
      artworkUrl: fc.option(text, { nil: null }),
      isrc: fc.option(text, { nil: null }),
      sourceName: fc.constantFrom('http', 'local'),
      probeInfo: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: null }),
      position: fc.integer({ min: 0, max: 2 ** 40 }),
    });
    fc.assert(
      fc.property(track, fc.constantFrom(1 as const, 2 as const, 3 as const), (t, version) => {
        const encoded = encodeTrack(t, version);
        const d = decodeTrack(encoded);
        assert.equal(d.probeInfo, t.probeInfo);
        assert.equal(d.info.length, t.length);
        assert.equal(d.info.position, t.position);
        assert.equal(d.info.title, t.title);
        assert.equal(encodeTrack({ ...d.info, probeInfo: d.probeInfo }, version), encoded);
        assert.equal(encodeTrack({ ...d.info, sourceData: d.sourceData }, version), encoded);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('malformed input', () => {
  test('bad base64', () => {
    for (const input of ['QAAA*AAA', 'QAAA AAA', 'QAAAj', 'QQ=', 'Q===', 'QQ==QQ==', '====', '\u00e9AAA']) {
      throwsCode(() => decodeTrack(input), ErrorCode.TrackBadBase64);
    }
  });

  test('empty and non-string input', () => {
    throwsCode(() => decodeTrack(''), ErrorCode.TrackBadBase64);
    const inputs: unknown[] = [undefined, null, 42, {}, [], Symbol('x'), 1n];
    for (const input of inputs) {
      throwsCode(() => decodeTrack(input as string), ErrorCode.TrackBadBase64);
    }
  });

  test('truncated in the header', () => {
    for (const raw of [Buffer.of(0x40), Buffer.of(0x40, 0), Buffer.of(0x40, 0, 0)]) {
      throwsCode(() => decodeTrack(b64(raw)), ErrorCode.TrackTruncated);
    }
  });

  test('every cut of a valid track throws a TrackCodecError, never a RangeError', () => {
    const raw = bytes(encodeTrack({ ...FULL, sourceName: 'http', probeInfo: 'mp3' }));
    for (let n = 0; n < raw.length; n++) {
      const cut = raw.subarray(0, n);
      assert.throws(() => decodeTrack(b64(cut)), TrackCodecError, `cut at ${n}`);
    }
  });

  test('cutting inside each field with a matching size header throws TrackTruncated naming the field', () => {
    const raw = bytes(encodeTrack({ ...FULL, sourceName: 'http', probeInfo: 'mp3' }));
    const named = new Set<string>();
    // A cut right after sourceName is a track without a probe string, which NodeLink writes: it reads.
    const probeless = raw.length - 4 - 8 - utf('mp3').length;
    // Keep the version byte and the first `keep` field bytes, then a position, with a matching size.
    for (let keep = 1; keep < raw.length - 4 - 8; keep++) {
      const cut = frame(Buffer.concat([raw.subarray(4, 4 + keep), int64(0n)]));
      if (keep === probeless) {
        assert.equal(decodeTrack(b64(cut)).probeInfo, null);
        continue;
      }
      assert.throws(
        () => decodeTrack(b64(cut)),
        (err: unknown) => {
          if (!(err instanceof TrackCodecError) || err.code !== ErrorCode.TrackTruncated) return false;
          named.add(/ends before (\w+)/.exec(err.message)?.[1] ?? '?');
          return true;
        },
        `kept ${keep} bytes`,
      );
    }
    for (const field of ['title', 'author', 'length', 'identifier', 'isStream', 'uri', 'artworkUrl', 'isrc', 'sourceName', 'probeInfo']) {
      assert.ok(named.has(field), `no cut reported ${field}; saw ${[...named].join(', ')}`);
    }
  });

  test('size header too big or too small', () => {
    const raw = bytes(SAMPLE);
    for (const delta of [1, -1, 1000, -141]) {
      const bad = Buffer.from(raw);
      bad.writeUInt32BE(((1 << 30) | (141 + delta)) >>> 0);
      throwsCode(() => decodeTrack(b64(bad)), ErrorCode.TrackBadSize);
    }
    throwsCode(() => decodeTrack(b64(Buffer.concat([raw, Buffer.of(0)]))), ErrorCode.TrackBadSize);
  });

  test('size too small to hold the position', () => {
    throwsCode(() => decodeTrack(b64(frame(Buffer.of(2, 0, 0, 0, 0, 0, 0, 0)))), ErrorCode.TrackBadSize);
    throwsCode(() => decodeTrack(b64(frame(Buffer.of(0, 0, 0), 0))), ErrorCode.TrackBadSize);
    throwsCode(() => decodeTrack(b64(frame(Buffer.alloc(0), 1))), ErrorCode.TrackBadSize);
  });

  test('unknown versions and flags', () => {
    for (const version of [0, 4, 255]) throwsCode(() => decodeTrack(b64(frame(v2Body('t', version)))), ErrorCode.TrackUnknownVersion);
    for (const flags of [2, 3]) throwsCode(() => decodeTrack(b64(frame(v2Body('t'), flags))), ErrorCode.TrackUnknownVersion);
    assert.equal(decodeTrack(b64(frame(v2Body('t')))).info.title, 't');
  });

  test('bad modified UTF-8', () => {
    const cases: number[][] = [
      [0xf0, 0x9f, 0x8e, 0xb5], // 4-byte UTF-8 emoji
      [0xff],
      [0xc3, 0x41], // bad continuation
      [0xe6, 0x97, 0x41],
      [0x80], // stray continuation
      [0x61, 0xe6, 0x97], // sequence cut off by the string's length
      [0xc3],
    ];
    for (const title of cases) {
      throwsCode(() => decodeTrack(b64(frame(v2Body(title)))), ErrorCode.TrackBadString);
    }
    assert.equal(decodeTrack(b64(frame(v2Body([0xc0, 0x80])))).info.title, '\u0000');
  });

  test('encode errors', () => {
    const unencodable = (track: unknown, version?: number): void =>
      throwsCode(() => encodeTrack(track as EncodableTrack, version as TrackMessageVersion), ErrorCode.TrackUnencodable);
    unencodable({ ...FULL, title: 'a'.repeat(65536) });
    unencodable({ ...FULL, author: 'ü'.repeat(32768) });
    unencodable({ ...FULL, isrc: '🎵'.repeat(10923) });
    unencodable({ ...FULL, length: NaN });
    unencodable({ ...FULL, length: Infinity });
    unencodable({ ...FULL, length: -2 }); // -1 is the one negative length allowed (unknown)
    unencodable({ ...FULL, length: -0.5 });
    unencodable({ ...FULL, position: -5 });
    unencodable({ ...FULL, length: '1' });
    unencodable({ ...FULL, title: 7 });
    unencodable({ ...FULL, isStream: 'no' });
    unencodable({ ...FULL, uri: 5 });
    unencodable({ ...FULL, sourceName: undefined });
    unencodable({ ...FULL, sourceData: [1, 2] });
    unencodable({ ...FULL, sourceName: 'http' }); // no probeInfo
    unencodable(FULL, 7);
    unencodable(FULL, 0);
    unencodable(null);
    unencodable('track');
    unencodable({
      ...FULL,
      get title(): string {
        throw new Error('boom');
      },
    });
  });
});

describe('fuzz', () => {
  test('random bytes and mutated tracks only ever throw TrackCodecError', () => {
    const rand = prng(0xc0ffee);
    const int = (n: number): number => Math.floor(rand() * n);
    const seeds = [
      bytes(SAMPLE),
      bytes(encodeTrack(FULL)),
      bytes(encodeTrack(FULL, 1)),
      bytes(encodeTrack({ ...FULL, sourceName: 'http', probeInfo: 'mpegts|params' }, 2)),
      bytes(encodeTrack({ ...FULL, sourceName: 'plugin', sourceData: Uint8Array.of(1, 2, 3) })),
    ];
    let decoded = 0;
    for (let i = 0; i < 2000; i++) {
      let buf: Buffer;
      if (i % 2 === 0) {
        buf = Buffer.from(Array.from({ length: int(64) }, () => int(256)));
        // Give half of them a consistent header so the field parser gets exercised too.
        if (i % 4 === 0 && buf.length >= 4) buf.writeUInt32BE(((int(2) << 30) | (buf.length - 4)) >>> 0);
      } else {
        const seed = seeds[int(seeds.length)] ?? bytes(SAMPLE);
        buf = Buffer.from(seed);
        for (let m = 1 + int(4); m > 0; m--) buf[4 + int(buf.length - 4)] = int(256);
        if (rand() < 0.2) buf = buf.subarray(0, int(buf.length));
        if (rand() < 0.2 && buf.length >= 4) buf.writeUInt32BE(((buf.readUInt32BE(0) & 0xc0000000) | (buf.length - 4)) >>> 0, 0);
      }
      onlyCodecErrors(() => {
        const d = decodeTrack(b64(buf));
        decoded++;
        onlyCodecErrors(() => encodeTrack({ ...d.info, sourceData: d.sourceData }, d.version));
      });
    }
    assert.ok(decoded > 0, 'some mutated tracks should still decode');
  });

  test('random strings only ever throw TrackCodecError', () => {
    const rand = prng(42);
    const alphabet = 'ABCDQgw+/-_=0189 *\u00e9\n';
    for (let i = 0; i < 500; i++) {
      const s = Array.from({ length: Math.floor(rand() * 40) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      onlyCodecErrors(() => decodeTrack(s));
    }
  });
});
