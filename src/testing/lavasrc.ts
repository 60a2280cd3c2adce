/**
 * LavaSrc (topi314/LavaSrc 4.x) as the simulator serves it: Spotify, Apple Music and Deezer
 * searches (`spsearch:`, `amsearch:`, `dzsearch:`) and album URLs, answered with made-up tracks
 * that are the same for the same query. Tracks are encoded as LavaSrc encodes them, with the album
 * and artist details written after the source name, and those details come back as `pluginInfo`
 * whenever the track is turned into JSON, wherever it came from (a load, a decode, an event).
 */
import type { TrackInfo } from '../protocol/track-codec.js';
import { hash, type SourceEntry, type TrackSource } from './catalogue.js';
import type { LoadResult } from './types.js';

export type LavaSrcSourceName = 'spotify' | 'applemusic' | 'deezer';

/** The source managers LavaSrc adds, as `/v4/info` lists them. */
export const lavaSrcSources: readonly LavaSrcSourceName[] = ['spotify', 'applemusic', 'deezer'];

/** Search prefixes LavaSrc serves, and the source each searches. */
export const lavaSrcPrefixes: Readonly<Record<string, LavaSrcSourceName>> = { spsearch: 'spotify', amsearch: 'applemusic', dzsearch: 'deezer' };

/** An album, artist or playlist as LavaSrc describes it (its ExtendedAudioPlaylist). */
export interface Collection {
  readonly name: string;
  readonly url: string;
  readonly artworkUrl: string;
  readonly author: string;
  readonly totalTracks: number;
}

export type CollectionKind = 'album' | 'artist' | 'playlist';

