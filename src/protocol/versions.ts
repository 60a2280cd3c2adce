/**
 * Which adapter speaks to a node: the one its configuration (or a resumed session) names, or the
 * one found by asking the node. The only place that turns a version number into an adapter.
 */
import { RestError } from '../errors.js';
import type { NodeRest, ProtocolAdapter } from './adapter.js';
import { v3Adapter } from './v3/adapter.js';
import { v4Adapter } from './v4/adapter.js';

/** The adapter for a known version; null for `'auto'` (or nothing known): detect it first. */
export function adapterFor(version: 3 | 4 | 'auto' | null | undefined): ProtocolAdapter | null {
  if (version === 3) return v3Adapter;
  if (version === 4) return v4Adapter;
  return null;
}

/**
 * Asks the node which version it speaks. The v4 routes first: every v4 server has `GET /v4/info`,
 * Lavalink or not, while `/version` answers the server's own version (NodeLink says 2.x). Only a
 * node without them (404) is v3. Any other failure (network, 401) is the caller's to handle.
 */
export async function detectAdapter(rest: NodeRest, debug: (message: string) => void): Promise<ProtocolAdapter> {
  try {
    const info = (await rest.request('GET', '/v4/info')) as { version?: { semver?: unknown } } | null;
    const semver = info?.version?.semver;
    debug(`node speaks v4 (version ${typeof semver === 'string' ? semver : 'unknown'})`);
    return v4Adapter;
  } catch (error) {
    if (!(error instanceof RestError) || error.status !== 404) throw error;
  }
  debug('node has no /v4 routes: speaking v3');
  return v3Adapter;
}
