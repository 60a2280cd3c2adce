/** The floor: a plain `ws` socket that only counts frames. No client can spend less. */
import WebSocket from 'ws';
import type { BenchClient, BenchNode } from './client.js';
import { rawRest } from './raw-rest.js';

export default function create(): BenchClient {
  const sockets: WebSocket[] = [];
  let onUpdate: (guildId: string) => void = () => {};
  let first: BenchNode | null = null;
  let sessionId: string | null = null;
  return {
    ...rawRest(() => first!, () => sessionId),
    protocol: 4,
    async connect(nodes, userId) {
      first = nodes[0] ?? null;
      for (const node of nodes) {
        const ws = new WebSocket(`ws://${node.host}:${node.port}/v4/websocket`, { headers: { Authorization: node.password, 'User-Id': userId, 'Client-Name': 'bench-floor/1' } });
        // No parsing: every frame counts, under one made-up guild (the first one, ready, is read
        // once for the session id the REST calls need).
        ws.once('message', (data: Buffer) => {
          if (node === nodes[0]) sessionId = (JSON.parse(data.toString()) as { sessionId?: string }).sessionId ?? null;
          ws.on('message', () => onUpdate(''));
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
    onTrackEvent() {},
    async close() {
      await Promise.all(sockets.map((ws) => new Promise((resolve) => (ws.once('close', resolve), ws.close()))));
    },
  };
}
