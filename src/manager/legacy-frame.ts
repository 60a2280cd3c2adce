/** Temporary: a node frame read into a NodeEvent on the main thread (moves to the worker's adapters). */
import type { LavalinkMessage, NodeStats } from '../protocol/messages.js';
import type { NodeEvent, PlayerState, TrackEndReason } from '../protocol/node-events.js';
import { text, type Track } from '../protocol/rest.js';
import { trackFromEncoded } from '../player/options.js';

const v3Reasons: Readonly<Record<string, TrackEndReason>> = { FINISHED: 'finished', LOAD_FAILED: 'loadFailed', STOPPED: 'stopped', REPLACED: 'replaced', CLEANUP: 'cleanup' };

export function readNodeEvent(frame: LavalinkMessage): NodeEvent | null {
  const f = frame as Record<string, unknown>;
  if (frame.op === 'stats') return { type: 'stats', stats: readStats(f) };
  const guildId = f.guildId;
  if (typeof guildId !== 'string') return null;
  if (frame.op === 'playerUpdate') {
    const raw = (typeof f.state === 'object' && f.state !== null ? f.state : {}) as Record<string, unknown>;
    const state = { ...raw } as unknown as PlayerState;
    return { type: 'playerUpdate', guildId, state };
  }
  if (frame.op !== 'event') return null;
  const track = eventTrack(f.track);
  switch (f.type) {
    case 'TrackStartEvent':
      return { type: 'trackStart', guildId, track };
    case 'TrackEndEvent':
      return { type: 'trackEnd', guildId, track, reason: v3Reasons[String(f.reason)] ?? (f.reason as TrackEndReason) };
    case 'TrackExceptionEvent': {
      const raw = (f.exception ?? { message: f.error, severity: 'common' }) as { message?: unknown; severity?: unknown; cause?: unknown };
      const exception = { message: typeof raw.message === 'string' ? raw.message : null, severity: (text(raw.severity) || 'common').toLowerCase(), cause: typeof raw.cause === 'string' ? raw.cause : null };
      return { type: 'trackException', guildId, track, exception };
    }
    case 'TrackStuckEvent':
      return { type: 'trackStuck', guildId, track, thresholdMs: Number(f.thresholdMs ?? 0) };
    case 'WebSocketClosedEvent':
      return { type: 'voiceClosed', guildId, code: typeof f.code === 'number' ? f.code : -1, reason: text(f.reason), byRemote: f.byRemote === true };
    default:
      return null;
  }
}

function eventTrack(raw: unknown): Track | null {
  if (typeof raw === 'string') return trackFromEncoded(raw);
  if (typeof raw === 'object' && raw !== null && typeof (raw as { encoded?: unknown }).encoded === 'string') return raw as Track;
  return null;
}

function readStats(frame: Record<string, unknown>): NodeStats {
  const n = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const part = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const memory = part(frame.memory);
  const cpu = part(frame.cpu);
  const frames = frame.frameStats === null || frame.frameStats === undefined ? null : part(frame.frameStats);
  return {
    players: n(frame.players),
    playingPlayers: n(frame.playingPlayers),
    uptime: n(frame.uptime),
    memory: { free: n(memory.free), used: n(memory.used), allocated: n(memory.allocated), reservable: n(memory.reservable) },
    cpu: { cores: n(cpu.cores), systemLoad: n(cpu.systemLoad), lavalinkLoad: n(cpu.lavalinkLoad) },
    frameStats: frames ? { sent: n(frames.sent), nulled: n(frames.nulled), deficit: n(frames.deficit) } : null,
  };
}
