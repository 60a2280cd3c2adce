/** The floor: a plain `ws` socket that only counts frames. No client can spend less. */
import WebSocket from 'ws';
import type { BenchClient } from './client.js';

export default function create(): BenchClient {
  const sockets: WebSocket[] = [];
  let onUpdate: (guildId: string) => void = () => {};
  return {
    protocol: 4,
    async connect(nodes, userId) {
      for (const node of nodes) {
        const ws = new WebSocket(`ws://${node.host}:${node.port}/v4/websocket`, { headers: { Authorization: node.password, 'User-Id': userId, 'Client-Name': 'bench-floor/1' } });
        // No parsing: every frame counts, under one made-up guild.
        ws.on('message', () => onUpdate(''));
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
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
