/** Managers for behaviour tests: one per transport, closed when the test ends. */
import type { TestContext } from 'node:test';
import type { EventEmitter } from 'node:events';
import { Manager, type ManagerEvents, type ManagerOptions, type Socket, type SocketData, type SocketOptions } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';
import { until, within } from './raw-client.js';

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

/** A guild no test plays in: the command marker's destroys go there, and change nothing. */
const MARKER_GUILD = '1999999999999999999';

function markersTaken(sim: LavalinkSimulator): number {
  if (sim.release.protocol === 4) return sim.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/players/${MARKER_GUILD}`)).length;
  return sim.frames.filter((f) => (f.data as { op?: unknown; guildId?: unknown } | null)?.op === 'destroy' && (f.data as { guildId?: unknown }).guildId === MARKER_GUILD).length;
}

/**
 * A positive marker on the command path: a destroy for a guild no test uses goes through the
 * socket's ordered queue, and this resolves once the node has it. Whatever the socket sent
 * before has reached the node by then, so a test may next assert that something was not sent.
 */
export async function commandsDelivered(sim: LavalinkSimulator, socket: Socket, timeoutMs = 5000): Promise<void> {
  const before = markersTaken(sim);
  await within(socket.send({ op: 'destroy', guildId: MARKER_GUILD }), timeoutMs, 'the marker command to be sent');
  // v4 resolves once the node answered; v3 once the frame is written, read by the node a moment later.
  await until(() => markersTaken(sim) > before, timeoutMs, 'the node to take the marker command');
}

let framesMarked = 0;

/**
 * A positive marker on the event path: the node sends a frame after everything it sent so far,
 * and this resolves once the manager has handed it to `raw`, so every earlier frame of that
 * socket has been handled too.
 */
export async function framesDelivered(manager: Manager, sim: LavalinkSimulator, timeoutMs = 5000): Promise<void> {
  const id = ++framesMarked;
  const seen = waitFor(manager, 'raw', timeoutMs, (_socket, message) => message.op === 'lavathread-test-marker' && (message as { id?: unknown }).id === id);
  sim.sendRaw(JSON.stringify({ op: 'lavathread-test-marker', id }));
  await seen;
}
