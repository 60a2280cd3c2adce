/** Plain `ws` + JSON.parse: what any client must at least do on its main thread. */
import { floodSentAt, type BenchClient } from './client.js';
import { rawClient } from './raw-rest.js';

export default function create(): BenchClient {
  return rawClient('bench-ws-json/1', (ws, sink) =>
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { op: string; guildId?: string; type?: string; state?: { position?: number }; track?: { info?: { uri?: string | null } } };
      if (frame.op === 'playerUpdate') sink.update(frame.guildId!, frame.state?.position);
      else if (frame.op === 'event') sink.track(frame.guildId!, frame.type!, floodSentAt(frame.track?.info?.uri));
    }),
  );
}
