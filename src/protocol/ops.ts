/**
 * The ops `Socket.send()` takes: Lavalink v3's client ops (Lavalink v3 WebSocket API), the one vocabulary of the
 * send path. A v3 adapter writes them as they are; the v4 adapter turns each into its REST call.
 */
import { ErrorCode, LavalinkError } from '../errors.js';

export interface EqualizerBand {
  band: number;
  gain: number;
}

/** The Discord VOICE_SERVER_UPDATE `d` object. */
export interface VoiceServerEvent {
  token: string;
  guild_id: string;
  endpoint: string | null;
}

export type OutgoingOp =
  | {
      op: 'play';
      guildId: string;
      track: string;
      startTime?: number;
      endTime?: number;
      volume?: number;
      noReplace?: boolean;
      pause?: boolean;
      /** v4 only: attached to the track on the node. */
      userData?: Record<string, unknown>;
    }
  | { op: 'stop'; guildId: string }
  | { op: 'pause'; guildId: string; pause: boolean }
  | { op: 'seek'; guildId: string; position: number }
  | { op: 'volume'; guildId: string; volume: number }
  | ({ op: 'filters'; guildId: string } & Record<string, unknown>)
  | { op: 'equalizer'; guildId: string; bands: EqualizerBand[] }
  | {
      op: 'voiceUpdate';
      guildId: string;
      sessionId: string;
      event: VoiceServerEvent;
      /** The voice channel; v4.2 (DAVE) requires it, v3 ignores it. */
      channelId?: string | null;
    }
  | { op: 'destroy'; guildId: string };

export type OpName = OutgoingOp['op'];

const badOp = (message: string): LavalinkError => new LavalinkError(ErrorCode.BadOp, message);
const isInt = (v: unknown): boolean => Number.isSafeInteger(v);

/** Checks an op before it enters the queue, so a bad op fails alone and at once. */
export function validateOp(op: unknown): OutgoingOp {
  if (typeof op !== 'object' || op === null || Array.isArray(op)) throw badOp('An op must be an object with an `op` field');
  const o = op as Record<string, unknown>;
  if (typeof o.guildId !== 'string' || !/^\d{1,20}$/.test(o.guildId)) throw badOp(`Op \`${String(o.op)}\` needs a guildId (a string of digits)`);
  switch (o.op) {
    case 'play':
      if (typeof o.track !== 'string' || o.track === '') throw badOp('Op `play` needs `track` (an encoded track)');
      for (const key of ['startTime', 'endTime', 'volume'] as const) {
        if (o[key] !== undefined && !(isInt(o[key]) && (o[key] as number) >= 0)) throw badOp(`Op \`play\` has a bad \`${key}\``);
      }
      break;
    case 'pause':
      if (typeof o.pause !== 'boolean') throw badOp('Op `pause` needs `pause` (a boolean)');
      break;
    case 'seek':
      if (!isInt(o.position) || (o.position as number) < 0) throw badOp('Op `seek` needs `position` (ms, an integer of at least 0)');
      break;
    case 'volume':
      if (!isInt(o.volume) || (o.volume as number) < 0 || (o.volume as number) > 1000) throw badOp('Op `volume` needs `volume` (an integer from 0 to 1000)');
      break;
    case 'equalizer':
      if (!Array.isArray(o.bands)) throw badOp('Op `equalizer` needs `bands`');
      break;
    case 'voiceUpdate': {
      const event = o.event as Record<string, unknown> | null | undefined;
      if (typeof o.sessionId !== 'string' || typeof event !== 'object' || event === null || typeof event.token !== 'string') {
        throw badOp('Op `voiceUpdate` needs `sessionId` and `event` (the VOICE_SERVER_UPDATE data)');
      }
      break;
    }
    case 'stop':
    case 'filters':
    case 'destroy':
      break;
    default:
      throw badOp(`Unknown op \`${String(o.op)}\``);
  }
  return op as OutgoingOp;
}
