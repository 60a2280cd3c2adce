/**
 * The simulator's tracks: a few canned ones, plus identifiers that make tracks on demand so tests
 * can ask for exactly the track they need.
 *
 * | identifier | result |
 * |---|---|
 * | a canned identifier or URL (`dQw4w9WgXcQ`) | that track |
 * | `sim:track?length=1500&title=T&fail=200&stuck=200` | a made-up track; `fail`/`stuck` = ms after start |
 * | `sim:stream` | a live stream (never ends) |
 * | `sim:playlist?size=1000` | a playlist of made-up tracks |
 * | `https://www.youtube.com/playlist?list=PLsim[&index=N]` | the canned playlist |
 * | `ytsearch:q`, `ytmsearch:q`, `scsearch:q` | five search results (empty query: none) |
 * | `http(s)://…/file.mp3` (any audio extension) | an http track with probe info |
 * | `/music/file.mp3` (an absolute path, any audio extension) | a local file: 180 s with probe info; with the `unknownLengths` quirk length -1, with `probelessLocalTracks` encoded without a probe string |
 * | `sim:error?message=…` | a load failure |
 * | what a plugin's {@link TrackSource} answers (LavaSrc: `spsearch:q`, Spotify album URLs…) | its result |
 * | anything else (`sim:empty`) | no matches |
 */
import { decodeTrack, encodeTrack, type EncodableTrack, type TrackInfo, type TrackMessageVersion } from '../protocol/track-codec.js';
import type { LoadResult, SimTrack } from './types.js';

/** A track to add to the catalogue. */
export type CatalogueEntry = Omit<EncodableTrack, 'position' | 'sourceData'>;

/** A track a plugin source makes: it may write its own bytes after the source name, as LavaSrc does. */
export type SourceEntry = CatalogueEntry & { readonly sourceData?: Uint8Array };

/**
 * A source manager a plugin adds to the node (LavaSrc's Spotify, Apple Music, Deezer). The
 * catalogue asks it before its own rules, and lets it read its tracks' pluginInfo back from the
 * encoded track, so a track a client sends back carries the same pluginInfo as when it loaded.
 */
export interface TrackSource {
  /** The result for an identifier this source serves, else null. `make` encodes a track as this server writes tracks. */
  load(identifier: string, make: (entry: SourceEntry) => SimTrack): LoadResult | null;
  /** The pluginInfo of one of this source's tracks, read from its source bytes; null when the track is not its own. */
  pluginInfo(info: TrackInfo, sourceData: Uint8Array): Record<string, unknown> | null;
}

/** How the server reports and encodes local files (NodeLink knows no length and writes no probe string). */
export interface LocalFiles {
  readonly unknownLengths: boolean;
  readonly probeless: boolean;
}

const lavalinkLocalFiles: LocalFiles = { unknownLengths: false, probeless: false };

const STREAM_LENGTH = 2 ** 63; // Long.MAX_VALUE as JSON.parse reads it

const canned: readonly CatalogueEntry[] = [
  {
    title: 'Rick Astley - Never Gonna Give You Up',
    author: 'RickAstleyVEVO',
    length: 212000,
    identifier: 'dQw4w9WgXcQ',
    isStream: false,
    uri: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    artworkUrl: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg',
    isrc: 'GBARL9300135',
    sourceName: 'youtube',
  },
  {
    title: 'Darude - Sandstorm',
    author: 'Darude',
    length: 225000,
    identifier: 'y6120QOlsfU',
    isStream: false,
    uri: 'https://www.youtube.com/watch?v=y6120QOlsfU',
    artworkUrl: 'https://i.ytimg.com/vi/y6120QOlsfU/maxresdefault.jpg',
    isrc: null,
    sourceName: 'youtube',
  },
  {
    title: 'Lofi Radio 🎵 beats to relax to',
    author: 'Lofi Girl',
    length: STREAM_LENGTH,
    identifier: 'jfKfPfyJRdk',
    isStream: true,
    uri: 'https://www.youtube.com/watch?v=jfKfPfyJRdk',
    artworkUrl: null,
    isrc: null,
    sourceName: 'youtube',
  },
  {
    title: 'Flickermood',
    author: 'Forss',
    length: 213000,
    identifier: 'soundcloud:tracks:293',
    isStream: false,
    uri: 'https://soundcloud.com/forss/flickermood',
    artworkUrl: null,
    isrc: null,
    sourceName: 'soundcloud',
  },
];

