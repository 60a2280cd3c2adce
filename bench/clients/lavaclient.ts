/**
 * lavaclient 4 (Lavalink v3), driven like a bot: a `Cluster` (its multi-node manager) whose
 * `sendGatewayPayload` swallows the op-4 voice requests; the made-up VOICE_STATE_UPDATE and
 * VOICE_SERVER_UPDATE go through `cluster.handleVoiceUpdate`, as a bot's gateway `raw` handler
 * does. Once a player has both, it sends the v3 `voiceUpdate` op over the node's socket.
 *
 * lavaclient's Player has no update event: the node's socket handler writes each playerUpdate's
 * state into the player (`connected`, `lastPosition`, then `lastUpdate`). So updates are counted
 * at that write, by an accessor on the player's `lastUpdate`.
 */
import { Cluster, decode, type ClusterNode, type Player, type VoiceServerUpdate, type VoiceStateUpdate } from 'lavaclient';
import { fakeVoice, floodSentAt, type BenchClient } from './client.js';

/**
 * Calls `onUpdate` each time the library stores a playerUpdate's state in `player`. Resolves on
 * the first one: the node sends it once the player's voice is set, its only answer to `voiceUpdate`.
 */
function watchUpdates(player: Player<ClusterNode>, onUpdate: () => void): Promise<void> {
  let lastUpdate = player.lastUpdate;
  let first: (() => void) | null = null;
  const updated = new Promise<void>((resolve) => (first = resolve));
  Object.defineProperty(player, 'lastUpdate', {
    configurable: true,
    enumerable: true,
    get: () => lastUpdate,
    set: (value: number | undefined) => {
      lastUpdate = value;
      onUpdate();
      if (first) {
        first();
        first = null;
      }
    },
  });
  return updated;
}

/** How long createPlayers waits for the node to acknowledge a player's voice. */
const VOICE_TIMEOUT_MS = 15_000;

