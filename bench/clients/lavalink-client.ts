/**
 * lavalink-client 2 (Lavalink v4), driven like a bot: `sendToShard` swallows the op-4 voice
 * requests, and the made-up VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE go through
 * `manager.sendRawData`, as a bot's gateway `raw` handler does. The server update PATCHes the
 * player's voice to the node; `sendRawData` resolves when that PATCH answered.
 */
import { LavalinkManager, type LavalinkNode, type Player, type SearchQuery, type VoicePacket } from 'lavalink-client';
import { eachLimited, fakeVoice, floodSentAt, type BenchClient } from './client.js';


/** A gateway dispatch as sendRawData takes it. fakeVoice's payloads are the real Discord shapes. */
const packet = (t: 'VOICE_STATE_UPDATE' | 'VOICE_SERVER_UPDATE', d: Record<string, unknown>): VoicePacket => ({ t, d }) as unknown as VoicePacket;

/**
 * How the adapter hands an identifier to the library's search. Its default source is `ytsearch`,
 * which turns a bare identifier (`dQw4w9WgXcQ`) into a search; `local` is the one source it sends
 * with no prefix, so the node gets the identifier as given.
 */
const asIdentifier = (identifier: string): SearchQuery => ({ query: identifier, source: 'local' });

/** Resolves once every node has its session (the `ready` frame) and its `/v4/info` (the `connect` event). */
function nodesReady(manager: LavalinkManager): Promise<void> {
  const nodes = [...manager.nodeManager.nodes.values()];
  const ready = (node: LavalinkNode): boolean => Boolean(node.sessionId) && node.info !== null;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!nodes.every(ready)) return;
      finish();
      resolve();
    };
    // `raw` is emitted just before the `ready` frame sets the session id.
    const onRaw = (): void => queueMicrotask(check);
    const onError = (node: LavalinkNode, error: Error): void => {
      finish();
      reject(new Error(`lavalink-client node ${node.id}: ${error.message}`));
    };
    const finish = (): void => {
      manager.nodeManager.off('connect', check);
      manager.nodeManager.off('raw', onRaw);
      manager.nodeManager.off('error', onError);
    };
    manager.nodeManager.on('connect', check);
    manager.nodeManager.on('raw', onRaw);
    manager.nodeManager.on('error', onError);
    check();
  });
}

export default function create(): BenchClient {
  let manager: LavalinkManager | null = null;
  let voiceIndex = 0;
  let onUpdate: (guildId: string, position?: number) => void = () => {};
  let onTrack: (guildId: string, type: string, sentAt?: number) => void = () => {};

  const playerOf = (guildId: string): Player => {
    const player = manager?.getPlayer(guildId);
    if (!player) throw new Error(`lavalink-client has no player for ${guildId}`);
    return player;
  };

  return {
    protocol: 4,
    async connect(nodes, userId) {
      const lavalink = new LavalinkManager({
        nodes: nodes.map((n) => ({ id: n.id, host: n.host, port: n.port, authorization: n.password })),
        sendToShard: () => {},
        client: { id: userId, username: 'bench' },
      });
      manager = lavalink;
      // The library's per-player events (its Player is no emitter: the manager emits them with the player).
      lavalink.on('playerUpdate', (_old, player) => onUpdate(player.guildId, player.lastPosition));
      // The track it passes is its queue's current one (the first start's, until a queue end); the
      // event itself, as the node sent it, is the third argument.
      lavalink.on('trackStart', (player, _track, event) => onTrack(player.guildId, event.type, floodSentAt(event.track.info.uri)));
      lavalink.on('trackEnd', (player, _track, event) => onTrack(player.guildId, event.type, floodSentAt(event.track.info.uri)));
      // A TrackEndEvent with nothing queued is emitted as `queueEnd` instead of `trackEnd`.
      lavalink.on('queueEnd', (player, _track, event) => {
        if (event.type === 'TrackEndEvent') onTrack(player.guildId, event.type, floodSentAt(event.track.info.uri));
      });
      lavalink.on('trackStuck', (player, _track, event) => onTrack(player.guildId, event.type));
      lavalink.on('trackError', (player, _track, event) => onTrack(player.guildId, event.type));
      lavalink.on('playerSocketClosed', (player, event) => onTrack(player.guildId, event.type));
      const ready = nodesReady(lavalink);
      await lavalink.init({ id: userId, username: 'bench' });
      await ready;
      // An emitter's 'error' with no listener throws: keep one for the rest of the run.
      lavalink.nodeManager.on('error', (node, error) => console.error(`lavalink-client node ${node.id}:`, error));
    },
    async createPlayers(guildIds) {
      const lavalink = manager!;
      const base = voiceIndex;
      voiceIndex += guildIds.length;
      await eachLimited(guildIds, 64, async (guildId, i) => {
        const voice = fakeVoice(guildId, base + i);
        const player = lavalink.createPlayer({ guildId, voiceChannelId: String(voice.state['channel_id']), selfDeaf: true, selfMute: false });
        await player.connect();
        await lavalink.sendRawData(packet('VOICE_STATE_UPDATE', voice.state));
        await lavalink.sendRawData(packet('VOICE_SERVER_UPDATE', voice.server));
      });
    },
    onPlayerUpdate(listener) {
      onUpdate = listener;
    },
    onTrackEvent(listener) {
      onTrack = listener;
    },
    async setVolume(guildId, volume) {
      // PATCHes `{ volume: volume * volumeDecrementer }`; the decrementer is left at its default 1.
      await playerOf(guildId).setVolume(volume);
    },
    async loadTracks(identifier) {
      // What a bot does without a player at hand: the least used node loads it.
      const node = manager!.nodeManager.leastUsedNodes()[0];
      if (!node) throw new Error('lavalink-client has no connected node');
      return (await node.search(asIdentifier(identifier), undefined)).tracks.length;
    },
    decodeVia: 'REST decodetracks (node.decode.multipleTracks)',
    async loadAndDecode(identifier) {
      const node = manager!.nodeManager.leastUsedNodes()[0];
      if (!node) throw new Error('lavalink-client has no connected node');
      const tracks = (await node.search(asIdentifier(identifier), undefined)).tracks;
      const encoded = tracks.map((t) => t.encoded).filter((e): e is string => typeof e === 'string');
      const decoded = await node.decode.multipleTracks(encoded, undefined);
      return { tracks: tracks.length, decoded: decoded.length };
    },
    async play(guildId, identifier) {
      const player = playerOf(guildId);
      const track = (await player.search(asIdentifier(identifier), undefined)).tracks[0];
      if (!track) throw new Error(`lavalink-client loaded nothing for ${identifier}`);
      // Plays this track now whatever the queue holds (queue.add + play() would only start the queue).
      await player.play({ clientTrack: track });
    },
    async close() {
      const lavalink = manager;
      if (!lavalink) return;
      manager = null;
      // Node#destroy would destroy every player at once (a DELETE each): do it a few at a time first.
      const players: Player[] = [...lavalink.players.values()];
      await eachLimited(players, 64, async (player) => {
        await player.destroy('bench finished').catch(() => {});
      });
      // Only Node#destroy clears the heartbeat interval and ping timeout (Node#disconnect leaves them).
      const nodes = [...lavalink.nodeManager.nodes.values()];
      const destroyed = new Promise<void>((resolve) => {
        let left = nodes.length;
        if (left === 0) resolve();
        lavalink.nodeManager.on('destroy', () => {
          if (--left === 0) resolve();
        });
      });
      for (const node of nodes) node.destroy('bench finished', true);
      await destroyed;
    },
  };
}
