/** The floor: a plain `ws` socket that only counts frames. No client can spend less. */
import type { BenchClient } from './client.js';
import { rawClient } from './raw-rest.js';

export default function create(): BenchClient {
  // No parsing: every frame counts, under one made-up guild.
  return rawClient('bench-floor/1', (ws, sink) => ws.on('message', () => sink.update('')));
}
