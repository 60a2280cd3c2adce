/**
 * The Lavalink plugins bots use most, as their wire formats are (each plugin's README and protocol
 * module): LavaSrc (search prefixes, `pluginInfo`), LavaSearch (`/v4/loadsearch`), SponsorBlock
 * (categories per player; segment and chapter events) and LavaLyrics (lyrics; live lines). Their
 * JSON is read here field by field, as rest-readers.ts reads Lavalink's own: a malformed field
 * gets its default, never a TypeError, and an event that cannot be read still reaches the bot.
 */
import type { JsonObject, RestRequest, Track } from './rest.js';

/** The plugins' names, as a node's `/v4/info` lists them. */
export const Plugins = {
  /** LavaSrc: Spotify, Apple Music, Deezer, Yandex and other sources and their search prefixes. */
  LavaSrc: 'lavasrc-plugin',
  /** LavaSearch: `loadSearch` (tracks, albums, artists, playlists, texts). */
  LavaSearch: 'lavasearch-plugin',
  /** SponsorBlock: skips segments of YouTube videos. */
  SponsorBlock: 'sponsorblock-plugin',
  /** LavaLyrics: lyrics, and live lines while a track plays. */
  LavaLyrics: 'lavalyrics-plugin',
} as const;

/** The name a plugin has in the node's `/v4/info`. */
export type PluginName = (typeof Plugins)[keyof typeof Plugins];

/** LavaSrc's search, ISRC and recommendation prefixes, by the source that serves them. */
const LAVASRC_PREFIXES: Readonly<Record<string, string>> = {
  spsearch: 'spotify',
  sprec: 'spotify',
  amsearch: 'applemusic',
  dzsearch: 'deezer',
  dzisrc: 'deezer',
  dzrec: 'deezer',
  ymsearch: 'yandexmusic',
  ymrec: 'yandexmusic',
  vksearch: 'vkmusic',
  vkrec: 'vkmusic',
  jssearch: 'jiosaavn',
  jsrec: 'jiosaavn',
  tdsearch: 'tidal',
  tdrec: 'tidal',
  qbsearch: 'qobuz',
  qbisrc: 'qobuz',
  qbrec: 'qobuz',
};

/** What a request needs of the node: a plugin, or (LavaSrc loads) a source some servers have built in. */
export interface PluginNeed {
  readonly plugin: PluginName;
  /** The source a LavaSrc prefix loads from (`spotify`): a node listing it in `sourceManagers` serves it too. */
  readonly source: string | null;
}

export function pluginNeeded(request: RestRequest): PluginNeed | null {
  switch (request.kind) {
    case 'load': {
      const prefix = /^([a-z]+):/.exec(request.identifier)?.[1];
      const source = prefix === undefined ? undefined : LAVASRC_PREFIXES[prefix];
      return source === undefined ? null : { plugin: Plugins.LavaSrc, source };
    }
    case 'loadSearch':
      return { plugin: Plugins.LavaSearch, source: null };
    case 'sponsorBlockCategories':
    case 'setSponsorBlockCategories':
      return { plugin: Plugins.SponsorBlock, source: null };
    case 'lyrics':
    case 'lyricsSubscription':
      return { plugin: Plugins.LavaLyrics, source: null };
    default:
      return null;
  }
}

/** Whether a node with these plugins and sources serves what `need` asks for. */
export function serves(need: PluginNeed, plugins: readonly { name: string }[], sources: readonly string[]): boolean {
  // Older builds name themselves without the suffix (SponsorBlock's manifest said `sponsorblock`).
  const bare = need.plugin.replace(/-plugin$/, '');
  return plugins.some((p) => p.name === need.plugin || p.name === bare) || (need.source !== null && sources.includes(need.source));
}

// ------------------------------------------------------------------ LavaSrc

/** What LavaSrc puts in a track's `pluginInfo`. */
export interface LavaSrcTrackInfo {
  /** The album's name; null when not said. */
  albumName: string | null;
  /** The album's URL. */
  albumUrl: string | null;
  /** The artist's URL. */
  artistUrl: string | null;
  /** The artist's picture. */
  artistArtworkUrl: string | null;
  /** A preview clip's URL, for sources that play only previews. */
  previewUrl: string | null;
  /** Whether the track is a preview (a 30-second clip) rather than the whole song. */
  isPreview: boolean;
}

/** What LavaSrc puts in a playlist's `pluginInfo` (an album, an artist's top tracks...). */
export interface LavaSrcPlaylistInfo {
  /** What kind of list it is. */
  type: 'album' | 'playlist' | 'artist' | 'recommendations' | (string & {});
  /** Its URL. */
  url: string | null;
  /** Its cover picture. */
  artworkUrl: string | null;
  /** Its author or owner. */
  author: string | null;
  /** Tracks in the whole playlist (the load may hold fewer); null when not said. */
  totalTracks: number | null;
}

/** A track's LavaSrc info; null for a track LavaSrc did not load. */
export function lavaSrcTrackInfo(track: Pick<Track, 'pluginInfo'>): LavaSrcTrackInfo | null {
  const p = object(track?.pluginInfo);
  if (!('albumName' in p || 'previewUrl' in p || 'artistUrl' in p)) return null;
  return {
    albumName: maybeText(p.albumName),
    albumUrl: maybeText(p.albumUrl),
    artistUrl: maybeText(p.artistUrl),
    artistArtworkUrl: maybeText(p.artistArtworkUrl),
    previewUrl: maybeText(p.previewUrl),
    isPreview: p.isPreview === true,
  };
}

