/** lavathread (worker transport) keeping its sessions in a RedisSessionStore at BENCH_REDIS_URL, a cluster id of its own. */
import { RedisSessionStore } from '../../src/redis.js';
import { lavathread } from './lavathread.js';

export default (): ReturnType<typeof lavathread> =>
  lavathread(1, { sessionStore: () => new RedisSessionStore({ clusterId: `bench-${process.pid}`, redis: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' }) });