export default function create(): BenchClient {
  let cluster: Cluster | null = null;
  let voiceIndex = 0;
  let onUpdate: (guildId: string, position?: number) => void = () => {};
  let onTrack: (guildId: string, type: string, sentAt?: number) => void = () => {};

  /** Hooks the player's events; resolves on its first playerUpdate. */
  const attach = (player: Player<ClusterNode>): Promise<void> => {
    const guildId = player.guildId;
    const updated = watchUpdates(player, () => onUpdate(guildId, player.lastPosition));
    // v3 events carry only the encoded track, which is all its listeners get. It decodes a starting
    // track itself (player.trackData); an ending one is decoded here, as a bot wanting its title would.
    player.on('trackStart', () => onTrack(guildId, 'TrackStartEvent', floodSentAt(player.trackData?.uri)));
    player.on('trackEnd', (track) => onTrack(guildId, 'TrackEndEvent', floodSentAt(track === null ? undefined : decode(track)?.uri)));
    player.on('trackException', () => onTrack(guildId, 'TrackExceptionEvent'));
    player.on('trackStuck', () => onTrack(guildId, 'TrackStuckEvent'));
    player.on('disconnected', () => onTrack(guildId, 'WebSocketClosedEvent'));
    return updated;
  };

  const playerOf = (guildId: string): Player<ClusterNode> => {
    const player = cluster?.getPlayer(guildId);
    if (!player) throw new Error(`lavaclient has no player for ${guildId}`);
    return player;
  };

  return {
    protocol: 3,
    async connect(nodes, userId) {
      const lava = new Cluster({
        nodes: nodes.map((n) => ({ id: n.id, host: n.host, port: n.port, password: n.password })),
        sendGatewayPayload: () => {},
        user: userId,
      });
      cluster = lava;
      const pending = new Set(nodes.map((n) => n.id));
      await new Promise<void>((resolve, reject) => {
        const onConnect = (node: ClusterNode): void => {
          pending.delete(node.id);
          if (pending.size === 0) {
            finish();
            resolve();
          }
        };
        const onError = (node: ClusterNode, error: Error): void => {
          finish();
          reject(new Error(`lavaclient node ${node.id}: ${error.message}`));
        };
        const finish = (): void => {
          lava.off('nodeConnect', onConnect);
          lava.off('nodeError', onError);
        };
        lava.on('nodeConnect', onConnect);
        lava.on('nodeError', onError);
        lava.connect(userId);
      });
      // No 'nodeDebug' or 'nodeRaw' listener: a ClusterNode only forwards events someone listens to.
      lava.on('nodeError', (node, error) => console.error(`lavaclient node ${node.id}:`, error));
    },
    async createPlayers(guildIds) {
      const lava = cluster!;
      const base = voiceIndex;
      voiceIndex += guildIds.length;
      await Promise.all(
        guildIds.map(async (guildId, i) => {
          const voice = fakeVoice(guildId, base + i);
          const player = lava.createPlayer(guildId);
          const updated = attach(player);
          player.connect(String(voice.state['channel_id']), { deafened: true });
          // fakeVoice's payloads are the real Discord shapes, which these types describe.
          await lava.handleVoiceUpdate(voice.state as unknown as VoiceStateUpdate);
          // Sends `voiceUpdate` over the socket; resolves once the frame is written.
          await lava.handleVoiceUpdate(voice.server as unknown as VoiceServerUpdate);
          if (!player.connected) throw new Error(`lavaclient did not send the voice update for ${guildId}`);
          // v3 has no reply to voiceUpdate; the node's playerUpdate once the voice is up is the ack.
          // Without this wait that update lands after createPlayers, inside the measured window.
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no playerUpdate for ${guildId} after its voiceUpdate`)), VOICE_TIMEOUT_MS);
          });
          await Promise.race([updated, timeout]).finally(() => clearTimeout(timer));
        }),
      );
    },
    onPlayerUpdate(listener) {
      onUpdate = listener;
    },
    onTrackEvent(listener) {
      onTrack = listener;
    },
    async setVolume(guildId, volume) {
      // The v3 `volume` op; resolves once the frame is written (v3 has no reply to it).
      await playerOf(guildId).setVolume(volume);
    },
    async loadTracks(identifier) {
      // What a bot does without a player at hand: the cluster's least loaded node loads it.
      const rest = cluster!.rest;
      if (!rest) throw new Error('lavaclient has no connected node');
      // Every v3 answer has `tracks` (empty for NO_MATCHES and LOAD_FAILED).
      return (await rest.loadTracks(identifier)).tracks.length;
    },
    decodeVia: 'local decoder (the exported decode())',
    async loadAndDecode(identifier) {
      const rest = cluster!.rest;
      if (!rest) throw new Error('lavaclient has no connected node');
      const tracks = (await rest.loadTracks(identifier)).tracks;
      const decoded = tracks.filter((t) => decode(t.track) !== null).length;
      return { tracks: tracks.length, decoded };
    },
    async play(guildId, identifier) {
      const player = playerOf(guildId);
      const track = (await player.node.rest.loadTracks(identifier)).tracks[0];
      if (!track) throw new Error(`lavaclient loaded nothing for ${identifier}`);
      // The v3 `play` op; resolves once the frame is written.
      await player.play(track);
    },
    async close() {
      const lava = cluster;
      if (!lava) return;
      cluster = null;
      const nodes = [...lava.nodes.values()].filter((node) => node.conn.active);
      const closed = new Promise<void>((resolve) => {
        let left = nodes.length;
        if (left === 0) resolve();
        lava.on('nodeDisconnect', () => {
          if (--left === 0) resolve();
        });
      });
      // A clean close: Connection#_onclose sees the Disconnecting state and does not reconnect.
      for (const node of nodes) node.conn.disconnect(1000, 'bench finished');
      await closed;
    },
  };
}
