/**
 * The host's REST client against the real simulator, without a manager: what a call leaves behind
 * once it has settled, and what a slow node gets.
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, RestError } from '../../src/errors.js';
import { RestClient } from '../../src/host/rest-client.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { PASSWORD, until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

function client(t: TestContext, sim: LavalinkSimulator, timeoutMs: number): RestClient {
  const rest = new RestClient({ baseUrl: sim.url, password: PASSWORD, timeoutMs, clientName: 'lavathread-test' });
  t.after(() => rest.close());
  return rest;
}

/**
 * Timers made while `work` runs that are still alive (neither fired nor cleared). The set keeps
 * shrinking after the call as destroy hooks come in (they run a little after a timer is cleared).
 */
async function timersLeftBy(t: TestContext, work: () => Promise<void>): Promise<ReadonlySet<number>> {
  const alive = new Set<number>();
  let recording = true;
  const hook = createHook({
    init(id, type) {
      if (recording && type === 'Timeout') alive.add(id);
    },
    destroy(id) {
      alive.delete(id);
    },
  }).enable();
  t.after(() => hook.disable());
  try {
    await work();
  } finally {
    recording = false;
  }
  return alive;
}

describe('REST client', () => {
  test('a settled call leaves no timer running: each call clears its own timeout', async (t) => {
    const sim = await startSimulator(t);
    const rest = client(t, sim, 60_000);
    const left = await timersLeftBy(t, async () => {
      for (let i = 0; i < 20; i++) assert.equal(((await rest.request('GET', '/v4/info')) as { version: { semver: string } }).version.semver, sim.release.semver);
      // A failed call too.
      await assert.rejects(rest.request('GET', '/v4/sessions/nosuchsession/players'), (error: unknown) => error instanceof RestError && error.status === 404);
    });
    // A timeout timer that waits to fire would stay for the whole minute; a cleared one is gone at once.
    await until(() => left.size === 0, 5000, `the calls' timers to go (${left.size} left)`);
  });

  test('a node slower than the timeout gets a TimeoutError, and the answer that comes later is ignored', async (t) => {
    const sim = await startSimulator(t);
    const rest = client(t, sim, 200);
    sim.delayRest(600_000); // the simulator's close() drops the waiting answer
    await assert.rejects(rest.request('GET', '/v4/info'), { code: ErrorCode.Timeout });
    sim.delayRest(0);
    assert.ok(await rest.request('GET', '/v4/info'), 'the client works on after a timeout');
  });
});
