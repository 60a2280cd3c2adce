/**
 * A redis-server of our own, on a free port of 127.0.0.1, without persistence (a restart loses
 * everything, as a Redis without AOF/RDB does), stopped by its PID: for the session-store bench
 * clients (lavathread-redis-store), and the pieces the tests' helper (test/helpers/redis-server.ts)
 * starts its own with.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';

export interface RedisProcess {
  readonly url: string;
  stop(): Promise<void>;
  /** Ends it at once, synchronously (for an exiting harness). */
  kill(): void;
}

/** A port the kernel just handed out, free again: redis-server does not take `--port 0`. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Where redis-server is on PATH; a clear error, not a spawn ENOENT, when it is not installed. */
function redisServerPath(): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('redis-server is not on PATH: the Redis store needs a real one (Debian: apt-get install redis-server; ./.ci/run installs it when missing)');
}

export function spawnRedis(port: number): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir(), '--loglevel', 'warning'];
  return spawn(redisServerPath(), args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Resolves once the server answers PING, rejects after `timeoutMs` or when it exits first. */
export async function answersPing(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server on port ${port} exited (${child.exitCode ?? child.signalCode}); is it installed?`);
    const pong = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      const timer = setTimeout(() => finish(false), 1000);
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        socket.destroy();
        resolve(ok);
      };
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (data) => finish(data.toString().startsWith('+PONG')));
      socket.on('error', () => finish(false));
    });
    if (pong) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20)); // polling between attempts, bounded by the deadline
  }
}

/** SIGTERM, SIGKILL if it lingers past 5 s; resolves at its exit. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startRedisProcess(timeoutMs = 15_000): Promise<RedisProcess> {
  const port = await freePort();
  const child = spawnRedis(port);
  try {
    await answersPing(port, child, timeoutMs);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
    },
    stop: () => stopChild(child),
  };
}
