/**
 * A real redis-server of the test's own, on a free port of 127.0.0.1, without persistence (a
 * restart loses everything, as a Redis without AOF/RDB does), stopped by its PID when the test ends.
 */
import type { ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { answersPing, freePort, spawnRedis, stopChild } from '../../bench/harness/redis-process.js';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** Stops it (SIGTERM, SIGKILL if it lingers) and waits for its exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty; resolves once it answers PING. */
  start(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;

export async function startRedis(t: TestContext): Promise<RedisServer> {
  let child: ChildProcess | null = null;
  let port = 0;
  t.after(async () => {
    if (child) await stopChild(child);
  });
  // Another process may take the port between our probe and redis-server's bind: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    child = spawnRedis(port);
    try {
      await answersPing(port, child, READY_TIMEOUT_MS);
      break;
    } catch (error) {
      await stopChild(child);
      if (attempt === 2) throw error;
    }
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child!.pid!;
    },
    async stop() {
      if (child) await stopChild(child);
    },
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      child = spawnRedis(port);
      await answersPing(port, child, READY_TIMEOUT_MS);
    },
  };
}
