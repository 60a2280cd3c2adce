/** Starts a simulator for one test and closes it when the test ends. */
import type { TestContext } from 'node:test';
import { LavalinkSimulator, type SimulatorOptions } from '../../src/testing/index.js';

export async function startSimulator(t: TestContext, options: SimulatorOptions = {}): Promise<LavalinkSimulator> {
  const sim = new LavalinkSimulator(options);
  t.after(() => sim.close());
  await sim.start();
  return sim;
}
