/**
 * The Redis store's connection: a client it makes (or the bot's own, used as it is), connected
 * within a bound, closed when it is done. With ioredis, like redis-store.ts; reached only through
 * `lavathread/redis`.
 */
import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import { StoreUnreachableError } from '../errors.js';
import { bounded } from './lease.js';

export function isClient(value: unknown): value is Redis {
  // Duck-typed: a bot's ioredis may be another copy than ours.
  return typeof value === 'object' && value !== null && typeof (value as Redis).defineCommand === 'function' && typeof (value as Redis).pipeline === 'function';
}

export function ownClient(redis: string | RedisOptions | undefined): Redis {
  // Commands fail at once while Redis is away (no offline queue, nothing resent later): the store
  // retries them itself, carrying whatever changed meanwhile.
  const ours: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
  };
  const client = typeof redis === 'string' ? new Redis(redis, ours) : new Redis({ ...(redis ?? {}), ...ours });
  client.on('error', () => {}); // reconnects are its own business; without a listener ioredis prints each
  return client;
}

/** `host:port` (or the socket path), for messages: never the URL, which may hold the password. */
export function addressOf(client: Redis): string {
  const { host, port, path } = client.options;
  return path ? String(path) : `${host ?? '127.0.0.1'}:${port ?? 6379}`;
}

/** Resolves once the client is ready; StoreUnreachableError after `timeoutMs`; the signal's reason when aborted. */
export async function connected(client: Redis, own: boolean, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  if (client.status === 'ready') return;
  if (own && ['wait', 'end', 'close'].includes(client.status)) client.connect().catch(() => {});
  let lastError: Error | null = null;
  const onError = (error: Error): void => void (lastError = error);
  client.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(new StoreUnreachableError(`Redis at ${addressOf(client)} did not answer within ${timeoutMs} ms${lastError ? ` (${lastError.message})` : ''}`)), timeoutMs);
      const onReady = (): void => done(null);
      const onAbort = (): void => done(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
      const done = (error: Error | null): void => {
        clearTimeout(timer);
        client.off('ready', onReady);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      client.once('ready', onReady);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  } finally {
    client.off('error', onError);
  }
}

/** Closes a client, and waits (up to `timeoutMs`) until it is closed. */
export async function hangUp(client: Redis, timeoutMs: number): Promise<void> {
  // Only a client with a stream has a close to wait for (one between reconnects has none).
  const streaming = ['connecting', 'connect', 'ready'].includes(client.status);
  const ended = streaming ? once(client, 'end') : null;
  client.disconnect();
  if (ended) await bounded(ended, timeoutMs, 'disconnect').catch(() => {});
}
