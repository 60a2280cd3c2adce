/**
 * `lavathread/prometheus`: a manager's metrics on a prom-client registry, read on every scrape
 * (one `manager.metrics()` reading serves all the metrics of a scrape), plus a histogram of REST
 * call durations fed by the `lavathread:rest` diagnostics channel. prom-client is an optional peer
 * dependency: only this entry point imports it.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { prometheusExporter } from 'lavathread/prometheus';
 * const exporter = prometheusExporter(manager);
 * createServer(async (req, res) => {
 *   res.setHeader('Content-Type', exporter.registry.contentType);
 *   res.end(await exporter.registry.metrics());
 * }).listen(9400);
 *
 * @module lavathread/prometheus
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { channels, type RestMessage } from './diagnostics.js';
import type { Manager } from './manager.js';
import type { ManagerMetrics } from './metrics/metrics.js';

/** Options of {@link prometheusExporter}. */
export interface PrometheusOptions {
  /** Where the metrics go. @default a new Registry */
  readonly registry?: Registry;
  /** Put before every metric name. @default 'lavathread_' */
  readonly prefix?: string;
  /** Upper bounds of the REST duration histogram, seconds. */
  readonly restBuckets?: readonly number[];
}

/** What {@link prometheusExporter} answers. */
export interface PrometheusExporter {
  /** The registry the metrics are on: serve `registry.metrics()` with `registry.contentType`. */
  readonly registry: Registry;
  /** Stops listening for REST calls and takes the metrics off the registry. */
  stop(): void;
}

/** A reading is shared by the metrics of one scrape: they are collected within this many ms. */
const READING_TTL_MS = 250;
const QUANTILES = [
  ['0.5', 'p50'],
  ['0.99', 'p99'],
  ['1', 'max'],
] as const;

/**
 * Puts `manager`'s metrics on a prom-client registry (a new one unless `options.registry`): the
 * figures of {@link lavathread!Manager.metrics | manager.metrics()} read at each scrape, and
 * `rest_request_duration_seconds`, a histogram of REST calls by node, method, route and status.
 * docs/observability.md lists every metric.
 */
