/**
 * `lavathread/prometheus`: a real HTTP scrape of the exporter while the simulator floods; the
 * figures read must be the ones the simulator sent and the bot made.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from '../helpers/node-test.js';
import { prometheusExporter } from '../../src/prometheus.js';
import { createManager, fastOptions, nodeFor, USER_ID } from '../helpers/manager.js';
import { until } from '../helpers/raw-client.js';
import { startSimulator } from '../helpers/simulator.js';

const GUILDS = ['1000000000000000001', '1000000000000000002', '1000000000000000003'];

/** `name{labels} value` lines of a scrape, keyed by `name{labels}` as written. */
function parse(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    values.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return values;
}

/** Scrapes until `check` holds (bounded): what the host reports rides with its next batch. */
async function scrapeUntil(scrape: () => Promise<Map<string, number>>, check: (seen: Map<string, number>) => boolean, what: string): Promise<Map<string, number>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const seen = await scrape();
    if (check(seen)) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const restPlays = (seen: Map<string, number>): number =>
  [...seen].find(([k]) => k.startsWith('lavathread_rest_request_duration_seconds_count') && k.includes('route="/v4/sessions/:sessionId/players/:guildId"') && k.includes('method="PATCH"') && k.includes('status="200"'))?.[1] ?? 0;
const workerRate = (seen: Map<string, number>): number => [...seen].find(([k]) => k.startsWith('lavathread_worker_events_per_second'))?.[1] ?? 0;

describe('Prometheus exporter', () => {
  test('a scrape over HTTP during a flood reports nodes, the worker thread, events and REST calls as they were', async (t) => {
    const sim = await startSimulator(t, { statsIntervalMs: 600_000, playerUpdateIntervalMs: 600_000 });
    const manager = createManager(t, 'worker', [nodeFor(sim, 'a')], { defaultSocketOptions: { ...fastOptions, pingInterval: 60_000, deadAfter: 120_000 } });
    const exporter = prometheusExporter(manager);
    t.after(() => exporter.stop());
    const server = createServer((_req, res) => {
      exporter.registry.metrics().then(
        (body) => {
          res.setHeader('Content-Type', exporter.registry.contentType);
          res.end(body);
        },
        (error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const scrape = async (): Promise<Map<string, number>> => {
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
      return parse(await res.text());
    };

    manager.init(USER_ID);
    await manager.sockets.get('a')!.onReady();
    const players = GUILDS.map((guild) => manager.create(guild));
    const loaded = await manager.load('sim:track?length=600000');
    await players[0]!.play(loaded.loadType === 'track' ? loaded.track : '');
    const before = await scrapeUntil(scrape, (seen) => restPlays(seen) >= 1, 'the play in the REST histogram');
    assert.equal(before.get('lavathread_node_up{node="a"}'), 1);
    assert.equal(before.get('lavathread_node_players{node="a"}'), 3);
    assert.equal(before.get('lavathread_node_playing_players{node="a"}'), 1);
    assert.equal(before.get('lavathread_node_state{node="a",state="ready"}'), 1);
    assert.equal([...before].find(([k]) => k.startsWith('lavathread_worker_sockets{'))?.[1], 1);
    assert.ok(![...before.keys()].some((k) => k.includes(sim.options.password)), 'never the password');

    let updates = 0;
    manager.on('playerUpdate', () => updates++);
    const flooding = sim.flood({ rate: 20_000, guilds: GUILDS.length, durationMs: 1500, guildIds: GUILDS });
    // Scrapes while the flood runs: the worker's rate shows it.
    await scrapeUntil(scrape, (seen) => workerRate(seen) > 0, 'a scrape showing the flood');
    const flood = await flooding;
    await until(() => updates >= flood.frames, 10_000, 'every flooded update');
    const after = await scrape();
    const total = (m: Map<string, number>): number => m.get('lavathread_events_received_total')!;
    assert.equal(total(after) - total(before), flood.frames, 'events received = frames the simulator sent');
    assert.ok(after.get('lavathread_batches_received_total')! > before.get('lavathread_batches_received_total')!);
    assert.ok([...after].some(([k, v]) => k.startsWith('lavathread_worker_heap_used_bytes') && v > 0));
    assert.ok([...after].some(([k, v]) => k.startsWith('lavathread_main_event_loop_delay_seconds{quantile="0.99"}') && v >= 0));
    const utilisation = after.get('lavathread_main_event_loop_utilization')!;
    assert.ok(utilisation > 0 && utilisation <= 1);

    exporter.stop();
    assert.equal((await exporter.registry.getMetricsAsJSON()).length, 0, 'stop() takes every metric off the registry');
  });
});
