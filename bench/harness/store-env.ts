/**
 * What the session-store clients need, made for one run: a redis-server of its own for
 * `lavathread-redis-store` (BENCH_REDIS_URL) and a temporary directory for `lavathread-file-store`
 * (BENCH_STORE_DIR). Client processes inherit the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisProcess } from './redis-process.js';

export async function sessionStoreEnv(clients: readonly string[]): Promise<{ stop(): Promise<void> }> {
  const redis = clients.includes('lavathread-redis-store') ? await startRedisProcess() : null;
  if (redis) process.env.BENCH_REDIS_URL = redis.url;
  const dir = clients.includes('lavathread-file-store') ? mkdtempSync(join(tmpdir(), 'lavathread-bench-store-')) : null;
  if (dir) process.env.BENCH_STORE_DIR = dir;
  // A run that throws still ends its redis-server (killed clients leave store files behind too).
  const cleanup = (): void => {
    redis?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  return {
    async stop() {
      process.off('exit', cleanup);
      await redis?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
