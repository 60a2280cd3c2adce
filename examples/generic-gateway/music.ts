/**
 * lavathread on any Discord gateway library (or your own): the Manager needs two things from it.
 *
 * 1. A way to send op 4 (Voice State Update) on the shard that owns a guild: ManagerOptions.send.
 * 2. The raw VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE dispatches: manager.handleRaw(packet),
 *    which ignores every other packet (or manager.stateUpdate(d) / manager.serverUpdate(d)).
 *
 * Then manager.init(botUserId) once the bot's user id is known (from the READY dispatch).
 */
import { Manager, type SocketData, type Track } from 'lavathread';

/** A gateway payload as Discord's docs write it. */
export interface GatewayPayload {
  op: number;
  d: unknown;
  t?: string | null;
  s?: number | null;
}

/** The little this file needs from a gateway library; map it onto yours. */
export interface Gateway {
  /** How many shards the bot runs. */
  readonly shardCount: number;
  /** Sends a payload on one shard's connection. */
  send(shardId: number, payload: GatewayPayload): void;
  /** Calls `listener` with every dispatch (op 0) any shard receives. */
  onDispatch(listener: (payload: GatewayPayload) => void): void;
}

/** Discord's sharding formula: the shard that owns a guild. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A Manager wired to `gateway`; it connects to the nodes once the bot's user id is known. */
export function createManager(gateway: Gateway, nodes: SocketData[]): Manager {
  const manager = new Manager(nodes, {
    // The Manager builds the op 4 payload ({ op: 4, d: { guild_id, channel_id, self_mute, self_deaf } }).
    send: (guildId, payload) => gateway.send(shardOf(guildId, gateway.shardCount), payload as GatewayPayload),
    shards: gateway.shardCount, // told to Lavalink v3 nodes; harmless on v4
  });
  gateway.onDispatch((payload) => {
    // READY carries the bot's user id: init() connects to the nodes with it.
    if (payload.t === 'READY' && manager.userId === undefined) manager.init((payload.d as { user: { id: string } }).user.id);
    manager.handleRaw(payload);
  });
  return manager;
}

/** Joins `voiceChannelId` and plays the first result of `query`; answers the track, null when nothing was found. */
export async function play(manager: Manager, guildId: string, voiceChannelId: string, query: string): Promise<Track | null> {
  const player = manager.create(guildId);
  // Sends op 4 through `send`, resolves once the node has the voice credentials Discord answered
  // with; rejects LAVALINK_VOICE_TIMEOUT if they never come (handleRaw not wired, most often).
  if (player.channel !== voiceChannelId) await player.connect(voiceChannelId, { selfDeaf: true });
  const result = await manager.search(query); // a URL is loaded as it is
  const track = result.loadType === 'track' ? result.track : result.loadType === 'search' ? (result.tracks[0] ?? null) : null;
  if (!track) return null;
  player.queue.add(track);
  await player.queue.start();
  return track;
}
