/**
 * Who the server says it is: `GET /version` and `GET /v4/info` (`/v3/info` on 3.7), as Lavalink
 * answers them, or as NodeLink 2.3 does under the `nodeLinkIdentity` quirk.
 */
import type { Reply } from './http-reply.js';
import type { Quirks } from './quirks.js';
import type { Release } from './release.js';

/** NodeLink's version, as its `/version` answers it. */
export const NODELINK_VERSION = '2.3.0';

/** The server's name and version, for logs (the CLI's banner). */
export function serverName(release: Release, quirks: Readonly<Quirks>): string {
  return quirks.nodeLinkIdentity ? `NodeLink ${NODELINK_VERSION}` : `Lavalink ${release.semver}`;
}

/** `GET /version`: the semver as text; NodeLink leaves out the `Lavalink-Api-Version` header. */
export function versionReply(release: Release, quirks: Readonly<Quirks>): Reply {
  if (quirks.nodeLinkIdentity) return { status: 200, text: NODELINK_VERSION, contentType: 'text/plain', apiVersionHeader: false };
  return { status: 200, text: release.semver, contentType: 'text/plain' };
}

/** The info body; `filters` are those the "server config" enables. */
export function infoBody(release: Release, quirks: Readonly<Quirks>, startedAt: number, filters: readonly string[]): Record<string, unknown> {
  if (quirks.nodeLinkIdentity) return nodeLinkInfo(filters);
  const [major = 0, minor = 0, patch = 0] = release.semver.split('.').map(Number);
  return {
    version: { semver: release.semver, major, minor, patch, preRelease: null, ...(release.protocol === 4 ? { build: null } : {}) },
    buildTime: startedAt,
    git: { branch: 'main', commit: 'simulator', commitTime: startedAt },
    jvm: '17.0.15',
    lavaplayer: release.protocol === 4 ? '2.2.7' : '1.5.6',
    sourceManagers: ['youtube', 'soundcloud', 'http', 'local'],
    filters,
    plugins: [],
  };
}

/** NodeLink 2.3's info: version parts as strings, no JVM, and sources read from its config, not from what loads. */
function nodeLinkInfo(filters: readonly string[]): Record<string, unknown> {
  const [major = '0', minor = '0', patch = '0'] = NODELINK_VERSION.split('.');
  return {
    version: { semver: NODELINK_VERSION, major, minor, patch, preRelease: null },
    buildTime: -1,
    git: { branch: 'main', commit: 'unknown', commitTime: -1 },
    nodejs: process.version,
    isNodeLink: true,
    jvm: '0.0.0',
    lavaplayer: '0.0.0',
    sourceManagers: ['youtube', 'spotify', 'deezer', 'bandcamp', 'soundcloud', 'twitch', 'http'],
    filters,
    plugins: [],
  };
}
