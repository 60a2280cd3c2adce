/**
 * `manager.metrics()`: one reading of a bot's Lavalink side. Per node what the main thread knows
 * (state, players, ping, penalties, counters); per worker thread what the thread says of itself
 * (one `thread()` call per socket, answers of one thread merged) plus the event traffic the main
 * thread received from it; and the main thread's own loop. Rates cover the time since the
 * previous reading of the same manager (since the first socket started, for the first one).
 */
import { performance } from 'node:perf_hooks';
import type { ThreadReport } from '../ipc/control.js';
import type { NodeStats } from '../protocol/messages.js';
import type { Player } from '../player.js';
import type { Socket } from '../socket.js';
import type { Traffic } from '../transport/event-receiver.js';
import type { WorkerLink } from '../transport/worker-link.js';
import { LoopProbe, type LoopDelay, type LoopTime } from './loop-probe.js';

/** How long a thread may take to answer before a reading leaves it out, ms. */
const THREAD_TIMEOUT_MS = 2000;

/** A node's state in a reading (see {@link NodeMetrics.state}). */
export type NodeMetricsState = 'ready' | 'connecting' | 'disconnected' | 'stopped';

/** One node in a {@link ManagerMetrics} reading. */
export interface NodeMetrics {
  /** The node's id (its socket's). */
  readonly id: string;
  /** `ready`: a session is open; `connecting`: the WebSocket is open, no session yet; `stopped`: given up for good. */
  readonly state: NodeMetricsState;
  /** The node's protocol version; null before it is known. */
  readonly version: 3 | 4 | null;
  /** This manager's players on the node. */
  readonly players: number;
  /** Those of them playing: a track, not paused. */
  readonly playing: number;
  /** WebSocket round trip, ms; -1 before the first ping. */
  readonly ping: number;
  /** The load score node selection uses (lower is better; `Number.MAX_SAFE_INTEGER` when not ready). */
  readonly penalties: number;
  /** Ops sent and not yet taken by the node. */
  readonly queued: number;
  /** Connections lost that a reconnect followed. */
  readonly reconnects: number;
  /** Players moved off this node by failover. */
  readonly failovers: number;
  /** REST calls to the node that ended. */
  readonly restCalls: number;
  /** REST calls that failed (an error status, no answer, a timeout). */
  readonly restErrors: number;
  /** The code of the last error the node's socket reported, or null. */
  readonly lastErrorCode: string | null;
  /** The worker thread hosting the socket; null with `workers: 0` or when it did not answer. */
  readonly threadId: number | null;
  /** The node's own latest stats (all its players, not only this bot's). */
  readonly stats: NodeStats;
}

/** One worker thread in a {@link ManagerMetrics} reading. */
export interface WorkerMetrics {
  /** The thread's id (`worker_threads.threadId` inside it). */
  readonly threadId: number;
  /** Ids of the sockets the thread hosts. */
  readonly sockets: readonly string[];
  /** Share of the time since the previous reading its event loop was busy, 0..1. */
  readonly utilization: number;
  /** Its event-loop delay over the last 10 s window, ms (from the first reading on). */
  readonly delay: LoopDelay;
  /** Events (each playerUpdate counted) and batches the main thread received from it, per second. */
  readonly eventsPerSecond: number;
  /** Batches (main-thread wake-ups) from it per second. */
  readonly batchesPerSecond: number;
  /** Its V8 heap in use, bytes. */
  readonly heapUsed: number;
  /** Its V8 heap's size, bytes. */
  readonly heapTotal: number;
}

/**
 * One reading of a manager's Lavalink side (`manager.metrics()`). Rates and utilisation cover
 * the time since the previous reading of the same manager.
 */
export interface ManagerMetrics {
  /** When the reading was taken (epoch ms). */
  readonly at: number;
  /** Where the sockets run: worker threads, or the main thread (`workers: 0`). */
  readonly transport: 'worker' | 'inline';
  /** Every node the manager was given, in order. */
  readonly nodes: readonly NodeMetrics[];
  /** Every worker thread hosting a socket (none with `workers: 0`). */
  readonly workers: readonly WorkerMetrics[];
  /** The main thread's own event loop. */
  readonly mainThread: {
    /** Share of the time its event loop was busy since the previous reading, 0..1. */
    readonly utilization: number;
    /** Over the last 10 s window, from the first reading on. */
    readonly delay: LoopDelay;
  };
  /** Everything the main thread received from the hosts: totals since start, and rates. */
  readonly events: {
    /** Events received (each playerUpdate counted). */
    readonly total: number;
    /** Batches received: main-thread wake-ups for events. */
    readonly batches: number;
    /** Bytes of those batches. */
    readonly bytes: number;
    /** Events per second since the previous reading. */
    readonly perSecond: number;
    /** Batches per second since the previous reading. */
    readonly batchesPerSecond: number;
  };
}

