/**
 * The control API: the simulator's fault switches and inspection over HTTP, for a simulator that
 * runs as its own process (`--control`). Paths live under `/_simulator/`, need the password, and
 * are never subject to the faults they switch (so `wake` works on a silent node).
 *
 * | request | effect |
 * |---|---|
 * | `POST /_simulator/flood {rate, guilds, durationMs, eventEvery?, wallClockPosition?, guildIds?, sessionId?}` | floods; answers the FloodResult when done |
 * | `POST /_simulator/drop {code?, reason?, abrupt?}` | drops every client |
 * | `POST /_simulator/silence`, `POST /_simulator/wake` | half-open on/off |
 * | `POST /_simulator/refuse {durationMs}` | refuses new connections |
 * | `POST /_simulator/rest-fault {delayMs?, status?, count?, body?}`, `DELETE /_simulator/rest-fault` | REST faults |
 * | `POST /_simulator/traffic {durationMs, updateIntervalMs?, trackMs?}` | realistic traffic to this node's players; answers per-guild counts when done |
 * | `POST /_simulator/track-change {guildIds}` | TrackEndEvent + TrackStartEvent now for each guild's player; answers `{changed, missing}` |
 * | `POST /_simulator/heartbeat {intervalMs, timeoutMs}` or `null` | heartbeat on/off |
 * | `GET /_simulator/heartbeat` | `{dropped}`: clients dropped so far for a missed pong |
 * | `POST /_simulator/restart {downMs?, keepSessions?}` | restart |
 * | `POST /_simulator/raw {data, binary?, sessionId?}` | sends a raw frame (`binary`: data is base64) |
 * | `POST /_simulator/player-event {guildId, type, fields?}` | `{op: 'event', type, guildId, ...fields}` to the sessions with that guild's player; answers `{sent}` |
 * | `POST /_simulator/load {cores?, systemLoad?, lavalinkLoad?, frameStats?}` | overrides stats |
 * | `GET /_simulator/sessions`, `/players`, `/requests`, `/frames`, `/handshakes` | inspection |
 * | `DELETE /_simulator/records` | forgets recorded traffic |
 */
import { InvalidOptionError, LavalinkError } from '../errors.js';
import { json, noContent, type Reply } from './http-reply.js';
import type { LavalinkSimulator } from './simulator.js';

export const CONTROL_PREFIX = '/_simulator/';

type Body = Record<string, unknown>;

function object(body: unknown): Body {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidOptionError('body', 'a JSON object', body);
  return body as Body;
}

/** Runs one control request; a bad argument answers 400 with the typed error's code and message. */
export async function control(sim: LavalinkSimulator, method: string, path: string, body: unknown): Promise<Reply> {
  try {
    return await dispatch(sim, `${method} ${path.slice(CONTROL_PREFIX.length)}`, body);
  } catch (error) {
    if (error instanceof LavalinkError) return json({ code: error.code, message: error.message }, 400);
    throw error;
  }
}

async function dispatch(sim: LavalinkSimulator, action: string, body: unknown): Promise<Reply> {
  const b = object(body);
  switch (action) {
    case 'POST flood':
      return json(await sim.flood(b as never));
    case 'POST drop':
      return json({ dropped: sim.dropConnections(b) });
    case 'POST silence':
      sim.goSilent();
      return noContent;
    case 'POST wake':
      sim.wake();
      return noContent;
    case 'POST refuse':
      sim.refuseConnections(b.durationMs as number);
      return noContent;
    case 'POST rest-fault':
      if (b.delayMs !== undefined) sim.delayRest(b.delayMs as number);
      if (b.status !== undefined || b.count !== undefined || b.body !== undefined) sim.failRest(b);
      return noContent;
    case 'DELETE rest-fault':
      sim.clearRestFaults();
      return noContent;
    case 'POST traffic':
      return json(await sim.traffic(b as never));
    case 'POST track-change':
      return json(sim.changeTracks(b.guildIds as never));
    case 'GET heartbeat':
      return json({ dropped: sim.heartbeatDrops });
    case 'POST heartbeat':
      sim.setHeartbeat(body === null || Object.keys(b).length === 0 ? null : (b as never));
      return noContent;
    case 'POST restart':
      sim.restart(b);
      return noContent;
    case 'POST raw': {
      if (typeof b.data !== 'string') throw new InvalidOptionError('data', 'a string', b.data);
      const data = b.binary === true ? Buffer.from(b.data, 'base64') : b.data;
      return json({ sent: sim.sendRaw(data, { binary: b.binary === true, ...(typeof b.sessionId === 'string' ? { sessionId: b.sessionId } : {}) }) });
    }
    case 'POST player-event':
      return json({ sent: sim.sendPlayerEvent(b.guildId as string, b.type as string, (b.fields ?? {}) as Record<string, unknown>) });
    case 'POST load':
      sim.setNodeLoad(b);
      return noContent;
    case 'GET sessions':
      return json(sim.sessions());
    case 'GET players':
      return json(sim.players());
    case 'GET requests':
      return json(sim.requests);
    case 'GET frames':
      return json(sim.frames);
    case 'GET handshakes':
      return json(sim.handshakes);
    case 'DELETE records':
      sim.clearRecords();
      return noContent;
    default:
      return json({ code: 'NOT_FOUND', message: `No control action ${action}` }, 404);
  }
}
