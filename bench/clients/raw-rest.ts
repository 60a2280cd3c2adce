/** Sockets and REST for the raw `ws` clients (floor, ws-json): what a hand-written client does. */
import WebSocket from 'ws';
import type { BenchNode } from './client.js';

/** Opens a plain v4 socket and waits for `ready`; answers the socket and its session id. */
export async function openRaw(node: BenchNode, userId: string, clientName: string): Promise<{ ws: WebSocket; sessionId: string | null }> {
  const ws = new WebSocket(`ws://${node.host}:${node.port}/v4/websocket`, { headers: { Authorization: node.password, 'User-Id': userId, 'Client-Name': clientName } });
  const sessionId = await new Promise<string | null>((resolve, reject) => {
    ws.once('message', (data: Buffer) => resolve((JSON.parse(data.toString()) as { sessionId?: string }).sessionId ?? null));
    ws.once('error', reject);
  });
  return { ws, sessionId };
}

export function closeAll(sockets: readonly WebSocket[]): Promise<unknown> {
  return Promise.all(sockets.map((ws) => new Promise((resolve) => (ws.once('close', resolve), ws.close()))));
}

export interface RawRest {
  setVolume(guildId: string, volume: number): Promise<void>;
  loadTracks(identifier: string): Promise<number>;
  play(guildId: string, identifier: string): Promise<void>;
}

export function rawRest(node: () => BenchNode, sessionId: () => string | null): RawRest {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const n = node();
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
  const player = (guildId: string): string => `/v4/sessions/${sessionId()}/players/${guildId}`;
  return {
    async setVolume(guildId, volume) {
      await call('PATCH', player(guildId), { volume });
    },
    async loadTracks(identifier) {
      const { loadType, data } = await load(identifier);
      if (loadType === 'track') return 1;
      if (loadType === 'search') return (data as unknown[]).length;
      if (loadType === 'playlist') return (data as { tracks: unknown[] }).tracks.length;
      return 0;
    },
    async play(guildId, identifier) {
      const { loadType, data } = await load(identifier);
      const track = loadType === 'track' ? data : loadType === 'search' ? (data as unknown[])[0] : loadType === 'playlist' ? (data as { tracks: unknown[] }).tracks[0] : null;
      if (!track) throw new Error(`nothing to play for ${identifier}`);
      await call('PATCH', player(guildId), { track: { encoded: (track as { encoded: string }).encoded } });
    },
  };
}
