/**
 * Lavalink v4 (4.0–4.2): the socket only listens; every op becomes a REST call on the session
 * (`PATCH`/`DELETE /v4/sessions/{sessionId}/players/{guildId}`, `PATCH /v4/sessions/{sessionId}`).
 */
import { RestError, SocketClosedError } from '../../errors.js';
import type { AdapterContext, ProtocolAdapter } from '../adapter.js';
import { mayNotHaveArrived, playsTrack } from '../delivery.js';
import type { NodeFrame } from '../frames.js';
import type { OutgoingOp } from '../ops.js';
import { readEvent, trackFromEncoded, trackFromObject, type EventDialect } from '../read-event.js';
import { v4Request } from './rest.js';

function sessionPath(context: AdapterContext): string {
  if (context.sessionId === null) throw new SocketClosedError('No Lavalink session yet (waiting for ready)');
  return `/v4/sessions/${context.sessionId}`;
}

/** The PATCH body (and query) an op stands for. */
export function toPlayerUpdate(op: OutgoingOp): { body: Record<string, unknown>; noReplace: boolean } | null {
  switch (op.op) {
    case 'play': {
      const body: Record<string, unknown> = { track: { encoded: op.track, ...(op.userData ? { userData: op.userData } : {}) } };
      if (op.startTime !== undefined) body.position = op.startTime;
      if (op.endTime !== undefined && op.endTime > 0) body.endTime = op.endTime;
      if (op.volume !== undefined) body.volume = op.volume;
      if (op.pause !== undefined) body.paused = op.pause;
      return { body, noReplace: op.noReplace === true };
    }
    case 'stop':
      return { body: { track: { encoded: null } }, noReplace: false };
    case 'pause':
      return { body: { paused: op.pause }, noReplace: false };
    case 'seek':
      return { body: { position: op.position }, noReplace: false };
    case 'volume':
      return { body: { volume: op.volume }, noReplace: false };
    case 'filters': {
      const { op: _op, guildId: _guild, ...filters } = op;
      return { body: { filters }, noReplace: false };
    }
    case 'equalizer':
      return { body: { filters: { equalizer: op.bands } }, noReplace: false };
    case 'voiceUpdate':
      return {
        body: { voice: { token: op.event.token, endpoint: op.event.endpoint ?? '', sessionId: op.sessionId, channelId: op.channelId ?? null } },
        noReplace: false,
      };
    case 'destroy':
      return null;
  }
}

/** Lavalink's answer for a session it does not have (any more). */
export function isSessionGone(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { message?: unknown }).message === 'Session not found';
}

/** v4 events carry a Track object (Lavalink v4 WebSocket API: Event); a server that sends the encoded string is read too. */
const dialect: EventDialect = {
  track: (frame: NodeFrame) => trackFromObject(frame.track) ?? trackFromEncoded(frame.track),
};

export const v4Adapter: ProtocolAdapter = {
  version: 4,
  wsPath: '/v4/websocket',
  readyOnOpen: false,
  writesNeedConfirmation: false,
  keepsResumeKeyAfterNewSession: false,
  resumingNeedsSession: true,
  handshakeHeaders(config, userId, resume) {
    return {
      Authorization: config.password,
      'User-Id': userId,
      'Client-Name': config.clientName,
      ...(resume !== null ? { 'Session-Id': resume } : {}),
    };
  },
  async send(op, context) {
    const path = `${sessionPath(context)}/players/${op.guildId}`;
    const update = toPlayerUpdate(op);
    if (update === null) {
      await context.rest.request('DELETE', path);
      return;
    }
    await context.rest.request('PATCH', `${path}${update.noReplace ? '?noReplace=true' : ''}`, update.body);
  },
  async configureResuming(_key, timeoutSeconds, context) {
    try {
      await context.rest.request('PATCH', sessionPath(context), { resuming: true, timeout: timeoutSeconds });
    } catch (error) {
      // Servers without session routes (NodeLink) answer 404 for the route itself; Lavalink's
      // 404 for a session it no longer has says so in its body, and is worth another try.
      if (error instanceof RestError && error.status === 404 && !isSessionGone(error.body)) return null;
      throw error;
    }
    return context.sessionId!;
  },
  request: v4Request,
  alreadyPlaying: (op, context) => playsTrack('/v4', op, context),
  // Lavalink answers 404 `Session not found` for a session whose link just went: the op did not
  // apply, and waits for the next session (resumed or new).
  isRetryable: (error) => mayNotHaveArrived(error) || (error instanceof RestError && error.status === 404 && isSessionGone(error.body)),
  readEvent: (frame) => readEvent(frame, dialect),
};
