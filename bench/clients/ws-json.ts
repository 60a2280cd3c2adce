/** Plain `ws` + JSON.parse: what any client must at least do on its main thread. */
import WebSocket from 'ws';
import type { BenchClient, BenchNode } from './client.js';
import { rawRest } from './raw-rest.js';

export default function create(): BenchClient {
  const sockets: WebSocket[] = [];
  let onUpdate: (guildId: string) => void = () => {};
  let onTrack: (guildId: string, type: string) => void = () => {};
  let first: BenchNode | null = null;
  let sessionId: string | null = null;
  return {
    ...rawRest(() => first!, () => sessionId),
    protocol: 4,
    async connect(nodes, userId) {
      first = nodes[0] ?? null;
      for (const node of nodes) {
        const ws = new WebSocket(`ws://${node.host}:${node.port}/v4/websocket`, { headers: { Authorization: node.password, 'User-Id': userId, 'Client-Name': 'bench-ws-json/1' } });
        ws.on('message', (data: Buffer) => {
          const frame = JSON.parse(data.toString()) as { op: string; guildId?: string; type?: string; sessionId?: string };
          if (frame.op === 'playerUpdate') onUpdate(frame.guildId!);
          else if (frame.op === 'event') onTrack(frame.guildId!, frame.type!);
          else if (frame.op === 'ready' && node === nodes[0]) sessionId = frame.sessionId!;
        });
        // Usable once the node's `ready` came (its session id is in it).
        await new Promise<void>((resolve, reject) => {
          ws.once('message', () => resolve());
          ws.once('error', reject);
        });
        sockets.push(ws);
      }
    },
    async createPlayers() {},
    onPlayerUpdate(listener) {
      onUpdate = listener;
    },
    onTrackEvent(listener) {
      onTrack = listener;
    },
    async close() {
      await Promise.all(sockets.map((ws) => new Promise((resolve) => (ws.once('close', resolve), ws.close()))));
    },
  };
}
