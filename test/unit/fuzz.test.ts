/**
 * Fuzzing with fast-check: the frame parser and the track codec take any input and answer either
 * a value or a typed error; never another exception, a hang, or unbounded work.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import fc from 'fast-check';
import { ErrorCode, LavalinkError, TrackCodecError } from '../../src/errors.js';
import { MAX_FRAME_DEPTH, parseFrame } from '../../src/protocol/frames.js';
import { decodeTrack, encodeTrack } from '../../src/protocol/track-codec.js';

const RUNS = 3000;

describe('fuzz: frame parser', () => {
  test('any text, or any JSON value, gives a frame with an op or a BadFrame error', () => {
    const input = fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 8 }), fc.jsonValue({ maxDepth: 8 }).map((v) => JSON.stringify(v)));
    fc.assert(
      fc.property(input, fc.boolean(), (text, binary) => {
        const result = parseFrame(text, binary);
        if (result instanceof LavalinkError) return result.code === ErrorCode.BadFrame;
        return !binary && typeof result.op === 'string';
      }),
      { numRuns: RUNS },
    );
  });

  test('objects with an op and hostile keys parse without touching any prototype', () => {
    const hostile = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'op', 'guildId', 'state'), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 5 });
    fc.assert(
      fc.property(hostile, fc.string({ maxLength: 10 }), (extra, op) => {
        const text = JSON.stringify({ ...extra, op });
        const result = parseFrame(text);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
        return result instanceof LavalinkError || typeof result.op === 'string';
      }),
      { numRuns: RUNS },
    );
    const attack = parseFrame('{"op":"x","__proto__":{"polluted":true},"a":{"constructor":{"prototype":{"polluted":true}}}}');
    assert.ok(!(attack instanceof LavalinkError));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('depth is bounded: deeper than the limit is refused, quickly, without recursion', () => {
    const deep = (n: number): string => `{"op":"x","a":${'['.repeat(n)}${']'.repeat(n)}}`;
    assert.ok(!(parseFrame(deep(MAX_FRAME_DEPTH - 2)) instanceof LavalinkError));
    const refused = parseFrame(deep(200_000));
    assert.ok(refused instanceof LavalinkError && refused.code === ErrorCode.BadFrame);
  });
});

describe('fuzz: track codec', () => {
  test('any base64 (and any string) decodes to a track or throws TrackCodecError', () => {
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('base64')),
      fc.string({ maxLength: 100 }),
      fc.base64String({ maxLength: 200 }),
    );
    fc.assert(
      fc.property(input, (encoded) => {
        try {
          const track = decodeTrack(encoded);
          return typeof track.info.title === 'string' && track.version >= 1 && track.version <= 3;
        } catch (error) {
          return error instanceof TrackCodecError;
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('any track info round trips through encode and decode, for every version', () => {
    const text = fc.string({ unit: 'binary', maxLength: 60 });
    const track = fc.record({
      title: text,
      author: text,
      length: fc.integer({ min: 0, max: 2 ** 40 }),
      identifier: text,
      isStream: fc.boolean(),
      uri: fc.option(text, { nil: null }),
      artworkUrl: fc.option(text, { nil: null }),
      isrc: fc.option(text, { nil: null }),
      sourceName: fc.constantFrom('youtube', 'soundcloud', 'spotify'),
      position: fc.integer({ min: 0, max: 2 ** 40 }),
    });
    fc.assert(
      fc.property(track, fc.constantFrom(1 as const, 2 as const, 3 as const), (t, version) => {
        const decoded = decodeTrack(encodeTrack(t, version));
        assert.equal(decoded.info.title, t.title);
        assert.equal(decoded.info.author, t.author);
        assert.equal(decoded.info.length, t.length);
        assert.equal(decoded.info.position, t.position);
        assert.equal(decoded.info.uri, version >= 2 ? t.uri : null);
        assert.equal(decoded.info.isrc, version >= 3 ? t.isrc : null);
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});
