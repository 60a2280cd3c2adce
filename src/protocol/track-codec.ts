/**
 * Encoded-track codec: lavaplayer's base64 "track message", versions 1–3. Written by
 * hand because the strings are Java *modified* UTF-8 (a plain UTF-8 decoder mangles emoji) and
 * because plugin sources put opaque bytes before the position, which must survive verbatim.
 */
import { Buffer } from 'node:buffer';
import { ErrorCode, TrackCodecError, describe } from '../errors.js';
import type { Track } from './rest.js';
import { fail, fromBase64, Reader } from './track-reader.js';

/** The version of lavaplayer's track message: 3 is what Lavalink v4 writes, 2 what v3 writes; 1 is older. */
export type TrackMessageVersion = 1 | 2 | 3;

/** Lavalink's track info shape (v4 fields; uri/artworkUrl/isrc null when absent). */
export interface TrackInfo {
  /** The source's id for the track (a YouTube video id, a URL...). */
  identifier: string;
  /** Whether the track can be seeked in. */
  isSeekable: boolean;
  /** The track's author or artist. */
  author: string;
  /** Length, ms; -1 when unknown (a stream, or a server that cannot tell). */
  length: number;
  /** Whether it is a live stream. */
  isStream: boolean;
  /** Where playback starts, ms (0 unless the track was encoded mid-play). */
  position: number;
  /** The track's title. */
  title: string;
  /** The track's URL; null when it has none. */
  uri: string | null;
  /** The source that loaded it (`youtube`, `soundcloud`, `http`...). */
  sourceName: string;
  /** A picture of the track; null when none (message version 3 only). */
  artworkUrl: string | null;
  /** The track's ISRC; null when none (message version 3 only). */
  isrc: string | null;
}

/** What `decodeTrack` answers: the message version, the info, and what the source appended. */
export interface DecodedTrack {
  /** The message version the track was encoded with. */
  version: TrackMessageVersion;
  /** The track's info. */
  info: TrackInfo;
  /**
   * http/local only: the container probe string ("mp3", "mpegts|params"); null for other sources,
   * and for an http/local track written without one (NodeLink's local tracks).
   */
  probeInfo: string | null;
  /** raw bytes of the source-specific field (between sourceName and the final 8-byte position), verbatim */
  sourceData: Uint8Array;
}

/** What {@link encodeTrack} takes. */
export interface EncodableTrack {
  /** The title. */
  title: string;
  /** The author or artist. */
  author: string;
  /** ms; -1 = unknown (NodeLink's local files). Other negatives are refused. */
  length: number;
  /** The source's id for the track. */
  identifier: string;
  /** Whether it is a live stream. */
  isStream: boolean;
  /** The track's URL. */
  uri?: string | null;
  /** A picture of the track (written by version 3 only). */
  artworkUrl?: string | null;
  /** The ISRC (written by version 3 only). */
  isrc?: string | null;
  /** The source that can load it (`youtube`, `http`...). */
  sourceName: string;
  /** default 0 */
  position?: number;
  /**
   * Written as the source field for http/local when sourceData is not given. `null` writes no probe
   * string at all, as NodeLink does for local tracks (lavaplayer cannot read such a track back);
   * left out, an http/local track is refused.
   */
  probeInfo?: string | null;
  /** written verbatim as the source field when given */
  sourceData?: Uint8Array;
}

/** Header flag: a version byte follows the header (absent → version 1). */
const FLAG_VERSIONED = 1;
const SIZE_MASK = 0x3fffffff;
const INT64_MAX = 2n ** 63n - 1n;
const MAX_UTF_BYTES = 0xffff;
/** The one negative length a track may have: unknown (NodeLink writes -1 for a local file or stream whose length it does not know). */
const UNKNOWN_LENGTH = -1;

/** Sources whose field j starts with a container probe string (lavaplayer ProbingAudioSourceManager). */
function hasProbeInfo(sourceName: string): boolean {
  return sourceName === 'http' || sourceName === 'local';
}

// ---------------------------------------------------------------- decoding

