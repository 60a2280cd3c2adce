/**
 * `manager.decode()`: encoded tracks read by the codec on this thread, long lists on a worker,
 * and what the codec cannot read (a plugin's track) by the node.
 */
import { InvalidOptionError, readArgument } from '../errors.js';
import type { Track } from '../protocol/rest.js';
import { decodeTracks } from '../protocol/track-codec.js';
import type { Socket } from '../socket.js';

/**
 * From this many tracks, the codec runs on a worker: a round trip costs the main thread ~50 µs,
 * decoding a track on it ~4 µs (measured with bench/load).
 */
const OFF_THREAD_DECODE = 16;

export interface DecodeWays {
  /** Decodes on a worker; null where none runs (inline, or not started). */
  offThread(list: readonly string[]): Promise<Track[] | null>;
  /** The node to ask when the codec cannot read a track. */
  node(): Promise<Socket>;
}

export async function decodeWith(input: string | readonly string[], decodeOptions: { rest?: boolean } | null | undefined, ways: DecodeWays): Promise<Track | Track[]> {
  const list = readArgument('tracks', 'an encoded track or an array of them', () => (typeof input === 'string' ? [input] : Array.isArray(input) ? [...(input as unknown[])] : null));
  if (list === null || !list.every((t) => typeof t === 'string')) throw new InvalidOptionError('tracks', 'an encoded track or an array of them', input);
  const expected = 'an object such as { rest: true } (or nothing)';
  const rest = readArgument('options', expected, () => (decodeOptions === null || decodeOptions === undefined ? undefined : (decodeOptions as { rest?: unknown }).rest));
  if ((decodeOptions !== null && decodeOptions !== undefined && typeof decodeOptions !== 'object') || (rest !== undefined && typeof rest !== 'boolean')) throw new InvalidOptionError('options', expected, decodeOptions);
  let tracks: Track[] | null = null;
  if (rest !== true) {
    try {
      tracks = (list.length >= OFF_THREAD_DECODE ? await ways.offThread(list) : null) ?? decodeTracks(list);
    } catch {
      tracks = null; // the codec cannot read one (a plugin's track?): the node can
    }
  }
  tracks ??= await (await ways.node()).request({ kind: 'decode', tracks: list });
  return typeof input === 'string' ? tracks[0]! : tracks;
}
