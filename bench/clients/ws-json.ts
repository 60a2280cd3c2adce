/** Plain `ws` + JSON.parse: what any client must at least do on its main thread. */
import type WebSocket from 'ws';
import type { BenchClient, BenchNode } from './client.js';
import { closeAll, openRaw, rawRest } from './raw-rest.js';

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
        const opened = await openRaw(node, userId, 'bench-ws-json/1');
        if (node === first) sessionId = opened.sessionId;
        opened.ws.on('message', (data: Buffer) => {
          const frame = JSON.parse(data.toString()) as { op: string; guildId?: string; type?: string };
          if (frame.op === 'playerUpdate') onUpdate(frame.guildId!);
          else if (frame.op === 'event') onTrack(frame.guildId!, frame.type!);
        });
        sockets.push(opened.ws);
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
      await closeAll(sockets);
    },
  };
}
