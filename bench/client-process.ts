/**
 * One client under test, in its own process: `node --import tsx bench/client-process.ts`, driven
 * by the harness over IPC (harness/messages.ts). It counts what its players receive and measures
 * its own main thread while the harness floods it.
 */
import type { BenchClient, BenchClientFactory } from './clients/client.js';
import { startMeasuring } from './harness/measure.js';
import type { FromClient, ToClient } from './harness/messages.js';

let client: BenchClient | null = null;
let guilds: readonly string[] = [];
let received = 0;
let trackEvents = 0;
let perGuild = new Map<string, number>();
let stopMeasuring: (() => ReturnType<ReturnType<typeof startMeasuring>>) | null = null;
/** Set while collecting: called from the counter itself, so waiting costs no polling wake-ups. */
let onTarget: { expected: number; done(): void } | null = null;

const reply = (message: FromClient): void => void process.send!(message);

async function handle(message: ToClient): Promise<void> {
  switch (message.type) {
    case 'start': {
      if (!/^[a-z0-9-]+$/.test(message.client)) throw new Error(`bad client name ${message.client}`);
      const factory = ((await import(`./clients/${message.client}.ts`)) as { default: BenchClientFactory }).default;
      client = factory();
      client.onPlayerUpdate((guildId) => {
        received++;
        perGuild.set(guildId, (perGuild.get(guildId) ?? 0) + 1);
        if (onTarget && received >= onTarget.expected) onTarget.done();
      });
      client.onTrackEvent(() => trackEvents++);
      const started = performance.now();
      await client.connect(message.nodes, '170939974227541168');
      const connectMs = performance.now() - started;
      guilds = message.guilds;
      await client.createPlayers(message.guilds);
      return reply({ type: 'ready', connectMs });
    }
    case 'measure':
      received = 0;
      trackEvents = 0;
      perGuild = new Map();
      stopMeasuring = startMeasuring();
      return reply({ type: 'measuring' });
    case 'collect': {
      if (received < message.expected) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, message.timeoutMs);
          onTarget = { expected: message.expected, done: () => (clearTimeout(timer), resolve()) };
        });
        onTarget = null;
      }
      const measurement = stopMeasuring!();
      return reply({ type: 'result', received, perGuild: Object.fromEntries(perGuild), trackEvents, measurement });
    }
    case 'commands': {
      const latenciesMs: number[] = [];
      for (let i = 0; i < message.sequential; i++) {
        const started = performance.now();
        await client!.setVolume(guilds[i % guilds.length]!, 1 + (i % 1000));
        latenciesMs.push(performance.now() - started);
      }
      const burstStarted = performance.now();
      await Promise.all(guilds.map((guildId, i) => client!.setVolume(guildId, 1 + (i % 1000))));
      return reply({ type: 'commands', latenciesMs, burstMs: performance.now() - burstStarted, burstSize: guilds.length });
    }
    case 'stop':
      await client?.close();
      process.disconnect();
      return;
  }
}

process.on('message', (message: ToClient) => {
  handle(message).catch((error: unknown) => {
    reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});
