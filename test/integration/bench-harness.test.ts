/** The benchmark harness itself: a client that loses events cannot win. */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { summarise } from '../../bench/harness/report.js';
import { verifyFlood } from '../../bench/harness/verify.js';
import { guildIdsFor, runFlood } from '../../bench/scenarios/flood.js';
import { runRealistic } from '../../bench/scenarios/realistic.js';

describe('benchmark harness', () => {
  test('verifyFlood counts per guild against the flood rotation', () => {
    const guilds = guildIdsFor(3);
    assert.deepEqual(verifyFlood(7, guilds, 7, { [guilds[0]!]: 3, [guilds[1]!]: 2, [guilds[2]!]: 2 }, true), { ok: true, missing: 0, reason: null });
    const short = verifyFlood(7, guilds, 6, { [guilds[0]!]: 2, [guilds[1]!]: 2, [guilds[2]!]: 2 }, true);
    assert.equal(short.ok, false);
    assert.equal(short.missing, 1);
    assert.equal(verifyFlood(7, guilds, 6, {}, false).ok, false, 'totals only');
  });

  test('a run whose client dropped events on purpose is rejected; an honest one is not', async () => {
    const samples = await runFlood(
      { clients: ['ws-json', 'dropper'], rates: [2000], seconds: 0.5, reps: 1, guilds: 50, warmupSeconds: 0.2, collectTimeoutMs: 1000, eventEvery: 100 },
      () => {},
    );
    const rows = summarise(samples);
    const honest = rows.find((r) => r.client === 'ws-json')!;
    const dropper = rows.find((r) => r.client === 'dropper')!;
    assert.equal(honest.rejected, false);
    assert.equal(dropper.rejected, true);
    const honestSample = samples.find((s) => s.client === 'ws-json')!;
    assert.equal(honestSample.trackEventsSent, 10, 'every 100th of 1000 frames');
    assert.equal(honestSample.received, 1000, 'updates and track events');
    assert.equal(honestSample.trackLatency?.count, 10, 'each track event carried its send time');
    assert.ok(honestSample.measurement.rssPeakBytes >= honestSample.measurement.rssBytes, 'the peak is at least the RSS at the end');
    assert.equal(samples.find((s) => s.client === 'dropper')!.verdict.missing, 99, 'one in ten of the 990 playerUpdates');
  });
});

describe('benchmark scenarios', () => {
  test('realistic: an honest client passes the per-guild checks over several nodes; one that drops updates is rejected', async () => {
    const runs = await runRealistic(
      { clients: ['ws-json', 'dropper'], players: 40, nodes: 2, seconds: 0.6, reps: 1, updateIntervalMs: 100, trackMs: 300, warmupSeconds: 0, collectTimeoutMs: 1000 },
      () => {},
    );
    const honest = runs.find((r) => r.client === 'ws-json')!;
    const dropper = runs.find((r) => r.client === 'dropper')!;
    assert.equal(honest.failure, null);
    assert.deepEqual(honest.placement, [20, 20], 'ws-json places round-robin');
    assert.equal(honest.samples[0]!.verdict.ok, true, String(honest.samples[0]!.verdict.reason));
    assert.ok(honest.samples[0]!.trackEventsSent > 0, 'track changes were sent');
    assert.equal(dropper.samples[0]!.verdict.ok, false);
  });
});
