/** With sockets in workers, the bot's main thread never loads the network libraries they use. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, test } from '../helpers/node-test.js';
import { startSimulatorProcess } from '../helpers/simulator.js';

const fixture = fileURLToPath(new URL('../fixtures/main-thread-modules.ts', import.meta.url));

async function librariesLoaded(port: number, workers: number, t: Parameters<typeof startSimulatorProcess>[0]): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(port), String(workers)], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0);
  return JSON.parse(out.trim()) as string[];
}

describe('main-thread modules', () => {
  test('workers: 1: neither ws nor undici is loaded on the main thread', async (t) => {
    const sim = await startSimulatorProcess(t);
    assert.deepEqual(await librariesLoaded(sim.port, 1, t), []);
  });

  test('workers: 0 (the check sees them when they are there)', async (t) => {
    const sim = await startSimulatorProcess(t);
    assert.deepEqual(await librariesLoaded(sim.port, 0, t), ['ws', 'undici']);
  });
});
