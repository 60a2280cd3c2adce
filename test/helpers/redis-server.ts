/**
 * A real redis-server of the test's own, on a free port of 127.0.0.1, without persistence (a
 * restart loses everything, as a Redis without AOF/RDB does), stopped by its PID when the test ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import type { TestContext } from 'node:test';

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

/** A port the kernel just handed out, free again: redis-server does not take `--port 0`. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Resolves once the server answers PING, rejects after `timeoutMs` or when it exits first. */
async function answersPing(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server on port ${port} exited (${child.exitCode ?? child.signalCode})`);
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

function spawnRedis(port: number): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir(), '--loglevel', 'warning'];
  return spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

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
