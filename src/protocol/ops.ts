/**
 * The ops `Socket.send()` takes: Lavalink v3's client ops (Lavalink v3 WebSocket API), the one vocabulary of the
 * send path. A v3 adapter writes them as they are; the v4 adapter turns each into its REST call.
 */
import { ErrorCode, LavalinkError } from '../errors.js';

/** One equalizer band's gain. */
export interface EqualizerBand {
  /** Band 0 to 14 (25 Hz up to 16 kHz). */
  band: number;
  /** Gain from -0.25 (muted) to 1.0; 0 leaves the band as it is, 0.25 doubles it. */
  gain: number;
}

/** The Discord VOICE_SERVER_UPDATE `d` object. */
export interface VoiceServerEvent {
  /** Discord's voice token. */
  token: string;
  /** The guild. */
  guild_id: string;
  /** The voice server's host; null while Discord moves the guild to another server. */
  endpoint: string | null;
}

/** An op for `Socket.send()`, in Lavalink v3's client op vocabulary; on a v4 node each becomes its REST call. Bots normally call `Player` methods, which send these. */
export type OutgoingOp =
  | {
      /** Plays a track. */
      op: 'play';
      /** The guild. */
      guildId: string;
      /** The encoded track. */
      track: string;
      /** Where to start, ms. */
      startTime?: number;
      /** Where to stop, ms. */
      endTime?: number;
      /** Volume to set with it, 0 to 1000. */
      volume?: number;
      /** true: do nothing if a track is already playing. */
      noReplace?: boolean;
      /** Start paused. */
      pause?: boolean;
      /** v4 only: attached to the track on the node. */
      userData?: Record<string, unknown>;
    }
  | {
    /** Stops the track. */
    op: 'stop';
    /** The guild. */
    guildId: string;
  }
  | {
    /** Pauses or resumes. */
    op: 'pause';
    /** The guild. */
    guildId: string;
    /** true to pause, false to resume. */
    pause: boolean;
  }
  | {
    /** Seeks in the track. */
    op: 'seek';
    /** The guild. */
    guildId: string;
    /** Where to, ms. */
    position: number;
  }
  | {
    /** Sets the volume. */
    op: 'volume';
    /** The guild. */
    guildId: string;
    /** 0 to 1000; 100 leaves the audio as it is. */
    volume: number;
  }
  | ({
    /** Sets every filter at once (the filters are the op's other fields; plugin filters too). */
    op: 'filters';
    /** The guild. */
    guildId: string;
  } & Record<string, unknown>)
  | {
    /** Sets equalizer bands. */
    op: 'equalizer';
    /** The guild. */
    guildId: string;
    /** The bands to set. */
    bands: EqualizerBand[];
  }
  | {
      /** Hands the node Discord's voice credentials. */
      op: 'voiceUpdate';
      /** The guild. */
      guildId: string;
      /** The bot's voice session id, from VOICE_STATE_UPDATE. */
      sessionId: string;
      /** The VOICE_SERVER_UPDATE data. */
      event: VoiceServerEvent;
      /** The voice channel; v4.2 (DAVE) requires it, v3 ignores it. */
      channelId?: string | null;
    }
  | {
    /** Destroys the player on the node. */
    op: 'destroy';
    /** The guild. */
    guildId: string;
  };

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
