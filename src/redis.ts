/**
 * lavathread/redis: the session store for clusters of bot processes that share Redis. Its own
 * entry point, because ioredis is an optional peer dependency: the main entry never loads it.
 *
 * @module lavathread/redis
 */
export { RedisSessionStore, type RedisSessionStoreOptions } from './session-store/redis-store.js';
