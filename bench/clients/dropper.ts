/**
 * A client that loses every tenth playerUpdate on purpose: the harness must reject its runs.
 * Used by the harness's own test, never in a published result.
 */
import wsJson from './ws-json.js';
import type { BenchClient } from './client.js';

export default function create(): BenchClient {
  const inner = wsJson();
  let seen = 0;
  return {
    ...inner,
    onPlayerUpdate(listener) {
      inner.onPlayerUpdate((guildId) => {
        if (++seen % 10 !== 0) listener(guildId);
      });
    },
  };
}
