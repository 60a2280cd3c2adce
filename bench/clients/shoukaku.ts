/**
 * Shoukaku 4 (Lavalink v4), driven like a bot: a connector stands in for the Discord library. Its
 * `sendPacket` swallows the op-4 voice requests, and the made-up VOICE_STATE_UPDATE and
 * VOICE_SERVER_UPDATE go in through the connector's own raw-packet handler, as a gateway `raw`
 * event would. `joinVoiceChannel` resolves only once both arrived and the voice PATCH answered.
 */
import { once } from 'node:events';
import { Connector, LoadType, Shoukaku, type LavalinkResponse, type NodeOption, type Player, type Track } from 'shoukaku';
import { eachLimited, fakeVoice, floodSentAt, type BenchClient } from './client.js';

/** A connector with no Discord client behind it. */
class BenchConnector extends Connector {
  readonly #userId: string;

  constructor(userId: string) {
    super(null);
    this.#userId = userId;
  }

  getId(): string {
    return this.#userId;
  }

  /** The gateway op 4 (join/leave voice) would go to Discord: there is none. */
  sendPacket(): void {}

  /** A real connector hooks the Discord client's ready/raw events here; `start` and `packet` stand in. */
  listen(): void {}

  /** What the Discord client's ready event does: sets the user id and adds (connects) the nodes. */
  start(nodes: NodeOption[]): void {
    this.ready(nodes);
  }

  /** What the Discord client's raw event does. */
  packet(t: 'VOICE_STATE_UPDATE' | 'VOICE_SERVER_UPDATE', d: Record<string, unknown>): void {
    this.raw({ t, d });
  }
}


/** The tracks a `/loadtracks` answer holds, in order (none for empty, error or no answer). */
function tracksOf(result: LavalinkResponse | undefined): Track[] {
  switch (result?.loadType) {
    case LoadType.TRACK:
      return [result.data];
    case LoadType.PLAYLIST:
      return result.data.tracks;
    case LoadType.SEARCH:
      return result.data;
    default:
      return [];
  }
}

export default function create(): BenchClient {
  let manager: Shoukaku | null = null;
  let connector: BenchConnector | null = null;
  let voiceIndex = 0;
  let onUpdate: (guildId: string, position?: number) => void = () => {};
  let onTrack: (guildId: string, type: string, sentAt?: number) => void = () => {};

  const attach = (player: Player): void => {
    const guildId = player.guildId;
    player.on('update', (data) => onUpdate(guildId, data.state.position));
    // Its listeners get the node's event as sent: the track object, with its info.
    player.on('start', (event) => onTrack(guildId, event.type, floodSentAt(event.track.info.uri)));
    player.on('end', (event) => onTrack(guildId, event.type, floodSentAt(event.track.info.uri)));
    player.on('stuck', (event) => onTrack(guildId, event.type));
    player.on('exception', (event) => onTrack(guildId, event.type));
    player.on('closed', (event) => onTrack(guildId, event.type));
  };

  const playerOf = (guildId: string): Player => {
    const player = manager?.players.get(guildId);
    if (!player) throw new Error(`shoukaku has no player for ${guildId}`);
    return player;
  };

  return {
    protocol: 4,
    async connect(nodes, userId) {
      connector = new BenchConnector(userId);
      const shoukaku = new Shoukaku(connector, []);
      manager = shoukaku;
      const pending = new Set(nodes.map((n) => n.id));
      await new Promise<void>((resolve, reject) => {
        const onReady = (name: string): void => {
          pending.delete(name);
          if (pending.size === 0) done();
        };
        const onError = (name: string, error: Error): void => {
          if (pending.has(name)) {
            done();
            reject(error);
          }
        };
        const done = (): void => {
          shoukaku.off('ready', onReady);
          shoukaku.off('error', onError);
          resolve();
        };
        shoukaku.on('ready', onReady);
        shoukaku.on('error', onError);
        connector!.start(nodes.map((n) => ({ name: n.id, url: `${n.host}:${n.port}`, auth: n.password })));
      });
      // An emitter's 'error' with no listener throws: keep one for the rest of the run.
      shoukaku.on('error', (name, error) => console.error(`shoukaku node ${name}:`, error));
    },
    async createPlayers(guildIds) {
      const shoukaku = manager!;
      const base = voiceIndex;
      voiceIndex += guildIds.length;
      await eachLimited(guildIds, 64, async (guildId, i) => {
        const voice = fakeVoice(guildId, base + i);
        // Its synchronous part registers the connection and starts waiting for the two events.
        const joining = shoukaku.joinVoiceChannel({ guildId, shardId: 0, channelId: String(voice.state['channel_id']), deaf: true });
        connector!.packet('VOICE_STATE_UPDATE', voice.state);
        connector!.packet('VOICE_SERVER_UPDATE', voice.server);
        attach(await joining);
      });
    },
    onPlayerUpdate(listener) {
      onUpdate = listener;
    },
    onTrackEvent(listener) {
      onTrack = listener;
    },
    async setVolume(guildId, volume) {
      // The player's own volume (0-1000, what Lavalink calls `volume`): a PATCH of `{ volume }`.
      // setFilterVolume would set the volume filter (0-5) instead.
      await playerOf(guildId).setGlobalVolume(volume);
    },
    async loadTracks(identifier) {
      // What a bot does without a player at hand: the node the resolver picks loads it.
      const node = manager!.getIdealNode();
      if (!node) throw new Error('shoukaku has no connected node');
      return tracksOf(await node.rest.resolve(identifier)).length;
    },
    decodeVia: 'REST decodetrack, one call per track, 32 at a time (Rest#decode; no bulk call)',
    async loadAndDecode(identifier) {
      const node = manager!.getIdealNode();
      if (!node) throw new Error('shoukaku has no connected node');
      const tracks = tracksOf(await node.rest.resolve(identifier));
      let decoded = 0;
      await eachLimited(tracks, 32, async (track) => {
        if (await node.rest.decode(track.encoded)) decoded++;
      });
      return { tracks: tracks.length, decoded };
    },
    async play(guildId, identifier) {
      const player = playerOf(guildId);
      const track = tracksOf(await player.node.rest.resolve(identifier))[0];
      if (!track) throw new Error(`shoukaku loaded nothing for ${identifier}`);
      await player.playTrack({ track: { encoded: track.encoded } });
    },
    async close() {
      if (!manager) return;
      const closing: Promise<unknown>[] = [];
      for (const node of [...manager.nodes.values()]) {
        // Node#disconnect's socket close runs Node#close, which reconnects: drop that listener first.
        const ws = node.ws;
        if (ws && ws.readyState !== ws.CLOSED) {
          ws.removeAllListeners('close');
          closing.push(once(ws, 'close'));
        }
        manager.removeNode(node.name, 'bench finished');
      }
      await Promise.all(closing);
      manager = null;
    },
  };
}
