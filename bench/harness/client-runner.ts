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
}

export async function startClient(name: string, nodes: readonly BenchNode[], guilds: readonly string[]): Promise<ClientRunner> {
  // BENCH_CPU_PROF=dir writes a CPU profile of every client process there (see bench/README.md).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
  const child: ChildProcess = fork(entry, [], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const runner = {
    connectMs: 0,
    send<T extends FromClient['type']>(message: ToClient, expect: T, timeoutMs = 60_000): Promise<Extract<FromClient, { type: T }>> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.off('message', onMessage);
          reject(new Error(`${name}: no ${expect} within ${timeoutMs} ms`));
        }, timeoutMs);
        const onMessage = (reply: FromClient): void => {
          if (reply.type === 'error') {
            clearTimeout(timer);
            child.off('message', onMessage);
            reject(new Error(`${name}: ${reply.message}`));
          } else if (reply.type === expect) {
            clearTimeout(timer);
            child.off('message', onMessage);
            resolve(reply as Extract<FromClient, { type: typeof expect }>);
          }
        };
        child.on('message', onMessage);
        child.send(message);
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' } satisfies ToClient);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  runner.connectMs = (await runner.send({ type: 'start', client: name, nodes, guilds }, 'ready', 120_000)).connectMs;
  return runner;
}
