/**
 * Main-thread heap kept per command: a Manager sends `commands` setVolume ops to one node, and the
 * heap after a forced GC is compared with the heap after a warm-up. What a command leaves behind
 * for the life of its worker (a listener, a closure, a map entry) shows up as bytes per command.
 * Needs `--expose-gc`.
 */
import { Manager } from '../../src/index.js';

export interface CommandHeapOptions {
  readonly port: number;
  readonly protocol: 3 | 4;
  readonly workers: number;
  readonly commands: number;
  /** Commands in flight at once. @default 200 */
  readonly concurrency?: number;
  /** Commands sent before the baseline is taken. @default 5000 */
  readonly warmup?: number;
}

export interface CommandHeapResult {
  readonly commands: number;
  readonly baselineHeap: number;
  readonly finalHeap: number;
  readonly retainedBytesPerCommand: number;
  readonly seconds: number;
}

const GUILDS = 100;

/**
 * Heap after full collections, with turns of the event loop between them: FinalizationRegistry
 * callbacks (comlink registers every proxy it hands out) run there, and their cells are freed by
 * the collection after.
 */
async function forcedGcHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

export async function measureCommandHeap(options: CommandHeapOptions): Promise<CommandHeapResult> {
  const { port, protocol, workers, commands } = options;
  const concurrency = options.concurrency ?? 200;
  const manager = new Manager([{ id: 'heap', host: '127.0.0.1', port, password: 'youshallnotpass', version: protocol }], { send: () => {}, workers });
  try {
    manager.init('170939974227541168');
    await withBound(manager.sockets.get('heap')!.onReady(), 30_000, 'the node to be ready');
    const players = Array.from({ length: GUILDS }, (_, i) => manager.create(String(1000000000000000000n + BigInt(i))));
    let sent = 0;
    const run = async (count: number): Promise<void> => {
      const end = sent + count;
      const lane = async (): Promise<void> => {
        while (sent < end) {
          const n = sent++;
          await players[n % GUILDS]!.setVolume(n % 1000);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
    };
    // A turn of the event loop and one more command: whatever the last batch left to settle has.
    const settle = async (): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await run(1);
    };
    await run(options.warmup ?? 5000);
    await settle();
    const baselineHeap = await forcedGcHeap();
    const started = performance.now();
    await run(commands);
    const seconds = (performance.now() - started) / 1000;
    await settle();
    const finalHeap = await forcedGcHeap();
    return { commands, baselineHeap, finalHeap, retainedBytesPerCommand: (finalHeap - baselineHeap) / commands, seconds };
  } finally {
    await manager.close();
  }
}

async function withBound<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
