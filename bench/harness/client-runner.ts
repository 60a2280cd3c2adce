/** Starts a client process and talks to it (harness/messages.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BenchNode } from '../clients/client.js';
import type { FromClient, ToClient } from './messages.js';

const entry = fileURLToPath(new URL('../client-process.ts', import.meta.url));

export interface ClientRunner {
  /** How long the client took to connect to every node. */
  readonly connectMs: number;
  send<T extends FromClient['type']>(message: ToClient, expect: T, timeoutMs?: number): Promise<Extract<FromClient, { type: T }>>;
  stop(): Promise<void>;
  /** Ends the process at once, without the client's own close (SIGKILL). */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** Extra Node flags for the client process (the memory scenario's `--expose-gc`). */
  readonly execArgv?: readonly string[];
  /** How long connecting and creating the players may take. @default 120000 */
  readonly timeoutMs?: number;
}

export async function startClient(name: string, nodes: readonly BenchNode[], guilds: readonly string[], options: StartOptions = {}): Promise<ClientRunner> {
  // BENCH_CPU_PROF=dir writes a CPU profile of every thread of every client process there (see
  // bench/README.md). Node's own file names, which name the process and thread: one given name
  // would have every thread of a process write the same file.
  const profiling = Boolean(process.env.BENCH_CPU_PROF);
  const profile = profiling ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child: ChildProcess = fork(entry, [], { execArgv: ['--import', 'tsx', ...(options.execArgv ?? []), ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const runner = {
    connectMs: 0,
    send<T extends FromClient['type']>(message: ToClient, expect: T, timeoutMs = 60_000): Promise<Extract<FromClient, { type: T }>> {
      return new Promise((resolve, reject) => {
        const finish = (): void => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${name}: no ${expect} within ${timeoutMs} ms`));
        }, timeoutMs);
        // A client that crashed answers nothing: fail now rather than at the timeout.
        const onExit = (code: number | null, signal: string | null): void => {
          finish();
          reject(new Error(`${name}: exited (${signal ?? code}) before ${expect}`));
        };
        const onMessage = (reply: FromClient): void => {
          if (reply.type === 'error') {
            finish();
            reject(new Error(`${name}: ${reply.message}`));
          } else if (reply.type === expect) {
            finish();
            resolve(reply as Extract<FromClient, { type: typeof expect }>);
          }
        };
        if (child.exitCode !== null || child.signalCode !== null) return onExit(child.exitCode, child.signalCode);
        child.on('message', onMessage);
        child.on('exit', onExit);
        child.send(message);
      });
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      // A process killed outright writes no profile: asked to exit, it does (client-process.ts).
      child.kill(profiling ? 'SIGTERM' : 'SIGKILL');
      const timer = profiling ? setTimeout(() => child.kill('SIGKILL'), 10_000) : undefined;
      await exited;
      clearTimeout(timer);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      try {
        child.send({ type: 'stop' } satisfies ToClient);
      } catch {
        child.kill('SIGKILL'); // its IPC channel is gone already
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    runner.connectMs = (await runner.send({ type: 'start', client: name, nodes, guilds }, 'ready', options.timeoutMs ?? 120_000)).connectMs;
  } catch (error) {
    // A client that failed or hung while starting must not outlive the harness.
    child.kill('SIGKILL');
    throw error;
  }
  return runner;
}
