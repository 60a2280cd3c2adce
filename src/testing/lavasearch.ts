/**
 * LavaSearch (topi314/LavaSearch 1.x): `GET /v4/loadsearch?query=<prefix:q>&types=<csv>`, one
 * search answering tracks, albums, artists, playlists and text suggestions at once. Tracks are what
 * the same search loads; the rest is one made-up item of each kind, the same for the same query.
 */
import type { Catalogue } from './catalogue.js';
import type { Dialect } from './dialect.js';
import { hash } from './catalogue.js';
import { HttpError, json, noContent, type Reply } from './http-reply.js';
import { collectionFor, lavaSrcPrefixes, type Collection, type CollectionKind, type LavaSrcSourceName } from './lavasrc.js';

export const searchTypes = ['track', 'album', 'artist', 'playlist', 'text'] as const;
export type SearchType = (typeof searchTypes)[number];

type SearchSource = 'youtube' | 'soundcloud' | LavaSrcSourceName;

/** The prefixes a node without LavaSrc searches with. */
const ownPrefixes: Readonly<Record<string, SearchSource>> = { ytsearch: 'youtube', ytmsearch: 'youtube', scsearch: 'soundcloud' };

/** URLs of the sources LavaSrc does not serve; LavaSrc's come from lavasrc.ts, so its albums load. */
const ownSites: Readonly<Record<'youtube' | 'soundcloud', { collection(kind: CollectionKind, id: string): string; artwork(id: string): string }>> = {
  youtube: {
    collection: (kind, id) =>
      kind === 'album' ? `https://music.youtube.com/browse/MPREb_${id}` : kind === 'artist' ? `https://music.youtube.com/channel/UC${id}` : `https://www.youtube.com/playlist?list=PL${id}`,
    artwork: (id) => `https://i.ytimg.com/vi/${id}/maxresdefault.jpg`,
  },
  soundcloud: {
    collection: (kind, id) => (kind === 'artist' ? `https://soundcloud.com/sim-artist-${id}` : `https://soundcloud.com/sim/sets/${kind}-${id}`),
    artwork: (id) => `https://i1.sndcdn.com/artworks-${id}-t500x500.jpg`,
  },
};

/** Values are comma-separated, spaces allowed; unknown ones are dropped, and none left means every type. */
export function parseTypes(value: string | null): ReadonlySet<SearchType> {
  const asked = (value ?? '').split(',').map((v) => v.trim());
  const known = searchTypes.filter((type) => asked.includes(type));
  return new Set(known.length > 0 ? known : searchTypes);
}

/**
 * The answer to one search: 400 without `query`, 404 for a query no source of this node searches
 * (no prefix it serves), 204 for a prefix with nothing after it, else the SearchResult.
 */
export function loadSearch(params: URLSearchParams, catalogue: Catalogue, dialect: Dialect, withLavaSrc: boolean): Reply {
  const query = params.get('query');
  if (query === null) throw new HttpError(400, "Required request parameter 'query' for method parameter type String is not present");
  const prefixes = withLavaSrc ? { ...ownPrefixes, ...lavaSrcPrefixes } : ownPrefixes;
  const colon = query.indexOf(':');
  const prefix = query.slice(0, Math.max(colon, 0));
  const source = colon !== -1 && Object.hasOwn(prefixes, prefix) ? prefixes[prefix] : undefined;
  if (source === undefined) throw new HttpError(404, `No search source serves the query '${query}'`);
  const text = query.slice(colon + 1).trim();
  if (text === '') return noContent;

  const types = parseTypes(params.get('types'));
  const loaded = types.has('track') ? catalogue.load(query) : null;
  const tracks = loaded?.kind === 'search' ? loaded.tracks.map((t) => dialect.track(t)) : [];
  const item = (kind: CollectionKind): unknown[] => (types.has(kind) ? [playlistShape(kind, collection(source, kind, text))] : []);
  return json({
    tracks,
    albums: item('album'),
    artists: item('artist'),
    playlists: item('playlist'),
    texts: types.has('text') ? [{ text: `${text} remix`, plugin: {} }] : [],
    plugin: {},
  });
}

function collection(source: SearchSource, kind: CollectionKind, query: string): Collection {
  if (source !== 'youtube' && source !== 'soundcloud') return collectionFor(source, kind, query);
  const seed = hash(`${source}:${kind}:${query}`);
  const id = seed.toString(36).padStart(8, '0');
  const site = ownSites[source];
  const name = kind === 'album' ? `${query} (album)` : kind === 'artist' ? `Artist ${seed % 97}` : `${query} mix`;
  return { name, url: site.collection(kind, id), artworkUrl: site.artwork(id), author: `Artist ${seed % 97}`, totalTracks: 5 + (seed % 20) };
}

/** Albums, artists and playlists are shaped like a Lavalink playlist, with no tracks and LavaSrc's pluginInfo. */
function playlistShape(kind: CollectionKind, c: Collection): Record<string, unknown> {
  return {
    info: { name: c.name, selectedTrack: -1 },
    pluginInfo: { type: kind, url: c.url, artworkUrl: c.artworkUrl, author: c.author, totalTracks: c.totalTracks },
    tracks: [],
  };
}
