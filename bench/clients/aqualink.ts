/**
 * aqualink 3 (Lavalink v4), driven like a bot: `send` swallows the op-4 voice requests, and the
 * made-up VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE go through `aqua.updateVoiceState`, as its
 * README's gateway `raw` handler does. The voice PATCH leaves on a timer of the library's own, with
 * no promise to wait for; the node's playerUpdate once the voice is up is the acknowledgement.
 *
 * Track events are heard on each player's `event` (the raw Lavalink event; in aqualink's
 * `PlayerEvents` typings): its `trackStart` on the Aqua is emitted only for a track the player
 * itself started (it reads `player.current`, not the event's track), and a TrackEndEvent with an
 * empty queue comes out as `queueEnd(player)`, without the event.
 */
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aqua, Track, type AquaOptions, type Player } from 'aqualink';
import type WebSocket from 'ws';
import { eachLimited, fakeVoice, floodSentAt, type BenchClient } from './client.js';


/** How long createPlayers waits for the node to acknowledge a player's voice. */
const VOICE_TIMEOUT_MS = 15_000;

/** What a track event's payload carries, as far as the listener reads it. */
interface RawEvent {
  readonly type?: string;
  readonly guildId?: string;
  readonly track?: { readonly info?: { readonly uri?: string | null } };
}

/** A v4 `/loadtracks` answer, as far as the adapter reads it. */
interface LoadAnswer {
  readonly loadType: string;
  readonly data: unknown;
}

export default function create(): BenchClient {
  let aqua: Aqua | null = null;
  let voiceIndex = 0;
  let onUpdate: (guildId: string, position?: number) => void = () => {};
  let onTrack: (guildId: string, type: string, sentAt?: number) => void = () => {};
  /** Guilds waiting for the playerUpdate that acknowledges their voice. */
  const voiceAcks = new Map<string, () => void>();

  const playerOf = (guildId: string): Player => {
    const player = aqua?.players.get(guildId);
    if (!player) throw new Error(`aqualink has no player for ${guildId}`);
    return player;
  };

  /**
   * Loads through the node's Rest and makes the tracks as `aqua.resolve` makes them. resolve itself
   * would turn a bare identifier (`dQw4w9WgXcQ`) into a `ytsearch:` query.
   */
  const load = async (identifier: string): Promise<Track[]> => {
    const node = aqua?.leastUsedNodes[0];
    if (!node) throw new Error('aqualink has no connected node');
    const { loadType, data } = (await node.rest.loadTracks(identifier)) as LoadAnswer;
    const raw = loadType === 'track' ? [data] : loadType === 'search' ? (data as unknown[]) : loadType === 'playlist' ? (data as { tracks: unknown[] }).tracks : [];
    return raw.map((t) => new Track(t as never, null, node));
  };

  return {
    protocol: 4,
    async connect(nodes, userId) {
      const options: AquaOptions & { brokenPlayerStorePath: string } = {
        send: () => {},
        // Where it writes the players of a node it lost (its typings leave the option out); by
        // default a file in the working directory, here the repository.
        brokenPlayerStorePath: join(tmpdir(), `aqualink-bench-${process.pid}.jsonl`),
      };
      // The Discord client is only read by the default `send`, replaced above.
      const lava = new Aqua({}, nodes.map((n) => ({ name: n.id, host: n.host, port: n.port, password: n.password, ssl: false })), options);
      aqua = lava;
      const pending = new Set(nodes.map((n) => n.id));
      const ready = new Promise<void>((resolve, reject) => {
        const onReady = (node: { name: string }): void => {
          pending.delete(node.name);
          if (pending.size === 0) {
            finish();
            resolve();
          }
        };
        const onError = (node: { name: string }, error: Error): void => {
          finish();
          reject(new Error(`aqualink node ${node.name}: ${error.message}`));
        };
        const finish = (): void => {
          lava.off('nodeReady', onReady);
          lava.off('nodeError', onError);
        };
        lava.on('nodeReady', onReady);
        lava.on('nodeError', onError);
      });
      lava.on('playerUpdate', (player: Player, packet: Record<string, unknown>) => {
        const guildId = String(player.guildId);
        const ack = voiceAcks.get(guildId);
        if (ack) ack();
        onUpdate(guildId, (packet['state'] as { position?: number } | undefined)?.position);
      });
      await lava.init(userId);
      await ready;
      // An emitter's 'error' with no listener throws: keep one for the rest of the run.
      lava.on('nodeError', (node: { name: string }, error: Error) => console.error(`aqualink node ${node.name}:`, error));
      lava.on('error', (...args: unknown[]) => console.error('aqualink:', ...args));
    },
    async createPlayers(guildIds) {
      const lava = aqua!;
      const base = voiceIndex;
      voiceIndex += guildIds.length;
      await eachLimited(guildIds, 64, async (guildId, i) => {
        const voice = fakeVoice(guildId, base + i);
        const player = lava.createConnection({ guildId, voiceChannel: String(voice.state['channel_id']), deaf: true });
        player.on('event', (payload: RawEvent) => onTrack(guildId, payload.type ?? '', floodSentAt(payload.track?.info?.uri)));
        let timer: NodeJS.Timeout | undefined;
        const acked = new Promise<void>((resolve, reject) => {
          voiceAcks.set(guildId, resolve);
          timer = setTimeout(() => reject(new Error(`no playerUpdate for ${guildId} after its voice update`)), VOICE_TIMEOUT_MS);
        });
        lava.updateVoiceState({ t: 'VOICE_STATE_UPDATE', d: voice.state } as never);
        lava.updateVoiceState({ t: 'VOICE_SERVER_UPDATE', d: voice.server } as never);
        await acked.finally(() => {
          clearTimeout(timer);
          voiceAcks.delete(guildId);
        });
      });
    },
    onPlayerUpdate(listener) {
      onUpdate = listener;
    },
    onTrackEvent(listener) {
      onTrack = listener;
    },
    async setVolume(guildId, volume) {
      // Player#setVolume answers nothing (its PATCH leaves from a microtask, and not at all for the
      // volume the player has); updatePlayer is the typed player call that sends the PATCH and
      // settles with the node's answer.
      const player = playerOf(guildId);
      await player.updatePlayer({ volume });
      player.volume = volume;
    },
    async loadTracks(identifier) {
      return (await load(identifier)).length;
    },
    decodeVia: 'REST decodetracks (Rest#decodeTracks)',
    async loadAndDecode(identifier) {
      const tracks = await load(identifier);
      const node = aqua?.leastUsedNodes[0];
      if (!node) throw new Error('aqualink has no connected node');
      const encoded = tracks.map((t) => t.track).filter((e): e is string => typeof e === 'string');
      const decoded = encoded.length === 0 ? [] : ((await node.rest.decodeTracks(encoded)) as unknown[]);
      return { tracks: tracks.length, decoded: decoded.length };
    },
    async play(guildId, identifier) {
      const player = playerOf(guildId);
      const track = (await load(identifier))[0];
      if (!track) throw new Error(`aqualink loaded nothing for ${identifier}`);
      player.queue.add(track);
      await player.play();
    },
    async close() {
      const lava = aqua;
      if (!lava) return;
      aqua = null;
      // destroy() closes each node's socket (after dropping its listeners) and does not wait.
      const sockets = [...lava.nodeMap.values()].map((node) => node.ws as WebSocket | null).filter((ws): ws is WebSocket => ws !== null);
      lava.destroy();
      await Promise.all(sockets.filter((ws) => ws.readyState !== ws.CLOSED).map((ws) => once(ws, 'close')));
    },
  };
}