/** Decode a base64 lavaplayer track message (versions 1–3). Throws only {@link TrackCodecError}. */
export function decodeTrack(encoded: string): DecodedTrack {
  const buf = fromBase64(encoded);
  if (buf.length < 4) fail(ErrorCode.TrackTruncated, `Encoded track is ${buf.length} byte(s), too short for the 4-byte header`);
  const header = buf.readUInt32BE(0);
  const flags = header >>> 30;
  const size = header & SIZE_MASK;
  if (flags > FLAG_VERSIONED) fail(ErrorCode.TrackUnknownVersion, `Encoded track header has unknown flags ${flags} at offset 0`);
  if (size !== buf.length - 4) fail(ErrorCode.TrackBadSize, `Encoded track header says ${size} byte(s) follow, but ${buf.length - 4} do`);
  const versionBytes = flags === FLAG_VERSIONED ? 1 : 0;
  if (size < versionBytes + 8) fail(ErrorCode.TrackBadSize, `Encoded track size ${size} is too small to hold the 8-byte position`);
  const version = versionBytes ? buf.readUInt8(4) : 1;
  if (version !== 1 && version !== 2 && version !== 3) fail(ErrorCode.TrackUnknownVersion, `Encoded track has unknown version ${version} at offset 4`);

  // Position is always the last 8 bytes, whatever a source wrote before it, so fields a–i must end before it.
  const positionAt = buf.length - 8;
  const r = new Reader(buf, 4 + versionBytes, positionAt);
  const title = r.utf('title');
  const author = r.utf('author');
  const length = r.int64('length');
  const identifier = r.utf('identifier');
  const isStream = r.bool('isStream');
  const uri = version >= 2 ? r.nullableUtf('uri') : null;
  const artworkUrl = version >= 3 ? r.nullableUtf('artworkUrl') : null;
  const isrc = version >= 3 ? r.nullableUtf('isrc') : null;
  const sourceName = r.utf('sourceName');
  const sourceStart = r.offset;
  // NodeLink writes local tracks with nothing between sourceName and the position: no probe string
  // to read then, so it stays null and the fields read so far are the track. A probe string cut
  // short is still an error.
  const probeInfo = hasProbeInfo(sourceName) && r.offset < positionAt ? r.utf('probeInfo') : null;
  const position = new Reader(buf, positionAt, buf.length).int64('position');

  return {
    version,
    // isSeekable is not on the wire; lavaplayer's common sources report it as !isStream.
    info: { identifier, isSeekable: !isStream, author, length, isStream, position, title, uri, sourceName, artworkUrl, isrc },
    probeInfo,
    sourceData: Uint8Array.from(buf.subarray(sourceStart, positionAt)),
  };
}

// ---------------------------------------------------------------- encoding

/** Java writeUTF over UTF-16 code units: U+0000 as C0 80, each surrogate as its own 3 bytes. */
function utf(value: unknown, field: string): Buffer {
  if (typeof value !== 'string') fail(ErrorCode.TrackUnencodable, `Track field \`${field}\` must be a string, got ${describe(value)}`);
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    n += c >= 0x01 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
  }
  if (n > MAX_UTF_BYTES) fail(ErrorCode.TrackUnencodable, `Track field \`${field}\` is ${n} bytes in modified UTF-8; the limit is ${MAX_UTF_BYTES}`);
  const out = Buffer.alloc(2 + n);
  out.writeUInt16BE(n, 0);
  let o = 2;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) {
      out[o++] = c;
    } else if (c <= 0x7ff) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return out;
}

function nullableUtf(value: unknown, field: string): Buffer {
  return value === undefined || value === null ? Buffer.of(0) : Buffer.concat([Buffer.of(1), utf(value, field)]);
}

/** Clamped (negatives are refused) so a decoded Long.MAX_VALUE (which Number rounds up to 2**63) re-encodes exactly. */
function int64(value: unknown, field: string): Buffer {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(ErrorCode.TrackUnencodable, `Track field \`${field}\` must be a finite number >= 0, got ${describe(value)}`);
  }
  let big = BigInt(Math.trunc(value));
  if (big > INT64_MAX) big = INT64_MAX;
  const out = Buffer.alloc(8);
  out.writeBigInt64BE(big);
  return out;
}

/** A track's length: an int64 >= 0, or -1 for unknown (NodeLink writes it for local files). */
function trackLength(value: unknown): Buffer {
  if (value !== UNKNOWN_LENGTH) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return int64(value, 'length');
    fail(ErrorCode.TrackUnencodable, `Track field \`length\` must be a finite number >= 0, or -1 (unknown), got ${describe(value)}`);
  }
  const out = Buffer.alloc(8);
  out.writeBigInt64BE(-1n);
  return out;
}

