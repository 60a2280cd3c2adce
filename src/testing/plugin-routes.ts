/**
 * The REST routes of the plugins a simulator serves (plugins.ts); a plugin that is off has none,
 * so its paths answer 404 like any unknown route. Session and guild checks are Lavalink's own
 * (routes.ts), as the plugins use its session registry and path conventions.
 */
import { HttpError, json, noContent } from './http-reply.js';
import { loadSearch } from './lavasearch.js';
import { lyricsOf } from './lavalyrics.js';
import type { SimPlugins } from './plugins.js';
import { decodeOrFail, guildOf, route, sessionOf, type Route, type RouteHost } from './routes.js';
import { sponsorBlockCategories } from './sponsorblock.js';

export function pluginRoutes(host: RouteHost, plugins: SimPlugins): Route[] {
  if (host.dialect.release.protocol !== 4) return [];
  const routes: Route[] = [];
  const player = '/v4/sessions/{sid}/players/{gid}';

  if (plugins.has('lavasearch')) {
    routes.push(route('GET', '/v4/loadsearch', ({ query }) => loadSearch(query, host.catalogue, host.dialect, plugins.has('lavasrc'))));
  }

  const sponsorBlock = plugins.sponsorBlock;
  if (sponsorBlock) {
    const path = `${player}/sponsorblock/categories`;
    routes.push(
      route('GET', path, ({ params }) => {
        const categories = sponsorBlock.categories(sessionOf(host, params[0]), guildOf(params[1]));
        if (!categories) throw new HttpError(404, 'Guild not found');
        return json(categories);
      }),
      route('PUT', path, ({ params, body }) => {
        const session = sessionOf(host, params[0]);
        const guildId = guildOf(params[1]);
        if (!Array.isArray(body) || !body.every((c) => typeof c === 'string')) throw new HttpError(400, 'Failed to read request');
        const unknown = body.find((c: string) => !sponsorBlockCategories.includes(c));
        if (unknown !== undefined) throw new HttpError(400, `Invalid category: ${String(unknown)}`);
        sponsorBlock.setCategories(session, guildId, body);
        return noContent;
      }, { readsBody: true }),
      route('DELETE', path, ({ params }) => {
        sponsorBlock.clearCategories(sessionOf(host, params[0]), guildOf(params[1]));
        return noContent;
      }),
    );
  }

  const lyrics = plugins.lyrics;
  if (lyrics) {
    routes.push(
      route('GET', `${player}/track/lyrics`, ({ params, query }) => {
        const session = sessionOf(host, params[0]);
        const guildId = guildOf(params[1]);
        skipTrackSource(query);
        const found = session.players.get(guildId);
        if (!found) throw new HttpError(404, 'Player not found');
        if (!found.track) throw new HttpError(404, 'Player is not playing a track');
        const answer = lyricsOf(found.track);
        return answer ? json(answer) : noContent;
      }),
      route('GET', '/v4/lyrics', ({ query }) => {
        const encoded = query.get('track');
        if (encoded === null) throw new HttpError(400, "Required request parameter 'track' for method parameter type String is not present");
        skipTrackSource(query);
        const track = decodeOrFail(host.catalogue, encoded);
        const answer = lyricsOf(track);
        return answer ? json(answer) : noContent;
      }),
      route('POST', `${player}/lyrics/subscribe`, ({ params, query }) => {
        const session = sessionOf(host, params[0]);
        const guildId = guildOf(params[1]);
        skipTrackSource(query);
        lyrics.subscribe(session, guildId);
        return noContent;
      }),
      route('DELETE', `${player}/lyrics/subscribe`, ({ params }) => {
        lyrics.unsubscribe(sessionOf(host, params[0]), guildOf(params[1]));
        return noContent;
      }),
    );
  }
  return routes;
}

/**
 * `skipTrackSource` is a Boolean request parameter: Spring reads true/false (and on/off, yes/no,
 * 1/0) and answers 400 for anything else. The simulator has one lyrics provider, so it only checks it.
 */
function skipTrackSource(query: URLSearchParams): boolean {
  const value = query.get('skipTrackSource');
  if (value === null || value === '') return false;
  const lower = value.toLowerCase();
  if (['true', 'on', 'yes', '1'].includes(lower)) return true;
  if (['false', 'off', 'no', '0'].includes(lower)) return false;
  throw new HttpError(400, `Failed to convert 'skipTrackSource' with value: '${value}'`);
}
