/**
 * The reason lavathread exists: a main thread that stalls for seconds. The simulator drops any
 * client that misses a pong for 1 s. In a worker the connection answers pings on its own thread.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import type { LavalinkMessage } from '../../src/index.js';
import { createManager, transports, USER_ID } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulatorProcess } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';

function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // the main thread is stuck: no timers, no I/O
  }
}

describe('a 3 s main-thread stall against a node that drops clients missing a pong for 1 s', () => {
  for (const transport of transports) {
    test(`${transport} transport: ${transport === 'worker' ? 'keeps the connection and every track event' : 'is dropped'}`, async (t) => {
      // The node runs in its own process: a stall of this thread must not stall it too.
      const sim = await startSimulatorProcess(t, ['--heartbeat-interval', '200', '--heartbeat-timeout', '1000', '--player-update-interval', '250']);
      const manager = createManager(t, transport, [{ id: 'main', host: '127.0.0.1', port: sim.port, password: 'youshallnotpass', version: 4 }], {
        // The client's own dead-peer check must not be what cuts the connection here.
        defaultSocketOptions: { retryDelay: 50, maxRetryDelay: 500, pingInterval: 10_000, deadAfter: 60_000 },
      });
      const closes: number[] = [];
      const trackEvents: string[] = [];
      manager.on('socketClose', (_s, code) => closes.push(code));
      manager.on('raw', (_s, message: LavalinkMessage) => {
        if (message.op === 'event') trackEvents.push(String(message.type));
      });
      const socket = manager.init(USER_ID).sockets.get('main')!;
      await socket.onReady();
      const load = (await socket.rest('GET', '/v4/loadtracks?identifier=sim%3Atrack%3Flength%3D1500')) as { data: { encoded: string } };
      await socket.send({ op: 'voiceUpdate', guildId: GUILD, sessionId: 's', event: { token: 't', guild_id: GUILD, endpoint: 'e' }, channelId: '2' });
      await socket.send({ op: 'play', guildId: GUILD, track: load.data.encoded });

      busy(3000); // the track starts and ends while the main thread is stuck

      if (transport === 'worker') {
        await until(() => trackEvents.includes('TrackEndEvent'), 5000, 'the buffered track events');
        assert.deepEqual(closes, [], 'the connection never closed');
        assert.deepEqual(trackEvents, ['TrackStartEvent', 'TrackEndEvent'], 'every track event, once');
        assert.equal(socket.connected, true);
        assert.equal((await sim.control('GET', 'handshakes')).length, 1, 'one connection all along');
      } else {
        await until(() => closes.length > 0, 5000, 'the drop to be noticed');
        assert.equal(closes[0], 1006, 'the node cut the stalled client off');
        await until(() => socket.connected, 5000, 'the reconnect');
        assert.ok((await sim.control('GET', 'handshakes')).length >= 2, 'it had to connect again');
      }
    });
  }
});