/** A playlist's LavaSrc info; null for a playlist LavaSrc did not load. */
export function lavaSrcPlaylistInfo(playlist: { pluginInfo: JsonObject }): LavaSrcPlaylistInfo | null {
  const p = object(playlist?.pluginInfo);
  if (typeof p.type !== 'string') return null;
  return { type: p.type, url: maybeText(p.url), artworkUrl: maybeText(p.artworkUrl), author: maybeText(p.author), totalTracks: finite(p.totalTracks) };
}

// ------------------------------------------------------------------ LavaSearch

/** A kind of result LavaSearch can return. */
export type SearchType = 'track' | 'album' | 'artist' | 'playlist' | 'text';

export const SEARCH_TYPES: readonly SearchType[] = ['track', 'album', 'artist', 'playlist', 'text'];

/** A playlist as Lavalink sends it (a load's, or a LavaSearch album, artist or playlist, whose `tracks` is empty). */
export interface Playlist {
  /** The playlist's name. */
  name: string;
  /** The track the URL pointed at, -1 for none. */
  selectedTrack: number;
  /** What the source's plugin adds (LavaSrc: `LavaSrcPlaylistInfo`). */
  pluginInfo: JsonObject;
  /** Its tracks; empty for a LavaSearch result, which only names the list. */
  tracks: Track[];
}

/** What LavaSearch found; kinds not asked for (or not found) are empty lists. */
export interface SearchResult {
  /** Tracks found. */
  tracks: Track[];
  /** Albums found (their tracks not loaded). */
  albums: Playlist[];
  /** Artists found (their tracks not loaded). */
  artists: Playlist[];
  /** Playlists found (their tracks not loaded). */
  playlists: Playlist[];
  /** Suggested search terms. */
  texts: {
    /** The suggested text. */
    text: string;
    /** What the plugin adds to it. */
    plugin: JsonObject;
  }[];
  /** What the plugin adds to the whole result. */
  plugin: JsonObject;
}

/** A LavaSearch answer; nothing (204, or 404 for a query no source takes) is an empty result. */
export function toSearchResult(raw: unknown, toTrack: (raw: unknown) => Track): SearchResult {
  const o = object(raw);
  const playlists = (value: unknown): Playlist[] => list(value).map((p) => toPlaylist(p, toTrack));
  return {
    tracks: list(o.tracks).map(toTrack),
    albums: playlists(o.albums),
    artists: playlists(o.artists),
    playlists: playlists(o.playlists),
    texts: list(o.texts).map((t) => ({ text: text(object(t).text), plugin: object(object(t).plugin) as JsonObject })),
    plugin: object(o.plugin) as JsonObject,
  };
}

/** Lavalink's playlist JSON (`{info: {name, selectedTrack}, pluginInfo, tracks}`). */
export function toPlaylist(raw: unknown, toTrack: (raw: unknown) => Track): Playlist {
  const o = object(raw);
  const info = object(o.info);
  return { name: text(info.name), selectedTrack: finite(info.selectedTrack) ?? -1, pluginInfo: object(o.pluginInfo) as JsonObject, tracks: list(o.tracks).map(toTrack) };
}

// ------------------------------------------------------------------ SponsorBlock

/** The segment categories SponsorBlock knows. */
export const SPONSORBLOCK_CATEGORIES = ['sponsor', 'selfpromo', 'interaction', 'intro', 'outro', 'preview', 'music_offtopic', 'filler'] as const;

/** A SponsorBlock category name. */
export type SponsorBlockCategory = (typeof SPONSORBLOCK_CATEGORIES)[number];

/** A part of a YouTube video to skip, ms into the track. */
export interface SponsorSegment {
  /** Its SponsorBlock category (`sponsor`, `intro`...). */
  category: string;
  /** Where it starts, ms. */
  start: number;
  /** Where it ends, ms. */
  end: number;
}

/** A chapter of a YouTube video, ms into the track. */
export interface SponsorChapter {
  /** The chapter's title. */
  name: string;
  /** Where it starts, ms. */
  start: number;
  /** Where it ends, ms. */
  end: number;
  /** Its length, ms. */
  duration: number;
}

// ------------------------------------------------------------------ LavaLyrics

/** One line of lyrics, with its time. */
export interface LyricsLine {
  /** ms into the track. */
  timestamp: number;
  /** ms; null when the source does not say. */
  duration: number | null;
  /** The text of the line. */
  line: string;
  /** What the plugin adds. */
  plugin: JsonObject;
}

/** A track's lyrics, as LavaLyrics answers them. */
export interface Lyrics {
  /** Where the lyrics come from (`spotify`, `deezer`...). */
  sourceName: string;
  /** Who provides them to that source (`MusixMatch`); null when not said. */
  provider: string | null;
  /** The whole text; null when the source has only timed lines. */
  text: string | null;
  /** Timed lines; null when the source has only text. */
  lines: LyricsLine[] | null;
  /** What the plugin adds. */
  plugin: JsonObject;
}

/** LavaLyrics' answer; null for none (204). */
export function toLyrics(raw: unknown): Lyrics | null {
  if (raw === null || raw === undefined || raw === '') return null;
  const o = object(raw);
  return {
    sourceName: text(o.sourceName),
    // Later versions call it `originalSourceName`.
    provider: maybeText(o.provider) ?? maybeText(o.originalSourceName),
    text: maybeText(o.text),
    lines: Array.isArray(o.lines) ? o.lines.map(toLyricsLine) : null,
    plugin: object(o.plugin) as JsonObject,
  };
}

export function toLyricsLine(raw: unknown): LyricsLine {
  const o = object(raw);
  return { timestamp: finite(o.timestamp) ?? 0, duration: finite(o.duration), line: text(o.line), plugin: object(o.plugin) as JsonObject };
}

/** @internal Readers shared with plugin-events.ts: a malformed field gets its default. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const object = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
export const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const maybeText = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
