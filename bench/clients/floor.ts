/** The floor: a plain `ws` socket that only counts frames. No client can spend less. */
import type WebSocket from 'ws';
import type { BenchClient, BenchNode } from './client.js';
import { closeAll, createRawPlayers, openRaw, rawRest } from './raw-rest.js';

export default function create(): BenchClient {
  const sockets: WebSocket[] = [];
  let onUpdate: (guildId: string) => void = () => {};
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
        const opened = await openRaw(node, userId, 'bench-floor/1');
        if (node === first) sessionId = opened.sessionId;
        sessions.push({ node, sessionId: opened.sessionId });
        // No parsing: every frame counts, under one made-up guild.
        opened.ws.on('message', () => onUpdate(''));
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
    onTrackEvent() {},
    async close() {
      await closeAll(sockets);
    },
  };
}
