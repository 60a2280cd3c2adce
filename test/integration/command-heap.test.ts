/**
 * A command leaves nothing behind on the main thread: each one used to hang a reaction on its
 * worker's never-settling `done` promise, ~570 B of heap per command for the worker's whole life.
 * The soak with 100,000 commands per transport and protocol is bench/command-heap.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { measureCommandHeap } from '../../bench/harness/command-heap.js';
import { transports } from '../helpers/manager.js';
import { startSimulatorProcess } from '../helpers/simulator.js';

/** Far above the noise of a forced-GC heap reading (~1 MB here), far below the old leak (~17 MB). */
const LIMIT_BYTES_PER_COMMAND = 100;

describe('main-thread heap per command', () => {
  for (const transport of transports) {
    test(`${transport}: 30,000 commands retain less than ${LIMIT_BYTES_PER_COMMAND} B each after forced GC`, async (t) => {
      const sim = await startSimulatorProcess(t, ['--protocol', '3', '--no-record']);
      const result = await measureCommandHeap({ port: sim.port, protocol: 3, workers: transport === 'worker' ? 1 : 0, commands: 30_000 });
      assert.ok(
        result.retainedBytesPerCommand < LIMIT_BYTES_PER_COMMAND,
        `${result.retainedBytesPerCommand.toFixed(1)} B per command (heap ${result.baselineHeap} -> ${result.finalHeap})`,
      );
    });
  }
});
