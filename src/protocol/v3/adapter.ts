/** Lavalink v3 (3.3–3.7): ops are written to the WebSocket as they are. */
import type { ProtocolAdapter } from '../adapter.js';
import { mayNotHaveArrived, playsTrack } from '../delivery.js';
import type { NodeFrame } from '../frames.js';
import { readEvent, trackFromEncoded, trackFromObject, type EventDialect } from '../read-event.js';
import { v3Request } from './rest.js';

/**
 * v3 events carry the track as its encoded string: `track` (3.3–3.6), `encodedTrack` and the
 * deprecated `track` (3.7). A server that sends a Track object instead is read too.
 */
const dialect: EventDialect = {
  track: (frame: NodeFrame) => trackFromEncoded(frame.track) ?? trackFromEncoded(frame.encodedTrack) ?? trackFromObject(frame.track),
};

export const v3Adapter: ProtocolAdapter = {
  version: 3,
  wsPath: '/',
  readyOnOpen: true,
  writesNeedConfirmation: true,
  keepsResumeKeyAfterNewSession: true,
  resumingNeedsSession: false,
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
  // 3.7 has the player routes under /v3; 3.3–3.6 answer 404, and the play goes again.
  alreadyPlaying: (op, context) => playsTrack('/v3', op, context),
  isRetryable: mayNotHaveArrived,
  readEvent: (frame) => readEvent(frame, dialect),
};

/** v3 takes plugin filters as top-level keys of the filters op; v4 under `pluginFilters`. */
function flattenPluginFilters(op: Record<string, unknown>): Record<string, unknown> {
  const { pluginFilters, ...rest } = op;
  return typeof pluginFilters === 'object' && pluginFilters !== null && !Array.isArray(pluginFilters) ? { ...rest, ...pluginFilters } : rest;
}
