/** FilterPresets: each one taken by v4 and v3 nodes through `setFilters`, over both transports. */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { FilterPresets, type FilterPresetName } from '../../src/index.js';
import { createManager, nodeFor, transports, USER_ID } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILD = '1000000000000000001';

describe('FilterPresets', () => {
  test('are frozen all the way down: a preset is shared', () => {
    assert.ok(Object.isFrozen(FilterPresets));
    assert.ok(Object.isFrozen(FilterPresets.bassBoost.equalizer));
    assert.ok(Object.isFrozen(FilterPresets.bassBoost.equalizer[0]));
    assert.throws(() => {
      (FilterPresets.nightcore.timescale as { speed: number }).speed = 2;
    }, TypeError);
  });

  for (const transport of transports) {
    for (const protocol of [4, 3] as const) {
      test(`${transport} transport, v${protocol}: the node takes each preset as it is, and one spread over others keeps them`, async (t) => {
        const sim = await startSimulator(t, { protocol });
        const manager = createManager(t, transport, [nodeFor(sim)]);
        manager.init(USER_ID);
        await manager.sockets.get('main')!.onReady();
        const player = manager.create(GUILD);
        const onNode = () => sim.players().find((p) => p.guildId === GUILD)?.filters;
        for (const name of Object.keys(FilterPresets) as FilterPresetName[]) {
          await player.setFilters(FilterPresets[name]);
          await until(() => JSON.stringify(onNode()) === JSON.stringify(FilterPresets[name]), 3000, `the node to have ${name}`);
          assert.deepEqual(player.filters, FilterPresets[name]);
        }
        await player.setFilters({ volume: 0.8, ...FilterPresets.nightcore });
        await until(() => JSON.stringify(onNode()) === JSON.stringify({ volume: 0.8, ...FilterPresets.nightcore }), 3000, 'the node to have nightcore with the volume');
      });
    }
  }
});