const cannedPlaylist = {
  url: 'https://www.youtube.com/playlist?list=PLsim',
  name: 'Simulator classics',
  identifiers: ['dQw4w9WgXcQ', 'y6120QOlsfU', 'soundcloud:tracks:293'],
};

const audioExtension = /\.(mp3|ogg|opus|flac|wav|m4a|aac|webm)$/i;

/** An encoded track newer than the server's lavaplayer reads (a version-3 track sent to a v3 server). */
export class UnreadableTrackVersionError extends Error {}

/** A URL, or null where lavaplayer's http source would fail to parse one (`http://[`): no matches. */
function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

export class Catalogue {
  readonly #byKey = new Map<string, CatalogueEntry>();
  readonly #version: TrackMessageVersion;
  readonly #localFiles: LocalFiles;
  readonly #sources: readonly TrackSource[];

  /**
   * @param version the encoded-track version the server writes: 3 for v4, 2 for v3.
   * It is also the newest version the server reads, as lavaplayer reads up to what it writes.
   * @param sources what plugins add (LavaSrc); none on a plain Lavalink.
   */
  constructor(version: TrackMessageVersion, extra: readonly CatalogueEntry[] = [], localFiles: LocalFiles = lavalinkLocalFiles, sources: readonly TrackSource[] = []) {
    this.#version = version;
    this.#localFiles = localFiles;
    this.#sources = sources;
    for (const entry of [...canned, ...extra]) {
      this.#byKey.set(entry.identifier, entry);
      if (entry.uri) this.#byKey.set(entry.uri, entry);
    }
  }

  /** The newest encoded-track version this server decodes (v3 servers: 1–2, v4: 1–3). */
  get maxReadableVersion(): TrackMessageVersion {
    return this.#version;
  }

