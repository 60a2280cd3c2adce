/**
 * A REST path's template: `/v4/sessions/abc/players/1234?noReplace=true` is
 * `/v4/sessions/:sessionId/players/:guildId`. Metrics and diagnostics name calls by it: a bounded
 * set of names, with no session id, guild id, search query or encoded track in them.
 */
const SESSION = /\/sessions\/[^/]+/;
const PLAYER = /\/players\/[^/]+/;
/** Any other segment that is an id (a Discord snowflake, or a track's base64). */
const ID = /\/(\d{5,}|[A-Za-z0-9+=_-]{40,})(?=\/|$)/g;

export function routeOf(path: string): string {
  const query = path.indexOf('?');
  const bare = query === -1 ? path : path.slice(0, query);
  return bare.replace(SESSION, '/sessions/:sessionId').replace(PLAYER, '/players/:guildId').replace(ID, '/:id');
}
