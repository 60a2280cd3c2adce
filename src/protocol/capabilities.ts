/**
 * What the main thread may count on from a node, by its protocol version: the one place outside
 * the worker's adapters that knows what a version can do.
 */

/** Whether a node that resumed a session can list the players it kept (v4 `GET /sessions/{id}/players`). */
export function listsPlayersOnResume(version: 3 | 4 | null): boolean {
  return version === 4;
}

/** Whether lavathread serves the plugins' own routes (LavaSearch, SponsorBlock, LavaLyrics) on this node: they are v4 routes. */
export function servesPluginRoutes(version: 3 | 4 | null): boolean {
  return version !== 3;
}
