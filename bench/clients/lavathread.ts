/**
 * lavathread, driven like a bot: players created, voice forwarded. `workers` picks the transport;
 * `library` is the module the Manager comes from (this checkout's, or another's for a baseline);
 * `sessionStore`, when given, makes the store the manager keeps its sessions in.
 */
import type { Manager, SessionStore } from '../../src/index.js';
import { BENCH_USER_ID, fakeVoice, floodSentAt, type BenchClient } from './client.js';

type Library = { readonly Manager: typeof Manager };

export function lavathread(workers: number, { library = () => import('../../src/index.js'), sessionStore }: { library?: () => Promise<Library>; sessionStore?: () => SessionStore } = {}): BenchClient {
  let manager: Manager | null = null;
  let onUpdate: (guildId: string, position?: number) => void = () => {};
  let onTrack: (guildId: string, type: string, sentAt?: number) => void = () => {};
  return {
    protocol: 4,
    async connect(nodes, userId) {
      const { Manager } = await library();
      manager = new Manager(
        nodes.map((n) => ({ ...n, version: 4 as const })),
        { send: () => {}, workers, userId, ...(sessionStore && { sessionStore: sessionStore() }) },
      );
      manager.on('playerUpdate', (player, state) => onUpdate(player.guildId, state.position));
      manager.on('trackStart', (player, track) => onTrack(player.guildId, 'TrackStartEvent', floodSentAt(track.info.uri)));
      manager.on('trackEnd', (player, track) => onTrack(player.guildId, 'TrackEndEvent', floodSentAt(track?.info.uri)));
      manager.init(userId);
      await Promise.all([...manager.sockets.values()].map((socket) => socket.onReady()));
    },
    async createPlayers(guildIds) {
      guildIds.forEach((guildId, i) => {
        manager!.create(guildId);
        const voice = fakeVoice(guildId, i);
        manager!.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { ...voice.state, user_id: BENCH_USER_ID } });
        manager!.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: voice.server });
      });
      // Wait until every voice update reached its node (each player's op left the queue).
      while ([...manager!.sockets.values()].some((s) => s.queue.length > 0)) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    onPlayerUpdate(listener) {
      onUpdate = listener;
    },
    onTrackEvent(listener) {
      onTrack = listener;
    },
    async setVolume(guildId, volume) {
      await manager!.get(guildId)!.setVolume(volume);
    },
    async loadTracks(identifier) {
      const result = await manager!.load(identifier);
      switch (result.loadType) {
        case 'track':
          return 1;
        case 'playlist':
          return result.playlist.tracks.length;
        case 'search':
          return result.tracks.length;
        default:
          return 0;
      }
    },
    decodeVia: 'local decoder (manager.decode)',
    async loadAndDecode(identifier) {
      const result = await manager!.load(identifier);
      const tracks = result.loadType === 'playlist' ? result.playlist.tracks : result.loadType === 'search' ? result.tracks : result.loadType === 'track' ? [result.track] : [];
      const decoded = await manager!.decode(tracks.map((t) => t.encoded));
      return { tracks: tracks.length, decoded: decoded.length };
    },
    async play(guildId, identifier) {
      const result = await manager!.load(identifier);
      const track = result.loadType === 'track' ? result.track : result.loadType === 'search' ? result.tracks[0] : result.loadType === 'playlist' ? result.playlist.tracks[0] : undefined;
      if (!track) throw new Error(`nothing to play for ${identifier}`);
      await manager!.get(guildId)!.play(track);
    },
    async close() {
      await manager?.close();
    },
  };
}
