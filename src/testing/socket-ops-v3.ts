/**
 * Client → server ops on a v3 WebSocket. Malformed or unknown ops are dropped without a reply, as
 * Lavalink 3 logs and ignores them.
 */
import type { Catalogue } from './catalogue.js';
import { filterTypesValid } from './player-patch.js';
import type { SimSession } from './session.js';
import type { SimTrack } from './types.js';

type Op = Record<string, unknown>;

/** What the v3 op handler needs from the server. */
export interface OpRules {
  readonly catalogue: Catalogue;
  /** Filters disabled in the server config: a `filters` op naming one is ignored. */
  readonly disabledFilters: ReadonlySet<string>;
}

/** v3 "long" fields are read with org.json getLong, which also takes numeric strings. */
function long(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Applies one parsed frame; returns false when the frame was ignored. */
export function applyV3Op(session: SimSession, op: Op, rules: OpRules): boolean {
  const release = session.dialect.release;
  if (op.op === 'configureResuming') {
    session.resumeKey = typeof op.key === 'string' ? op.key : null;
    const timeout = long(op.timeout);
    session.timeout = timeout !== undefined && timeout >= 0 ? timeout : 60;
    return true;
  }
  if (typeof op.guildId !== 'string' || !/^\d+$/.test(op.guildId)) return false;
  const guildId = op.guildId;

  switch (op.op) {
    case 'voiceUpdate': {
      const event = op.event as Op | undefined;
      // Discord sends partial updates without an endpoint; Lavalink ignores them.
      if (typeof op.sessionId !== 'string' || typeof event !== 'object' || event === null) return false;
      if (typeof event.endpoint !== 'string' || event.endpoint === '' || typeof event.token !== 'string') return false;
      session.player(guildId).setVoice({ token: event.token, endpoint: event.endpoint, sessionId: op.sessionId, channelId: null });
      return true;
    }
    case 'play': {
      if (typeof op.track !== 'string') return false;
      let track: SimTrack;
      try {
        track = rules.catalogue.decode(op.track);
      } catch {
        return false;
      }
      const player = session.player(guildId);
      if (op.noReplace === true && player.track) return false;
      const startTime = long(op.startTime);
      const endTime = long(op.endTime);
      const volume = long(op.volume);
      if (volume !== undefined) player.setVolume(volume);
      player.play(track, {
        paused: op.pause === true, // play unpauses unless `pause: true`
        ...(startTime !== undefined ? { position: startTime } : {}),
        ...(endTime !== undefined && endTime > 0 ? { endTime } : {}),
      });
      return true;
    }
    case 'stop':
      session.player(guildId).stop();
      return true;
    case 'pause':
      // 3.x reads `pause` with getBoolean, which throws (op dropped) when it is missing or not a boolean.
      if (typeof op.pause !== 'boolean') return false;
      session.player(guildId).setPaused(op.pause);
      return true;
    case 'seek': {
      const position = long(op.position);
      return position !== undefined && session.player(guildId).seek(position);
    }
    case 'volume': {
      const volume = long(op.volume);
      if (volume === undefined) return false;
      session.player(guildId).setVolume(volume);
      return true;
    }
    case 'equalizer': {
      if (!Array.isArray(op.bands)) return false;
      // 3.3's only EQ op sets the named bands and keeps the others.
      const player = session.player(guildId);
      const bands = new Map<number, number>();
      for (const b of (player.filters.equalizer as { band: number; gain: number }[] | undefined) ?? []) bands.set(b.band, b.gain);
      for (const b of op.bands as unknown[]) {
        const band = (b as Op | null)?.band;
        const gain = (b as Op | null)?.gain;
        if (typeof band === 'number' && band >= 0 && band <= 14 && typeof gain === 'number') bands.set(band, gain);
      }
      const equalizer = [...bands].sort((a, b) => a[0] - b[0]).map(([band, gain]) => ({ band, gain }));
      player.setFilters({ ...player.filters, equalizer });
      return true;
    }
    case 'filters': {
      if (!release.hasFiltersOp) return false;
      // Replaces every filter: what the op leaves out is disabled.
      const { op: _op, guildId: _guild, ...filters } = op;
      // A wrongly typed filter fails deserialisation; a disabled one makes the whole op ignored.
      if (!filterTypesValid(filters, false)) return false;
      if (Object.keys(filters).some((name) => rules.disabledFilters.has(name))) return false;
      session.player(guildId).setFilters(filters);
      return true;
    }
    case 'destroy':
      session.destroyPlayer(guildId);
      return true;
    default:
      return false;
  }
}
