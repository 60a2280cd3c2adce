/** The benchmark's own arithmetic: verdicts, catch-up, memory per 1000 players, medians. */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { perThousand } from '../../bench/harness/memory-figures.js';
import { catchUpMs, stallOutcome, type StallObservations } from '../../bench/harness/stall-outcome.js';
import { median, spread, withSpread } from '../../bench/harness/stats.js';
import type { Summary } from '../../bench/harness/report.js';
import { floodTargets, targetsMet, targetsText } from '../../bench/harness/targets.js';
import { vsBestPeer } from '../../bench/harness/tables.js';
import { mergeCounts, verifyFloodMix, verifyPerGuild } from '../../bench/harness/verify.js';
import { guildIdsFor } from '../../bench/scenarios/flood.js';
import { sendAtMs } from '../../bench/scenarios/stall.js';

const MB = 1024 * 1024;

describe('bench figures', () => {
  test('verifyPerGuild rejects any guild that got less than it was sent, and allows extra', () => {
    assert.deepEqual(verifyPerGuild({ a: 2, b: 1 }, { a: 3, b: 1 }, 'playerUpdates'), { ok: true, missing: 0, reason: null });
    const short = verifyPerGuild({ a: 2, b: 1, c: 4 }, { a: 1, b: 1 }, 'track events');
    assert.equal(short.ok, false);
    assert.equal(short.missing, 5);
    assert.match(short.reason!, /5 track events lost over 2 guilds/);
  });

  test('verifyFloodMix checks each kind per guild exactly: a lost or an extra track event rejects the run', () => {
    const [a, b] = guildIdsFor(2) as [string, string];
    const sent = { frames: 10, updates: { [a]: 4, [b]: 4 }, trackStarts: { [a]: 1, [b]: 0 }, trackEnds: { [a]: 0, [b]: 1 } };
    const got = { received: 8, perGuild: { [a]: 4, [b]: 4 }, perGuildStart: { [a]: 1 }, perGuildEnd: { [b]: 1 } };
    assert.deepEqual(verifyFloodMix(sent, got, true), { ok: true, missing: 0, reason: null });
    const lostEnd = verifyFloodMix(sent, { ...got, perGuildEnd: {} }, true);
    assert.equal(lostEnd.ok, false);
    assert.equal(lostEnd.missing, 1);
    assert.match(lostEnd.reason!, /1 TrackEndEvents lost/);
    const swapped = verifyFloodMix(sent, { ...got, perGuildStart: { [b]: 1 } }, true);
    assert.equal(swapped.ok, false, 'a start counted for the wrong guild');
    assert.match(swapped.reason!, /more than sent/);
    assert.equal(verifyFloodMix(sent, { ...got, received: 9 }, false).ok, false, 'totals only: 9 of 10 frames');
  });

  test('mergeCounts adds the nodes’ per-guild counts', () => {
    assert.deepEqual(mergeCounts([{ a: 1, b: 2 }, { b: 3, c: 1 }, {}]), { a: 1, b: 5, c: 1 });
  });

  test('catch-up is the later of the last track event and the first fresh playerUpdate; never if either never came', () => {
    assert.equal(catchUpMs({ trackCaughtUpMs: 7, freshUpdateMs: 12 }), 12);
    assert.equal(catchUpMs({ trackCaughtUpMs: 30, freshUpdateMs: 2 }), 30);
    assert.equal(catchUpMs({ trackCaughtUpMs: null, freshUpdateMs: 2 }), null);
    assert.equal(catchUpMs({ trackCaughtUpMs: 1, freshUpdateMs: null }), null);
  });

  test('stall outcome: kept, lost, valid and the target', () => {
    const base: StallObservations = {
      report: { type: 'stalled', startedAt: 1000, endedAt: 6000, trackEvents: 200, trackCaughtUpMs: 5, freshUpdateMs: 9 },
      trackEventsSent: 200,
      sentFrom: 3000,
      sentUntil: 3010,
      heartbeatDrops: 0,
      sessionStillOpen: true,
    };
    assert.deepEqual(stallOutcome(base), { connectionKept: true, trackEventsSent: 200, trackEventsLost: 0, catchUpMs: 9, valid: true, metTarget: true });
    assert.equal(stallOutcome({ ...base, report: { ...base.report, freshUpdateMs: 25 } }).metTarget, false, 'over 20 ms');
    const dropped = stallOutcome({ ...base, heartbeatDrops: 1, report: { ...base.report, trackEvents: 150 } });
    assert.equal(dropped.connectionKept, false);
    assert.equal(dropped.trackEventsLost, 50);
    assert.equal(dropped.metTarget, false);
    assert.equal(stallOutcome({ ...base, sessionStillOpen: false }).connectionKept, false, 'a new session is a lost connection');
    assert.equal(stallOutcome({ ...base, sentUntil: 6001 }).valid, false, 'sent after the stall ended');
  });

  test('the stall sends its track events after a heartbeat drop and before the loop ends', () => {
    const heartbeat = { intervalMs: 250, timeoutMs: 1000 };
    assert.equal(sendAtMs(5000, heartbeat), 2000);
    assert.equal(sendAtMs(2000, heartbeat), 1600);
    assert.throws(() => sendAtMs(1500, heartbeat), /too short/);
  });

  test('perThousand: growth from the reading with no players, per 1000 players', () => {
    const readings = [
      { players: 0, rssBytes: 100 * MB, heapUsedBytes: 10 * MB },
      { players: 1000, rssBytes: 112 * MB, heapUsedBytes: 12 * MB },
      { players: 10_000, rssBytes: 150 * MB, heapUsedBytes: 30 * MB },
    ];
    assert.deepEqual(perThousand(readings), [
      { players: 1000, rssMb: 12, heapMb: 2 },
      { players: 10_000, rssMb: 5, heapMb: 2 },
    ]);
    assert.deepEqual(perThousand([]), []);
  });

  test('median, spread and the best peer', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.deepEqual(spread([3, 1, 2]), [1, 3]);
    assert.equal(withSpread([1, 2, 3], 1), '2.0 (1.0–3.0)');
    const rows = [
      { client: 'lavathread-worker', v: 5 },
      { client: 'shoukaku', v: 20 },
      { client: 'lavaclient', v: 10 },
      { client: 'lavalink-client', v: null },
      { client: 'ws-json', v: 1 },
    ];
    assert.deepEqual(vsBestPeer(rows, 'lavathread-worker', (r) => r.v), { ratio: 0.5, best: 10, peer: 'lavaclient' }, 'ws-json is no peer; a null figure does not count');
    assert.equal(vsBestPeer(rows, 'nobody', (r) => r.v), null);
  });

  test('flood targets: each figure against the best peer at its rate, met or missed, rejected runs and non-peers left out', () => {
    const row = (client: string, rate: number, f: Partial<Summary> = {}): Summary => ({
      client, rate, samples: 1, rejected: false, mainUs: 10, mainUsSpread: [10, 10], processUs: 10, rssMb: 80, elu: 0.1, delayP99Ms: 1, deliveredRate: rate, trackP50Ms: 1, trackP99Ms: 2, vsBestPeer: null, processVsBestPeer: null, ...f,
    });
    const rows = [
      row('lavathread-worker', 5000, { mainUs: 2, processUs: 12, rssMb: 95, elu: 0.01, trackP99Ms: 3.5 }),
      row('shoukaku', 5000, { mainUs: 10, processUs: 10, rssMb: 80 }),
      row('lavaclient', 5000, { mainUs: 1, rejected: true }),
      row('floor', 5000, { mainUs: 0.5, processUs: 1, rssMb: 10 }),
      row('lavathread-worker', 100000, { mainUs: 0.5, processUs: 13, rssMb: 110, elu: 0.05, trackP99Ms: 2 }),
      row('shoukaku', 100000, { mainUs: 4, processUs: 10, rssMb: 85, trackP99Ms: 1 }),
      row('aqualink', 100000, { mainUs: 6, processUs: 9, rssMb: 90, trackP99Ms: 5 }),
    ];
    const targets = floodTargets(rows);
    const cell = (figure: string, rate: number) => targets.find((t) => t.figure.startsWith(figure))!.cells.get(rate)!;
    assert.deepEqual(cell('main CPU, ratio', 5000), { text: '0.20x (met)', met: true }, 'the rejected lavaclient run and the floor are no best peer');
    assert.deepEqual(cell('main CPU, ratio', 100000), { text: '0.13x (missed)', met: false });
    assert.equal(cell('main ELU', 5000).met, null, 'ELU has a target at 100k/s only');
    assert.deepEqual(cell('main ELU', 100000), { text: '0.050 (0.100) (missed)', met: false });
    assert.deepEqual(cell('whole process', 5000), { text: '12.0 / 10.0 = 1.20x (met)', met: true });
    assert.deepEqual(cell('whole process', 100000), { text: '13.0 / 9.0 = 1.44x (missed)', met: false });
    assert.deepEqual(cell('peak RSS', 5000), { text: '95 / 80 (+15) (met)', met: true });
    assert.deepEqual(cell('peak RSS', 100000), { text: '110 / 85 (+25) (missed)', met: false });
    assert.deepEqual(cell('track event p99', 5000), { text: '3.50 (2.00) (missed)', met: false });
    assert.deepEqual(targetsMet(targets), { met: 4, of: 9 });
    assert.match(targetsText(targets), /^figure +5k\/s +100k\/s +target/);
  });
});
