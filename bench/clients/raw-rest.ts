/** Sockets and REST for the raw `ws` clients (floor, ws-json): what a hand-written client does. */
import WebSocket from 'ws';
import { fakeVoice, type BenchClient, type BenchNode } from './client.js';

/** A node's socket session, as a raw client holds it. */
interface RawSession {
  readonly node: BenchNode;
  readonly sessionId: string | null;
}

/** Where a raw client's frame handler reports what its players received. */
export interface RawSink {
  update(guildId: string, position?: number): void;
  track(guildId: string, type: string, sentAt?: number): void;
}

/**
 * A hand-written v4 client: a socket per node, players made and driven by REST. `listen` is all
 * the raw clients differ in: what each frame costs them.
 */
export function rawClient(clientName: string, listen: (ws: WebSocket, sink: RawSink) => void): BenchClient {
  const sockets: WebSocket[] = [];
  const sessions: RawSession[] = [];
  /** The session each guild's player was made on: its commands go there. */
  const placed = new Map<string, RawSession>();
  const sink: RawSink = { update: () => {}, track: () => {} };
  return {
    ...rawRest((guildId) => (guildId === undefined ? undefined : placed.get(guildId)) ?? sessions[0]!),
    protocol: 4,
    async connect(nodes, userId) {
      for (const node of nodes) {
        const opened = await openRaw(node, userId, clientName);
        sessions.push({ node, sessionId: opened.sessionId });
        listen(opened.ws, sink);
        sockets.push(opened.ws);
      }
    },
    async createPlayers(guildIds) {
      await createRawPlayers(sessions, guildIds, placed);
    },
    onPlayerUpdate(listener) {
      sink.update = listener;
    },
    onTrackEvent(listener) {
      sink.track = listener;
    },
    async close() {
      await closeAll(sockets);
    },
  };
}

/** Opens a plain v4 socket and waits for `ready`; answers the socket and its session id. */
async function openRaw(node: BenchNode, userId: string, clientName: string): Promise<{ ws: WebSocket; sessionId: string | null }> {
  const ws = new WebSocket(`ws://${node.host}:${node.port}/v4/websocket`, { headers: { Authorization: node.password, 'User-Id': userId, 'Client-Name': clientName } });
  const sessionId = await new Promise<string | null>((resolve, reject) => {
    ws.once('message', (data: Buffer) => resolve((JSON.parse(data.toString()) as { sessionId?: string }).sessionId ?? null));
    ws.once('error', reject);
  });
  return { ws, sessionId };
}

function closeAll(sockets: readonly WebSocket[]): Promise<unknown> {
  return Promise.all(sockets.map((ws) => new Promise((resolve) => (ws.once('close', resolve), ws.close()))));
}

interface RawRest {
  setVolume(guildId: string, volume: number): Promise<void>;
  loadTracks(identifier: string): Promise<number>;
  loadAndDecode(identifier: string): Promise<{ tracks: number; decoded: number }>;
  readonly decodeVia: string;
  play(guildId: string, identifier: string): Promise<void>;
}

/** REST by hand: loads on the first node's session, player calls on the guild's own (`sessionFor`). */
function rawRest(sessionFor: (guildId?: string) => RawSession): RawRest {
  const call = async (method: string, path: string, body?: unknown, guildId?: string): Promise<unknown> => {
    const n = sessionFor(guildId).node;
    const res = await fetch(`http://${n.host}:${n.port}${path}`, {
      method,
      headers: { Authorization: n.password, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
    return res.json();
  };
  const load = async (identifier: string): Promise<{ loadType: string; data: unknown }> =>
    (await call('GET', `/v4/loadtracks?identifier=${encodeURIComponent(identifier)}`)) as { loadType: string; data: unknown };
  const player = (guildId: string): string => `/v4/sessions/${sessionFor(guildId).sessionId}/players/${guildId}`;
  return {
    async setVolume(guildId, volume) {
      await call('PATCH', player(guildId), { volume }, guildId);
    },
    async loadTracks(identifier) {
      const { loadType, data } = await load(identifier);
      if (loadType === 'track') return 1;
      if (loadType === 'search') return (data as unknown[]).length;
      if (loadType === 'playlist') return (data as { tracks: unknown[] }).tracks.length;
      return 0;
    },
    decodeVia: 'REST decodetracks (POST /v4/decodetracks by hand)',
    async loadAndDecode(identifier) {
      const { loadType, data } = await load(identifier);
      const tracks = (loadType === 'playlist' ? (data as { tracks: { encoded: string }[] }).tracks : loadType === 'search' ? (data as { encoded: string }[]) : loadType === 'track' ? [data as { encoded: string }] : []).map((t) => t.encoded);
      const decoded = (await call('POST', '/v4/decodetracks', tracks)) as unknown[];
      return { tracks: tracks.length, decoded: decoded.length };
    },
    async play(guildId, identifier) {
      const { loadType, data } = await load(identifier);
      const track = loadType === 'track' ? data : loadType === 'search' ? (data as unknown[])[0] : loadType === 'playlist' ? (data as { tracks: unknown[] }).tracks[0] : null;
      if (!track) throw new Error(`nothing to play for ${identifier}`);
      await call('PATCH', player(guildId), { track: { encoded: (track as { encoded: string }).encoded } }, guildId);
    },
  };
}

/**
 * Creates a player per guild by hand (a voice PATCH each, 64 at a time), round-robin over the
 * nodes' sessions, so a node has players to send its traffic to; `placed` learns where each went.
 */
async function createRawPlayers(sessions: readonly RawSession[], guildIds: readonly string[], placed: Map<string, RawSession>): Promise<void> {
  const firstIndex = placed.size;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < guildIds.length) {
      const i = next++;
      const guildId = guildIds[i]!;
      const session = sessions[(firstIndex + i) % sessions.length]!;
      const { node, sessionId } = session;
      const voice = fakeVoice(guildId, firstIndex + i);
      const res = await fetch(`http://${node.host}:${node.port}/v4/sessions/${sessionId}/players/${guildId}`, {
        method: 'PATCH',
        headers: { Authorization: node.password, 'Content-Type': 'application/json' },
        body: JSON.stringify({ voice: { token: voice.server['token'], endpoint: voice.server['endpoint'], sessionId: voice.state['session_id'], channelId: voice.state['channel_id'] } }),
      });
      if (!res.ok) throw new Error(`voice PATCH for ${guildId}: ${res.status}`);
      await res.arrayBuffer();
      placed.set(guildId, session);
    }
  };
  if (sessions.length === 0) return;
  await Promise.all(Array.from({ length: Math.min(64, guildIds.length) }, lane));
}
