/**
 * FaultProxy: a TCP proxy on 127.0.0.1 (port 0) in front of one upstream port, that breaks the
 * network under a client the way real networks break, below any protocol: the client and the
 * server each see only a TCP peer, so the faults reach WebSocket frames and REST calls alike.
 *
 * Each accepted connection (a link) gets its own upstream connection and two lanes, one per
 * direction. A lane keeps the bytes its source sent until it may pass them on; that is where the
 * faults act:
 *
 * | fault | what the peers see |
 * |---|---|
 * | `reset(filter?)` | RST on both sides of every live link (or those `filter` picks); what a lane held is gone |
 * | `blackhole(ms)` | the links live now go silent both ways (half-open), FINs included; after `ms` everything held goes through, in order |
 * | `drip(ms, bytesPerTick)` | the links live now trickle: `bytesPerTick` bytes per 1 ms tick each way, for `ms` |
 * | `fragment(on)` | every write (all links, new ones too) is split into 1–16 byte pieces written one turn apart |
 * | `garbageToClient(bytes)` | `bytes` random bytes reach every live link's client after what is already on its way; the first byte is `0x7f`, which no WebSocket frame (reserved bits and opcode) and no HTTP response starts with |
 * | `refuse(ms)` | connections accepted in the next `ms` are reset at once (the live ones stay) |
 *
 * Blackhole and drip act on the links live at the call: the old path is broken, while a reconnect
 * takes a fresh one (as when a NAT entry or a route goes stale). `heal()` lifts every fault now.
 *
 * Buffers are bounded: a lane that holds `maxBufferedBytes` pauses its source, as a full TCP
 * window does, and resumes it below half. A peer that closes (FIN, or an error) has its held
 * bytes delivered first, then the other side is ended; only `reset()` drops bytes.
 *
 * @example
 * const proxy = await FaultProxy.start({ upstreamPort: sim.port });
 * t.after(() => proxy.close());
 * // connect the client to proxy.port, then:
 * proxy.blackhole(3000);
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface FaultProxyOptions {
  /** The port the proxy forwards to, on 127.0.0.1. */
  readonly upstreamPort: number;
  /** @default 1 MiB per lane (direction of one link) */
  readonly maxBufferedBytes?: number;
  /** Source of the garbage bytes and fragment sizes, for seeded runs. @default Math.random */
  readonly random?: () => number;
}

/** What a test may look at of one link (for `reset(filter)`). */
export interface LinkInfo {
  readonly id: number;
  readonly openedAt: number;
  /** A blackhole holds it now. */
  readonly held: boolean;
  /** Bytes waiting in the proxy toward the server / toward the client. */
  readonly queuedUp: number;
  readonly queuedDown: number;
}

export interface ProxyStats {
  readonly accepted: number;
  readonly refused: number;
  /** Links reset by `reset()`. */
  readonly resets: number;
  readonly live: number;
  /** Bytes that went through toward the server / toward the client. */
  readonly bytesUp: number;
  readonly bytesDown: number;
  /** Bytes dropped by resets (held or queued in a lane). */
  readonly dropped: number;
}

const MAX_FRAGMENT = 16;
const TICK_MS = 1;

/** Shared by every lane: the proxy-wide switches and counters. */
interface LaneHost {
  readonly maxBufferedBytes: number;
  readonly random: () => number;
  fragmenting: boolean;
  count(direction: 'up' | 'down', bytes: number): void;
}

/** One direction of one link: holds, trickles or splits what it passes on, in order. */
class Lane {
  readonly #source: Socket;
  readonly #sink: Socket;
  readonly #host: LaneHost;
  readonly #direction: 'up' | 'down';
  #chunks: Buffer[] = [];
  #queued = 0;
  /** The source sent its FIN (or closed): the sink is ended once the queue is through. */
  #sourceDone = false;
  #sinkEnded = false;
  #dead = false;
  #holdUntil = 0;
  #dripUntil = 0;
  #dripBytes = 1;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #waitingDrain = false;

