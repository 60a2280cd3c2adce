/**
 * Player regressions, each named after what broke, through both transports and both protocols.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import type { Track, TrackEndReason } from '../../src/index.js';
import { createManager, nodeFor, protocols, transports, USER_ID, waitFor } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';

for (const transport of transports) {
  for (const protocol of protocols) {
    describe(`player regressions, ${transport} transport, v${protocol}`, () => {
      test('playing the track that plays again keeps it: a replaced end never clears the current track', async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim)]);
        manager.init(USER_ID);
        await manager.sockets.get('main')!.onReady();
        const result = await manager.load('sim:track?length=600000');
        assert.equal(result.loadType, 'track');
        const track = result.track;
        const player = manager.create(GUILD);
        const started = waitFor(manager, 'trackStart');
        await player.play(track);
        await started;
        // What a restore does: the same track again, further in.
        const replaced = new Promise<[Track | null, TrackEndReason]>((resolve) => player.once('trackEnd', (p, _t, reason) => resolve([p.track, reason])));
        await player.play(track, { startTime: 1000 });
        const [current, reason] = await replaced;
        assert.equal(reason, 'replaced');
        assert.equal(current?.encoded, track.encoded, 'the player still holds its track');
        await player.seek(2000); // threw "not playing anything to seek in" when the end cleared it
        await until(() => (sim.players().find((p) => p.guildId === GUILD)?.position ?? 0) >= 2000, 3000, 'the seek on the node');
      });
    });
  }
}
