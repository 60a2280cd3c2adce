/**
 * A plugin call is checked against the node before it goes: a node without LavaSearch would
 * answer 404, one without LavaSrc an empty search, neither saying why. The node's `/v4/info`
 * (its plugins and sources) is asked once per session, and only when a plugin call comes.
 */
import { LavalinkError, PluginMissingError } from './errors.js';
import { servesPluginRoutes } from './protocol/capabilities.js';
import { pluginNeeded, serves } from './protocol/plugins.js';
import type { NodeInfo, RestRequest } from './protocol/rest.js';
import type { Socket } from './socket.js';

const infos = new WeakMap<Socket, { session: string | null; info: Promise<NodeInfo | null> }>();

/** Rejects `LAVALINK_PLUGIN_MISSING` when `socket`'s node certainly cannot serve `request`. */
export async function checkPlugin(socket: Socket, request: RestRequest): Promise<void> {
  const need = pluginNeeded(request);
  if (!need) return;
  // A v3 node is refused the plugin routes without asking it anything (3.3-3.6 have no info route).
  if (need.source === null && socket.version !== null && !servesPluginRoutes(socket.version)) throw v3Refusal(need.plugin, socket.id);
  const info = await infoOf(socket);
  // A LavaSrc prefix is only a load: v3 nodes have LavaSrc builds too, and a node whose info
  // cannot be read is left to answer for itself.
  const v4 = servesPluginRoutes(socket.version);
  if (need.source !== null && (info === null || !v4)) return;
  if (!v4) throw v3Refusal(need.plugin, socket.id);
  if (info !== null && !serves(need, info.plugins, info.sourceManagers)) throw new PluginMissingError(need.plugin, socket.id);
}

/** The node's info for its current session; null when it cannot be read (then nothing is refused). */
function infoOf(socket: Socket): Promise<NodeInfo | null> {
  const known = infos.get(socket);
  if (known && known.session === socket.sessionId) return known.info;
  const session = socket.sessionId;
  const info = socket.request({ kind: 'info' }).catch((error: unknown) => {
    // Not kept: the next call asks again (a timeout passes; a 404 of an old v3 node does not, but costs little).
    if (infos.get(socket)?.info === info) infos.delete(socket);
    if (error instanceof LavalinkError) return null;
    throw error;
  });
  infos.set(socket, { session, info });
  return info;
}

function v3Refusal(plugin: string, node: string): PluginMissingError {
  return new PluginMissingError(plugin, node, `Node ${node} speaks Lavalink v3: lavathread serves the ${plugin} routes on v4 nodes only`);
}