export function prometheusExporter(manager: Manager, options: PrometheusOptions = {}): PrometheusExporter {
  const registry = options.registry ?? new Registry();
  const p = options.prefix ?? 'lavathread_';
  let cached: { at: number; reading: Promise<ManagerMetrics | null> } | null = null;
  const read = (): Promise<ManagerMetrics | null> => {
    const now = performance.now();
    if (cached === null || now - cached.at > READING_TTL_MS) cached = { at: now, reading: manager.metrics().catch(() => null) };
    return cached.reading;
  };
  const names: string[] = [];
  /** A gauge (or counter) whose values are set from a reading at each scrape; none when the manager is closed. */
  const fromReading = <L extends string>(kind: 'gauge' | 'counter', name: string, help: string, labelNames: readonly L[], set: (m: ManagerMetrics, put: (labels: Record<L, string>, value: number) => void) => void): void => {
    names.push(`${p}${name}`);
    const Metric = kind === 'gauge' ? Gauge : Counter;
    const metric: Gauge<L> | Counter<L> = new Metric<L>({
      name: `${p}${name}`,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        metric.reset();
        const m = await read();
        if (!m) return;
        set(m, (labels, value) => (metric instanceof Gauge ? metric.set(labels, value) : metric.inc(labels, value)));
      },
    });
  };
  const perNode = (name: string, help: string, value: (node: ManagerMetrics['nodes'][number]) => number, kind: 'gauge' | 'counter' = 'gauge'): void =>
    fromReading(kind, name, help, ['node'], (m, put) => m.nodes.forEach((n) => put({ node: n.id }, value(n))));
  const perWorker = (name: string, help: string, value: (worker: ManagerMetrics['workers'][number]) => number): void =>
    fromReading('gauge', name, help, ['thread'], (m, put) => m.workers.forEach((w) => put({ thread: String(w.threadId) }, value(w))));

  perNode('node_up', '1 when the node has a session open', (n) => (n.state === 'ready' ? 1 : 0));
  fromReading('gauge', 'node_state', 'The node state: 1 on the label of the current one', ['node', 'state'], (m, put) => {
    for (const n of m.nodes) for (const state of ['ready', 'connecting', 'disconnected', 'stopped']) put({ node: n.id, state }, n.state === state ? 1 : 0);
  });
  perNode('node_players', "This bot's players on the node", (n) => n.players);
  perNode('node_playing_players', "This bot's players playing on the node (a track, not paused)", (n) => n.playing);
  perNode('node_ping_seconds', 'WebSocket round trip to the node (-1: none yet)', (n) => (n.ping < 0 ? -1 : n.ping / 1000));
  perNode('node_penalties', 'Load score node selection uses (lower is better)', (n) => n.penalties);
  perNode('node_queued_ops', 'Ops sent and not yet taken by the node', (n) => n.queued);
  perNode('node_reconnects_total', 'Connections lost that a reconnect followed', (n) => n.reconnects, 'counter');
  perNode('node_failovers_total', 'Players moved off the node by failover', (n) => n.failovers, 'counter');
  perNode('node_rest_calls_total', 'REST calls to the node', (n) => n.restCalls, 'counter');
  perNode('node_rest_errors_total', 'REST calls to the node that failed', (n) => n.restErrors, 'counter');
  perNode('node_server_players', "The node's own player count (every client's)", (n) => n.stats.players);
  perNode('node_server_playing_players', "The node's own playing players (every client's)", (n) => n.stats.playingPlayers);
  perNode('node_server_lavalink_load', "The node's process CPU load, 0..1", (n) => n.stats.cpu.lavalinkLoad);
  perNode('node_server_system_load', "The node's machine CPU load, 0..1", (n) => n.stats.cpu.systemLoad);
  perNode('node_server_memory_used_bytes', "The node's JVM memory in use", (n) => n.stats.memory.used);
  perNode('node_server_uptime_seconds', 'How long the node has run', (n) => n.stats.uptime / 1000);
  perNode('node_server_frame_deficit', 'Audio frames missing in the last minute (-1: nothing playing)', (n) => n.stats.frameStats?.deficit ?? -1);
  fromReading('gauge', 'node_info', 'Each node with its protocol version and hosting thread (value 1)', ['node', 'version', 'thread'], (m, put) => {
    for (const n of m.nodes) put({ node: n.id, version: String(n.version ?? 'unknown'), thread: n.threadId === null ? 'main' : String(n.threadId) }, 1);
  });

  perWorker('worker_event_loop_utilization', "Share of the time the worker thread's event loop was busy since the last scrape", (w) => w.utilization);
  fromReading('gauge', 'worker_event_loop_delay_seconds', "The worker thread's event-loop delay over the last 10 s", ['thread', 'quantile'], (m, put) => {
    for (const w of m.workers) for (const [quantile, key] of QUANTILES) put({ thread: String(w.threadId), quantile }, w.delay[key] / 1000);
  });
  perWorker('worker_heap_used_bytes', "The worker thread's V8 heap in use", (w) => w.heapUsed);
  perWorker('worker_events_per_second', 'Events the main thread received from the worker thread per second', (w) => w.eventsPerSecond);
  perWorker('worker_batches_per_second', 'Batches (main-thread wake-ups) from the worker thread per second', (w) => w.batchesPerSecond);
  perWorker('worker_sockets', 'Sockets the worker thread hosts', (w) => w.sockets.length);

  fromReading('gauge', 'main_event_loop_utilization', "Share of the time the main thread's event loop was busy since the last scrape", [], (m, put) => put({}, m.mainThread.utilization));
  fromReading('gauge', 'main_event_loop_delay_seconds', "The main thread's event-loop delay over the last 10 s", ['quantile'], (m, put) => {
    for (const [quantile, key] of QUANTILES) put({ quantile }, m.mainThread.delay[key] / 1000);
  });
  fromReading('counter', 'events_received_total', 'Events the main thread received from the socket hosts (each playerUpdate counted)', [], (m, put) => put({}, m.events.total));
  fromReading('counter', 'batches_received_total', 'Event batches the main thread received', [], (m, put) => put({}, m.events.batches));
  fromReading('counter', 'event_bytes_received_total', 'Bytes of the event batches the main thread received', [], (m, put) => put({}, m.events.bytes));

  const restName = `${p}rest_request_duration_seconds`;
  names.push(restName);
  const rest = new Histogram<'node' | 'method' | 'route' | 'status'>({
    name: restName,
    help: 'REST calls to the nodes by route template and status (0: no answer)',
    labelNames: ['node', 'method', 'route', 'status'],
    buckets: [...(options.restBuckets ?? [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])],
    registers: [registry],
  });
  const onRest = (message: unknown): void => {
    const call = message as RestMessage;
    if (call.manager === manager) rest.observe({ node: call.socketId, method: call.method, route: call.route, status: String(call.status) }, call.durationMs / 1000);
  };
  channels.rest.subscribe(onRest);

  return {
    registry,
    stop() {
      channels.rest.unsubscribe(onRest);
      for (const name of names) registry.removeSingleMetric(name);
    },
  };
}