function sourceField(track: EncodableTrack, sourceName: string): Uint8Array {
  const { sourceData, probeInfo } = track;
  if (sourceData !== undefined) {
    if (!(sourceData instanceof Uint8Array)) fail(ErrorCode.TrackUnencodable, `Track field \`sourceData\` must be a Uint8Array, got ${describe(sourceData)}`);
    return sourceData;
  }
  // null: no probe string, as NodeLink writes local tracks (decodeTrack reads them; lavaplayer cannot).
  if (!hasProbeInfo(sourceName) || probeInfo === null) return new Uint8Array(0);
  if (typeof probeInfo !== 'string') fail(ErrorCode.TrackUnencodable, `Track field \`probeInfo\` must be a string for ${sourceName} tracks, got ${describe(probeInfo)}`);
  return utf(probeInfo, 'probeInfo');
}

function encode(track: EncodableTrack, version: unknown): string {
  if (version !== 1 && version !== 2 && version !== 3) fail(ErrorCode.TrackUnencodable, `Unknown track message version ${describe(version)}; expected 1, 2 or 3`);
  if (typeof track !== 'object' || track === null) fail(ErrorCode.TrackUnencodable, `Track must be an object, got ${describe(track)}`);
  if (typeof track.isStream !== 'boolean') fail(ErrorCode.TrackUnencodable, `Track field \`isStream\` must be a boolean, got ${describe(track.isStream)}`);
  const sourceName = track.sourceName;
  const parts: Uint8Array[] = [];
  if (version >= 2) parts.push(Buffer.of(version));
  parts.push(utf(track.title, 'title'), utf(track.author, 'author'), trackLength(track.length));
  parts.push(utf(track.identifier, 'identifier'), Buffer.of(track.isStream ? 1 : 0));
  if (version >= 2) parts.push(nullableUtf(track.uri, 'uri'));
  if (version >= 3) parts.push(nullableUtf(track.artworkUrl, 'artworkUrl'), nullableUtf(track.isrc, 'isrc'));
  parts.push(utf(sourceName, 'sourceName'), sourceField(track, sourceName), int64(track.position ?? 0, 'position'));

  const body = Buffer.concat(parts);
  if (body.length > SIZE_MASK) fail(ErrorCode.TrackUnencodable, `Encoded track would be ${body.length} bytes; the header allows ${SIZE_MASK}`);
  const header = Buffer.alloc(4);
  header.writeUInt32BE((((version >= 2 ? FLAG_VERSIONED : 0) << 30) | body.length) >>> 0);
  return Buffer.concat([header, body]).toString('base64');
}

/** Encode a track as a base64 lavaplayer message (default version 3, what v4 servers write). */
export function encodeTrack(track: EncodableTrack, version: TrackMessageVersion = 3): string {
  try {
    return encode(track, version);
  } catch (err) {
    if (err instanceof TrackCodecError) throw err;
    // A throwing getter or proxy on the caller's object must still surface as a codec error.
    const why = err instanceof Error ? err.message : describe(err);
    throw new TrackCodecError(ErrorCode.TrackUnencodable, `Track could not be encoded: ${why}`, { cause: err });
  }
}

/** Encoded tracks as the REST shape of protocol/rest.ts; throws TrackCodecError on the first it cannot read. */
export function decodeTracks(list: readonly string[]): Track[] {
  return list.map((encoded) => ({ encoded, info: decodeTrack(encoded).info, pluginInfo: {}, userData: {} }));
}

/**
 * Whether two encoded tracks are the same track, whatever position each carries: lavaplayer
 * writes a track's position into its last 8 bytes, and Lavalink echoes a track started at a
 * position (a seek, a restore after a failover) with that position in it, and an ended one with
 * where it ended.
 */
export function sameTrack(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  const [x, y] = [Buffer.from(a, 'base64'), Buffer.from(b, 'base64')];
  return x.length === y.length && x.length > 8 && x.subarray(0, -8).equals(y.subarray(0, -8));
}

/** The encoded track with `position` (ms) in its last 8 bytes, as lavaplayer encodes a track that has one. */
export function withPosition(encoded: string, position: number): string {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length <= 8) return encoded;
  const at = BigInt(Math.max(0, Math.trunc(position)));
  if (bytes.readBigInt64BE(bytes.length - 8) === at) return encoded;
  bytes.writeBigInt64BE(at, bytes.length - 8);
  return bytes.toString('base64');
}
