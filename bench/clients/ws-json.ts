/** Plain `ws` + JSON.parse: what any client must at least do on its main thread. */
import type WebSocket from 'ws';
import type { BenchClient, BenchNode } from './client.js';
import { closeAll, createRawPlayers, openRaw, rawRest } from './raw-rest.js';

export default function create(): BenchClient {
  const sockets: WebSocket[] = [];
  let onUpdate: (guildId: string, position?: number) => void = () => {};
  let onTrack: (guildId: string, type: string) => void = () => {};
  let first: BenchNode | null = null;
  let sessionId: string | null = null;
  const sessions: { node: BenchNode; sessionId: string | null }[] = [];
  let created = 0;
  return {
    ...rawRest(() => first!, () => sessionId),
    protocol: 4,
    async connect(nodes, userId) {
      first = nodes[0] ?? null;
      for (const node of nodes) {
        const opened = await openRaw(node, userId, 'bench-ws-json/1');
        if (node === first) sessionId = opened.sessionId;
        sessions.push({ node, sessionId: opened.sessionId });
        opened.ws.on('message', (data: Buffer) => {
          const frame = JSON.parse(data.toString()) as { op: string; guildId?: string; type?: string; state?: { position?: number } };
          if (frame.op === 'playerUpdate') onUpdate(frame.guildId!, frame.state?.position);
          else if (frame.op === 'event') onTrack(frame.guildId!, frame.type!);
        });
        sockets.push(opened.ws);
      }
    },
    async createPlayers(guildIds) {
      await createRawPlayers(sessions, guildIds, created);
      created += guildIds.length;
    },
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
