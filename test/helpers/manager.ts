/** Managers for behaviour tests: one per transport, closed when the test ends. */
import type { TestContext } from 'node:test';
import type { EventEmitter } from 'node:events';
import { Manager, type ManagerEvents, type ManagerOptions, type SocketData, type SocketOptions } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';

export type TransportName = 'worker' | 'inline';
export const transports: readonly TransportName[] = ['worker', 'inline'];
export const protocols: readonly (3 | 4)[] = [4, 3];

/** Quick timings so reconnect tests run in milliseconds, not minutes. */
export const fastOptions: SocketOptions = { retryDelay: 20, maxRetryDelay: 200, maxTries: 5, pingInterval: 100, deadAfter: 600, resumeTimeout: 5 };

export const USER_ID = '170939974227541168';

export function nodeFor(sim: LavalinkSimulator, id = 'main', extra: Partial<SocketData> = {}): SocketData {
  return { id, host: '127.0.0.1', port: sim.port, password: sim.options.password, ...extra };
}

export function createManager(
  t: TestContext,
  transport: TransportName,
  nodes: SocketData[],
  options: Partial<ManagerOptions> = {},
): Manager {
  const manager = new Manager(nodes, {
    send: () => {},
    workers: transport === 'worker' ? 1 : 0,
    defaultSocketOptions: fastOptions,
    ...options,
  });
  t.after(() => manager.close());
  return manager;
}

/** Waits for a manager event, with a timeout. */
export function waitFor<K extends keyof ManagerEvents>(
  target: Manager,
  event: K,
  timeoutMs = 5000,
  match: (...args: ManagerEvents[K]) => boolean = () => true,
): Promise<ManagerEvents[K]> {
  type T = ManagerEvents[K];
  const manager = target as unknown as EventEmitter;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      manager.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: unknown[]): void => {
      if (!match(...(args as T))) return;
      clearTimeout(timer);
      manager.off(event, listener);
      resolve(args as T);
    };
    manager.on(event, listener);
  });
}