/** How one service spells its ids and URLs. */
interface Site {
  id(n: number): string;
  track(id: string): string;
  collection(kind: CollectionKind, id: string): string;
  artwork(id: string): string;
  preview(id: string): string;
  /** Album URLs the source loads; group 1 is the album id. */
  readonly albumUrl: RegExp;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A 22-character base-62 id like Spotify's, the same for the same number (xorshift). */
function spotifyId(n: number): string {
  let x = (n + 0x9e3779b9) >>> 0;
  let id = '';
  for (let i = 0; i < 22; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    id += BASE62[x % 62];
  }
  return id;
}

const sites: Readonly<Record<LavaSrcSourceName, Site>> = {
  spotify: {
    id: spotifyId,
    track: (id) => `https://open.spotify.com/track/${id}`,
    collection: (kind, id) => `https://open.spotify.com/${kind}/${id}`,
    artwork: (id) => `https://i.scdn.co/image/${id}`,
    preview: (id) => `https://p.scdn.co/mp3-preview/${id}`,
    albumUrl: /^https:\/\/open\.spotify\.com\/(?:intl-[a-z]+\/)?album\/([0-9A-Za-z]+)(?:\?.*)?$/,
  },
  applemusic: {
    id: (n) => String(1_000_000_000 + n),
    track: (id) => `https://music.apple.com/us/song/${id}`,
    collection: (kind, id) => `https://music.apple.com/us/${kind}/${id}`,
    artwork: (id) => `https://is1-ssl.mzstatic.com/image/thumb/Music/${id}/600x600bb.jpg`,
    preview: (id) => `https://audio-ssl.itunes.apple.com/itunes-assets/AudioPreview/${id}.m4a`,
    // Without a query: `?i=<id>` on an album URL names one of its tracks.
    albumUrl: /^https:\/\/music\.apple\.com\/[a-z]{2}\/album\/(?:[^/?]+\/)?(\d+)$/,
  },
  deezer: {
    id: (n) => String(100_000_000 + n),
    track: (id) => `https://www.deezer.com/track/${id}`,
    collection: (kind, id) => `https://www.deezer.com/${kind}/${id}`,
    artwork: (id) => `https://e-cdns-images.dzcdn.net/images/cover/${id}/1000x1000-000000-80-0-0.jpg`,
    preview: (id) => `https://cdnt-preview.dzcdn.net/api/1/1/sim/${id}.mp3`,
    albumUrl: /^https:\/\/www\.deezer\.com\/(?:[a-z]{2}\/)?album\/(\d+)(?:\?.*)?$/,
  },
};

/** What LavaSrc writes after the source name, and shows as a track's `pluginInfo`. */
interface TrackDetails {
  readonly albumName: string | null;
  readonly albumUrl: string | null;
  readonly artistUrl: string | null;
  readonly artistArtworkUrl: string | null;
  readonly previewUrl: string | null;
  readonly isPreview: boolean;
}

const detailKeys = ['albumName', 'albumUrl', 'artistUrl', 'artistArtworkUrl', 'previewUrl'] as const;

/** An album of a source, the same for the same id, so an album a search names loads with as many tracks as it said. */
export function albumOf(source: LavaSrcSourceName, id: string): Collection {
  const seed = hash(`${source}:album:${id}`);
  const site = sites[source];
  return { name: `Album ${id}`, url: site.collection('album', id), artworkUrl: site.artwork(id), author: `Artist ${seed % 97}`, totalTracks: 3 + (seed % 8) };
}

/** An album, artist or playlist of a source for a search query (LavaSearch); its albums load. */
export function collectionFor(source: LavaSrcSourceName, kind: CollectionKind, query: string): Collection {
  const site = sites[source];
  const id = site.id(hash(`${source}:${kind}:${query}`));
  if (kind === 'album') return albumOf(source, id);
  const seed = hash(id);
  const name = kind === 'artist' ? `Artist ${seed % 97}` : `${query} mix`;
  return { name, url: site.collection(kind, id), artworkUrl: site.artwork(id), author: `Artist ${seed % 97}`, totalTracks: kind === 'artist' ? 10 : 5 + (seed % 20) };
}

export const lavaSrc: TrackSource = {
  load(identifier, make): LoadResult | null {
    const search = /^(spsearch|amsearch|dzsearch):(.*)$/s.exec(identifier);
    if (search) {
      const source = lavaSrcPrefixes[search[1]!]!;
      const query = search[2]!.trim();
      if (query === '') return { kind: 'empty' };
      const seed = hash(`${source}:${query}`);
      const tracks = Array.from({ length: 5 }, (_, i) => {
        const album = albumOf(source, sites[source].id(hash(`${source}:${query}:${i}`)));
        return make(entry(source, seed + i, `${query} (result ${i + 1})`, `Artist ${(seed + i) % 97}`, album));
      });
      return { kind: 'search', tracks };
    }
    for (const source of lavaSrcSources) {
      const id = sites[source].albumUrl.exec(identifier)?.[1];
      if (id === undefined) continue;
      const album = albumOf(source, id);
      const tracks = Array.from({ length: album.totalTracks }, (_, i) =>
        make(entry(source, hash(`${source}:${id}:${i}`), `${album.name} - Track ${i + 1}`, album.author, album)),
      );
      const pluginInfo = { type: 'album', url: album.url, artworkUrl: album.artworkUrl, author: album.author, totalTracks: album.totalTracks };
      return { kind: 'playlist', name: album.name, selectedTrack: -1, tracks, pluginInfo };
    }
    return null;
  },

  pluginInfo(info: TrackInfo, sourceData: Uint8Array): Record<string, unknown> | null {
    if (!(lavaSrcSources as readonly string[]).includes(info.sourceName)) return null;
    const details = readDetails(sourceData);
    return details ? { ...details } : null;
  },
};

function entry(source: LavaSrcSourceName, n: number, title: string, author: string, album: Collection): SourceEntry {
  const site = sites[source];
  const id = site.id(n);
  const artistId = site.id(hash(`${source}:artist:${author}`));
  const details: TrackDetails = {
    albumName: album.name,
    albumUrl: album.url,
    artistUrl: site.collection('artist', artistId),
    artistArtworkUrl: site.artwork(artistId),
    previewUrl: site.preview(id),
    isPreview: false,
  };
  return {
    title,
    author,
    length: 120000 + ((n * 7919) % 180) * 1000,
    identifier: id,
    isStream: false,
    uri: site.track(id),
    artworkUrl: site.artwork(id),
    isrc: `QZSIM${String(n % 10_000_000).padStart(7, '0')}`,
    sourceName: source,
    sourceData: writeDetails(details),
  };
}

/** LavaSrc's encodeTrack: five nullable texts (a presence byte, then Java's writeUTF) and a boolean. */
function writeDetails(details: TrackDetails): Uint8Array {
  const parts = detailKeys.map((key) => nullableText(details[key]));
  return Buffer.concat([...parts, Buffer.of(details.isPreview ? 1 : 0)]);
}

function nullableText(text: string | null): Buffer {
  if (text === null) return Buffer.of(0);
  // Modified UTF-8: U+0000 in two bytes, each UTF-16 unit on its own (surrogates in three bytes each).
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) bytes.push(c);
    else if (c <= 0x7ff) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  const head = Buffer.alloc(3);
  head[0] = 1;
  head.writeUInt16BE(bytes.length, 1);
  return Buffer.concat([head, Buffer.from(bytes)]);
}

/** LavaSrc's decodeTrack; null for bytes it could not read (a track a client made up). */
function readDetails(data: Uint8Array): TrackDetails | null {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  const byte = (): number => {
    if (at >= buf.length) throw new RangeError('LavaSrc details cut short');
    return buf[at++]!;
  };
  const text = (): string | null => {
    if (byte() === 0) return null;
    const length = (byte() << 8) | byte();
    const end = at + length;
    if (end > buf.length) throw new RangeError('LavaSrc details cut short');
    let out = '';
    while (at < end) {
      const a = byte();
      if (a < 0x80) out += String.fromCharCode(a);
      else if ((a & 0xe0) === 0xc0) out += String.fromCharCode(((a & 0x1f) << 6) | (byte() & 0x3f));
      else out += String.fromCharCode(((a & 0x0f) << 12) | ((byte() & 0x3f) << 6) | (byte() & 0x3f));
    }
    return out;
  };
  try {
    const [albumName, albumUrl, artistUrl, artistArtworkUrl, previewUrl] = detailKeys.map(() => text());
    return { albumName: albumName ?? null, albumUrl: albumUrl ?? null, artistUrl: artistUrl ?? null, artistArtworkUrl: artistArtworkUrl ?? null, previewUrl: previewUrl ?? null, isPreview: byte() !== 0 };
  } catch {
    return null;
  }
}