  constructor(source: Socket, sink: Socket, host: LaneHost, direction: 'up' | 'down') {
    this.#source = source;
    this.#sink = sink;
    this.#host = host;
    this.#direction = direction;
    source.on('data', (chunk: Buffer) => this.push(chunk));
    source.on('end', () => this.#sourceEnded());
    source.on('close', () => this.#sourceEnded());
    sink.on('close', () => this.drop());
  }

  get queued(): number {
    return this.#queued;
  }

  get held(): boolean {
    return this.#holdUntil > Date.now();
  }

  /** Bytes to pass on after what is queued. */
  push(chunk: Buffer): void {
    if (this.#dead) return;
    this.#chunks.push(chunk);
    this.#queued += chunk.length;
    if (this.#queued >= this.#host.maxBufferedBytes && !this.#source.isPaused()) this.#source.pause();
    this.#pump();
  }

  hold(ms: number): void {
    this.#holdUntil = Math.max(this.#holdUntil, Date.now() + ms);
    this.#reschedule();
  }

  drip(ms: number, bytesPerTick: number): void {
    this.#dripUntil = Math.max(this.#dripUntil, Date.now() + ms);
    this.#dripBytes = bytesPerTick;
    this.#reschedule();
  }

  /** Lifts hold and drip now. */
  heal(): void {
    this.#holdUntil = 0;
    this.#dripUntil = 0;
    this.#reschedule();
  }

  /** Forgets what it holds and stops for good; answers the bytes dropped. */
  drop(): number {
    const dropped = this.#queued;
    this.#dead = true;
    // Read on and discard, so the source's FIN (and close) is still seen.
    if (this.#source.isPaused() && !this.#source.destroyed) this.#source.resume();
    this.#chunks = [];
    this.#queued = 0;
    clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = this.#immediate = undefined;
    return dropped;
  }

  #sourceEnded(): void {
    if (this.#sourceDone) return;
    this.#sourceDone = true;
    this.#pump();
  }

  #reschedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pump();
  }

  #later(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, ms);
    this.#timer.unref();
  }

  #nextTurn(): void {
    this.#immediate = setImmediate(() => {
      this.#immediate = undefined;
      this.#pump();
    });
  }

  /** Passes on what the current mode lets through; every path out of the loop re-arms a wake-up. */
  #pump(): void {
    if (this.#dead || this.#timer || this.#immediate || this.#waitingDrain) return;
    for (;;) {
      if (this.#sink.destroyed) {
        this.drop();
        return;
      }
      const now = Date.now();
      if (this.#holdUntil > now) return this.#later(this.#holdUntil - now);
      if (this.#queued === 0) {
        if (this.#sourceDone && !this.#sinkEnded) {
          this.#sinkEnded = true;
          this.#sink.end();
        }
        return;
      }
      const dripping = this.#dripUntil > now;
      const fragmenting = !dripping && this.#host.fragmenting;
      const size = dripping ? this.#dripBytes : fragmenting ? 1 + Math.floor(this.#host.random() * MAX_FRAGMENT) : this.#queued;
      const piece = this.#take(size);
      this.#host.count(this.#direction, piece.length);
      const flowing = this.#sink.write(piece);
      if (this.#queued < this.#host.maxBufferedBytes / 2 && this.#source.isPaused() && !this.#source.destroyed) this.#source.resume();
      if (!flowing) {
        this.#waitingDrain = true;
        this.#sink.once('drain', () => {
          this.#waitingDrain = false;
          this.#pump();
        });
        return;
      }
      if (dripping) return this.#later(TICK_MS);
      if (fragmenting) return this.#nextTurn();
    }
  }

  #take(size: number): Buffer {
    const n = Math.min(size, this.#queued);
    const out: Buffer[] = [];
    let taken = 0;
    while (taken < n) {
      const head = this.#chunks[0]!;
      const want = n - taken;
      if (head.length <= want) {
        out.push(head);
        this.#chunks.shift();
        taken += head.length;
      } else {
        out.push(head.subarray(0, want));
        this.#chunks[0] = head.subarray(want);
        taken += want;
      }
    }
    this.#queued -= n;
    return out.length === 1 ? out[0]! : Buffer.concat(out, n);
  }
}

/** One accepted connection and its upstream connection. */
class Link {
  readonly id: number;
  readonly openedAt = Date.now();
  readonly client: Socket;
  readonly upstream: Socket;
  readonly up: Lane;
  readonly down: Lane;
  #closed = 0;

  constructor(id: number, client: Socket, upstreamPort: number, host: LaneHost, onDone: (link: Link) => void) {
    this.id = id;
    this.client = client;
    this.upstream = connect({ port: upstreamPort, host: '127.0.0.1', allowHalfOpen: true });
    // Errors (ECONNRESET, EPIPE, ECONNREFUSED) end a side; its `close` does the rest.
    client.on('error', () => {});
    this.upstream.on('error', () => {});
    client.setNoDelay(true);
    this.upstream.setNoDelay(true);
    this.up = new Lane(client, this.upstream, host, 'up');
    this.down = new Lane(this.upstream, client, host, 'down');
    const closed = (): void => {
      if (++this.#closed === 2) onDone(this);
    };
    client.once('close', closed);
    this.upstream.once('close', closed);
    // Nothing listens upstream (the server is down): the client sees a reset, as a refused port.
    let connected = false;
    this.upstream.once('connect', () => (connected = true));
    this.upstream.once('error', () => {
      if (!connected) resetSocket(client);
    });
  }

  get info(): LinkInfo {
    return { id: this.id, openedAt: this.openedAt, held: this.up.held || this.down.held, queuedUp: this.up.queued, queuedDown: this.down.queued };
  }

  /** RST both ways; answers the bytes the lanes held. */
  reset(): number {
    const dropped = this.up.drop() + this.down.drop();
    resetSocket(this.client);
    resetSocket(this.upstream);
    return dropped;
  }

  destroy(): void {
    this.up.drop();
    this.down.drop();
    this.client.destroy();
    this.upstream.destroy();
  }
}

function resetSocket(socket: Socket): void {
  // resetAndDestroy() on a socket without a handle destroys it with an error; a closed one is done.
  if (!socket.destroyed) socket.resetAndDestroy();
}

export class FaultProxy {
  readonly upstreamPort: number;
  readonly #server: Server;
  readonly #links = new Set<Link>();
  readonly #host: LaneHost;
  #nextId = 1;
  #refuseUntil = 0;
  #stats = { accepted: 0, refused: 0, resets: 0, bytesUp: 0, bytesDown: 0, dropped: 0 };
  #closed = false;