/** What a reading needs from the manager. */
export interface MetricsSource {
  readonly transport: 'worker' | 'inline';
  /** Every socket the manager made, with whether it stopped for good and its current link. */
  sockets(): Iterable<{ readonly socket: Socket; readonly stopped: boolean; readonly link: WorkerLink | null }>;
  players(): Iterable<Player>;
  /** The transport's traffic; null before the first socket started. */
  traffic(): Readonly<Traffic> | null;
}

interface Previous {
  readonly at: number;
  readonly total: Traffic;
  readonly main: LoopTime;
  /** Per thread: its loop time and the traffic of its sockets at the last reading. */
  readonly threads: Map<number, { loop: LoopTime; events: number; batches: number }>;
}

const utilization = (now: LoopTime, before: LoopTime | undefined): number => {
  const active = now.active - (before?.active ?? 0);
  const idle = now.idle - (before?.idle ?? 0);
  return active + idle > 0 ? Math.min(1, Math.max(0, active / (active + idle))) : 0;
};

export class MetricsCollector {
  readonly #source: MetricsSource;
  readonly #probe = new LoopProbe();
  readonly #started = performance.now();
  #previous: Previous | null = null;

  constructor(source: MetricsSource) {
    this.#source = source;
  }

  async read(): Promise<ManagerMetrics> {
    const entries = [...this.#source.sockets()];
    // Inline sockets run on this thread: there is no worker to ask.
    const ask = this.#source.transport === 'worker';
    const reports = await Promise.all(entries.map(({ link }) => (ask && link ? link.call((control) => control.thread(), THREAD_TIMEOUT_MS).catch(() => null) : Promise.resolve(null))));
    const now = performance.now();
    const previous = this.#previous;
    const seconds = Math.max(1e-3, (now - (previous?.at ?? this.#started)) / 1000);
    const main = this.#probe.read();

    const players = new Map<Socket, { players: number; playing: number }>();
    for (const player of this.#source.players()) {
      const count = players.get(player.socket) ?? { players: 0, playing: 0 };
      count.players++;
      if (player.track !== null && !player.paused) count.playing++;
      players.set(player.socket, count);
    }

    const threads = new Map<number, { report: ThreadReport; sockets: string[]; events: number; batches: number }>();
    const nodes = entries.map(({ socket, stopped, link }, i): NodeMetrics => {
      const report = reports[i] ?? null;
      if (report && link) {
        const thread = threads.get(report.threadId) ?? { report, sockets: [], events: 0, batches: 0 };
        thread.sockets.push(socket.id);
        thread.events += link.traffic.events;
        thread.batches += link.traffic.batches;
        threads.set(report.threadId, thread);
      }
      const { counters } = socket;
      return {
        id: socket.id,
        state: stopped ? 'stopped' : socket.ready ? 'ready' : socket.connected ? 'connecting' : 'disconnected',
        version: socket.version,
        players: players.get(socket)?.players ?? 0,
        playing: players.get(socket)?.playing ?? 0,
        ping: socket.ping,
        penalties: socket.penalties,
        queued: socket.queue.length,
        reconnects: counters.reconnects,
        failovers: counters.failovers,
        restCalls: counters.restCalls,
        restErrors: counters.restErrors,
        lastErrorCode: counters.lastErrorCode,
        threadId: report?.threadId ?? null,
        stats: socket.stats,
      };
    });

    const workers: WorkerMetrics[] = [];
    for (const [threadId, { report, sockets, events, batches }] of threads) {
      const before = previous?.threads.get(threadId);
      workers.push({
        threadId,
        sockets,
        utilization: utilization(report.loop, before?.loop),
        delay: report.delay,
        // A worker that died and came back starts its sockets' counts over: never a negative rate.
        eventsPerSecond: Math.max(0, events - (before?.events ?? 0)) / seconds,
        batchesPerSecond: Math.max(0, batches - (before?.batches ?? 0)) / seconds,
        heapUsed: report.heapUsed,
        heapTotal: report.heapTotal,
      });
    }

    const traffic = this.#source.traffic();
    const total: Traffic = { batches: traffic?.batches ?? 0, events: traffic?.events ?? 0, bytes: traffic?.bytes ?? 0 };
    this.#previous = {
      at: now,
      total,
      main: main.loop,
      threads: new Map([...threads].map(([id, t]) => [id, { loop: t.report.loop, events: t.events, batches: t.batches }])),
    };
    return {
      at: Date.now(),
      transport: this.#source.transport,
      nodes,
      workers,
      mainThread: { utilization: utilization(main.loop, previous?.main), delay: main.delay },
      events: {
        total: total.events,
        batches: total.batches,
        bytes: total.bytes,
        perSecond: (total.events - (previous?.total.events ?? 0)) / seconds,
        batchesPerSecond: (total.batches - (previous?.total.batches ?? 0)) / seconds,
      },
    };
  }

  stop(): void {
    this.#probe.stop();
  }
}
