/** Lavalink v3 (3.3–3.7, spec §3): ops are written to the WebSocket as they are. */
import type { ProtocolAdapter } from '../adapter.js';
import { v3Request } from './rest.js';

export const v3Adapter: ProtocolAdapter = {
  version: 3,
  wsPath: '/',
  readyOnOpen: true,
  writesNeedConfirmation: true,
  handshakeHeaders(config, userId, resume) {
    return {
      Authorization: config.password,
      'User-Id': userId,
      // Required by 3.3 (parsed with Integer.parseInt), ignored from 3.4 on.
      'Num-Shards': String(config.shards),
      'Client-Name': config.clientName,
      ...(resume !== null ? { 'Resume-Key': resume } : {}),
    };
  },
  async send(op, context) {
    const { userData: _v4Only, ...frame } = op as typeof op & { userData?: unknown };
    await context.writeFrame(JSON.stringify(op.op === 'filters' ? flattenPluginFilters(frame) : frame));
  },
  async configureResuming(key, timeoutSeconds, context) {
    await context.writeFrame(JSON.stringify({ op: 'configureResuming', key, timeout: timeoutSeconds }));
    return key;
  },
  request: v3Request,
};

/** v3 takes plugin filters as top-level keys of the filters op; v4 under `pluginFilters`. */
function flattenPluginFilters(op: Record<string, unknown>): Record<string, unknown> {
  const { pluginFilters, ...rest } = op;
  return typeof pluginFilters === 'object' && pluginFilters !== null && !Array.isArray(pluginFilters) ? { ...rest, ...pluginFilters } : rest;
}