  private constructor(options: FaultProxyOptions) {
    this.upstreamPort = options.upstreamPort;
    const stats = this.#stats;
    this.#host = {
      maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
      random: options.random ?? Math.random,
      fragmenting: false,
      count(direction, bytes) {
        if (direction === 'up') stats.bytesUp += bytes;
        else stats.bytesDown += bytes;
      },
    };
    // Half-open on purpose: a FIN is passed on by the lane, after the bytes it holds.
    this.#server = createServer({ allowHalfOpen: true }, (socket) => this.#onConnection(socket));
  }

  /** Listens on 127.0.0.1, port 0; resolves once it does. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', () => {
        proxy.#server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get stats(): ProxyStats {
    return { ...this.#stats, live: this.#links.size };
  }

  links(): LinkInfo[] {
    return [...this.#links].map((link) => link.info);
  }

  /** RST both sides of every live link that `filter` picks (all by default); answers how many. */
  reset(filter: (link: LinkInfo) => boolean = () => true): number {
    let count = 0;
    for (const link of [...this.#links]) {
      if (!filter(link.info)) continue;
      this.#stats.dropped += link.reset();
      this.#links.delete(link);
      count++;
    }
    this.#stats.resets += count;
    return count;
  }

  /** The links live now pass nothing either way for `ms`; then what they held goes through. */
  blackhole(ms: number): number {
    for (const link of this.#links) {
      link.up.hold(ms);
      link.down.hold(ms);
    }
    return this.#links.size;
  }

  /** The links live now pass `bytesPerTick` bytes per 1 ms each way, for `ms`. */
  drip(ms: number, bytesPerTick = 1): number {
    if (!Number.isInteger(bytesPerTick) || bytesPerTick < 1) throw new RangeError(`Expected bytesPerTick to be a positive integer, got ${String(bytesPerTick)}`);
    for (const link of this.#links) {
      link.up.drip(ms, bytesPerTick);
      link.down.drip(ms, bytesPerTick);
    }
    return this.#links.size;
  }

  /** Splits every write into 1–16 byte pieces (on), or not (off). */
  fragment(on: boolean): void {
    this.#host.fragmenting = on;
  }

  /** Random bytes to the client of every live link, after what is already on its way. */
  garbageToClient(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 1) throw new RangeError(`Expected bytes to be a positive integer, got ${String(bytes)}`);
    for (const link of this.#links) {
      const garbage = Buffer.alloc(bytes);
      for (let i = 0; i < bytes; i++) garbage[i] = Math.floor(this.#host.random() * 256);
      garbage[0] = 0x7f;
      link.down.push(garbage);
    }
    return this.#links.size;
  }

  /** New connections are reset at once for `ms`. */
  refuse(ms: number): void {
    this.#refuseUntil = Math.max(this.#refuseUntil, Date.now() + ms);
  }

  accept(): void {
    this.#refuseUntil = 0;
  }

  /** Every fault lifted now: holds and drips end (what they held goes through), no fragments, no refusal. */
  heal(): void {
    this.#refuseUntil = 0;
    this.#host.fragmenting = false;
    for (const link of this.#links) {
      link.up.heal();
      link.down.heal();
    }
  }

  /** Bytes the proxy holds right now, in every lane. */
  get queuedBytes(): number {
    let bytes = 0;
    for (const link of this.#links) bytes += link.up.queued + link.down.queued;
    return bytes;
  }

  /** Ends every link and stops listening. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const link of this.#links) link.destroy();
    this.#links.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #onConnection(socket: Socket): void {
    if (this.#closed || Date.now() < this.#refuseUntil) {
      if (!this.#closed) this.#stats.refused++;
      socket.on('error', () => {});
      resetSocket(socket);
      return;
    }
    this.#stats.accepted++;
    const link = new Link(this.#nextId++, socket, this.upstreamPort, this.#host, (done) => this.#links.delete(done));
    this.#links.add(link);
  }
}