  load(identifier: string): LoadResult {
    const known = this.#byKey.get(identifier);
    if (known) return { kind: 'track', track: this.#make(known) };
    for (const source of this.#sources) {
      const result = source.load(identifier, (entry) => this.#make(entry));
      if (result) return result;
    }

    const search = /^(ytsearch|ytmsearch|scsearch):(.*)$/s.exec(identifier);
    if (search) return this.#search(search[1] === 'scsearch' ? 'soundcloud' : 'youtube', search[2]!.trim());

    if (identifier.startsWith(cannedPlaylist.url)) {
      const index = Number(parseUrl(identifier)?.searchParams.get('index') ?? -1);
      const tracks = cannedPlaylist.identifiers.map((id) => this.#make(this.#byKey.get(id)!));
      const selectedTrack = Number.isInteger(index) && index >= 0 && index < tracks.length ? index : -1;
      return { kind: 'playlist', name: cannedPlaylist.name, selectedTrack, tracks };
    }

    if (identifier.startsWith('sim:')) return this.#simulated(identifier);
    if (identifier.startsWith('/')) return this.#localFile(identifier);

    if (/^https?:\/\//.test(identifier)) {
      const url = parseUrl(identifier);
      if (!url) return { kind: 'empty' };
      const ext = audioExtension.exec(url.pathname);
      if (!ext) return { kind: 'empty' };
      const file = url.pathname.split('/').pop() ?? 'audio';
      return {
        kind: 'track',
        track: this.#make({
          title: file,
          author: 'Unknown artist',
          length: 180000,
          identifier,
          isStream: false,
          uri: identifier,
          sourceName: 'http',
          probeInfo: ext[1]!.toLowerCase(),
        }),
      };
    }
    return { kind: 'empty' };
  }

  /**
   * The SimTrack for an encoded track a client sent; throws TrackCodecError when malformed and
   * UnreadableTrackVersionError when newer than {@link maxReadableVersion}.
   */
  decode(encoded: string, userData: Record<string, unknown> = {}): SimTrack {
    const decoded = decodeTrack(encoded);
    if (decoded.version > this.#version) {
      throw new UnreadableTrackVersionError(`Failed to decode track: version ${decoded.version} is newer than this server reads (1-${this.#version})`);
    }
    let pluginInfo: Record<string, unknown> = {};
    for (const source of this.#sources) pluginInfo = source.pluginInfo(decoded.info, decoded.sourceData) ?? pluginInfo;
    return { encoded, info: decoded.info, userData, pluginInfo, ...behaviour(decoded.info.identifier) };
  }

  /**
   * A made-up track (`sim:track?length=…&title=…`) whose `uri` is `uri`, encoded the way this
   * server writes tracks: the flood writes each event's send time there.
   */
  madeUp(title: string, length: number, uri: string): SimTrack {
    return this.#make({ ...simulatedEntry(`sim:track?length=${length}&title=${encodeURIComponent(title)}`, title, length), uri });
  }

  /** Re-encodes a track the way this server writes tracks (its own message version). */
  #make(entry: SourceEntry): SimTrack {
    const encoded = encodeTrack(entry, this.#version);
    return this.decode(encoded);
  }

  /** An absolute path with an audio extension: Lavalink's local source, as this server reports it. */
  #localFile(path: string): LoadResult {
    const ext = audioExtension.exec(path);
    if (!ext) return { kind: 'empty' };
    const { unknownLengths, probeless } = this.#localFiles;
    const entry: CatalogueEntry = {
      title: path.split('/').pop() ?? 'audio',
      author: 'Unknown artist',
      length: unknownLengths ? -1 : 180000,
      identifier: path,
      isStream: false,
      uri: path,
      sourceName: 'local',
      probeInfo: probeless ? null : ext[1]!.toLowerCase(),
    };
    return { kind: 'track', track: this.#make(entry) };
  }

  #search(source: 'youtube' | 'soundcloud', query: string): LoadResult {
    if (query === '') return { kind: 'empty' };
    const seed = hash(query);
    const tracks = Array.from({ length: 5 }, (_, i) => {
      const id = source === 'youtube' ? `sim${(seed + i).toString(36).padStart(8, '0')}` : `soundcloud:tracks:${seed + i}`;
      return this.#make({
        title: `${query} (result ${i + 1})`,
        author: `Artist ${(seed + i) % 97}`,
        length: 120000 + ((seed + i * 7919) % 180) * 1000,
        identifier: id,
        isStream: false,
        uri: source === 'youtube' ? `https://www.youtube.com/watch?v=${id}` : `https://soundcloud.com/sim/${seed + i}`,
        artworkUrl: null,
        isrc: null,
        sourceName: source,
      });
    });
    return { kind: 'search', tracks };
  }

  #simulated(identifier: string): LoadResult {
    const [path = '', query = ''] = identifier.slice('sim:'.length).split('?', 2);
    const params = new URLSearchParams(query);
    switch (path) {
      case 'track': {
        const length = Number(params.get('length') ?? 30000);
        if (!Number.isInteger(length) || length <= 0) {
          return { kind: 'error', exception: { message: `Invalid length in ${identifier}`, severity: 'common', cause: 'java.lang.IllegalArgumentException' } };
        }
        return { kind: 'track', track: this.#make(simulatedEntry(identifier, params.get('title') ?? `Simulated track (${length} ms)`, length)) };
      }
      case 'stream':
        return {
          kind: 'track',
          track: this.#make({ ...simulatedEntry(identifier, 'Simulated live stream', STREAM_LENGTH), isStream: true }),
        };
      case 'playlist': {
        const size = Math.min(Math.max(Number(params.get('size') ?? 10) || 0, 0), 10000);
        const tracks = Array.from({ length: size }, (_, i) =>
          this.#make(simulatedEntry(`sim:track?length=${60000 + (i % 240) * 1000}&n=${i}`, `Playlist track ${i + 1}`, 60000 + (i % 240) * 1000)),
        );
        return { kind: 'playlist', name: params.get('name') ?? `Simulated playlist (${size})`, selectedTrack: -1, tracks };
      }
      case 'error':
        return {
          kind: 'error',
          exception: {
            message: params.get('message') ?? 'This video is unavailable',
            severity: 'common',
            cause: `com.sedmelluq.discord.lavaplayer.tools.FriendlyException: ${params.get('message') ?? 'This video is unavailable'}`,
          },
        };
      default:
        return { kind: 'empty' };
    }
  }
}

function simulatedEntry(identifier: string, title: string, length: number): CatalogueEntry {
  return { title, author: 'lavathread simulator', length, identifier, isStream: false, uri: null, artworkUrl: null, isrc: null, sourceName: 'http', probeInfo: 'mp3' };
}

/** Faults a made-up track asks for, read back from its identifier so they survive encoding. */
function behaviour(identifier: string): Pick<SimTrack, 'failAfterMs' | 'stuckAfterMs'> {
  if (!identifier.startsWith('sim:track?')) return { failAfterMs: null, stuckAfterMs: null };
  const params = new URLSearchParams(identifier.slice('sim:track?'.length));
  const ms = (name: string): number | null => {
    const value = params.get(name);
    return value === null ? null : Math.max(0, Number(value) || 0);
  };
  return { failAfterMs: ms('fail'), stuckAfterMs: ms('stuck') };
}

/** FNV-1a: stable made-up ids for the same search query. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 1_000_000;
}
