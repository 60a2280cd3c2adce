/**
 * A worker entry for tests (`workerFile: testWorker`): lavathread's socket host with two more
 * control calls, the faults of worker-hooks.ts. Never used unless a manager asks for it.
 */
import { isMainThread } from 'node:worker_threads';
import { InvalidOptionError, LavalinkError } from '../errors.js';
import { isSocketTask, SocketHost, type SocketTask } from '../host/socket-host.js';
import type { CrashKind, TestControl } from '../ipc/control.js';

/** Object.prototype's keys when this module loaded, for the pollution probe. */
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).length;

/** A host whose sockets' controls have the two test calls (the inline transport makes its own). */
export function createHost(): SocketHost {
  return new SocketHost(
    (control): TestControl => ({
      ...control,
      crash,
      prototypeTouched: () => Object.getOwnPropertyNames(Object.prototype).length !== PROTOTYPE_KEYS,
    }),
  );
}

/** This worker thread's host. */
const host = createHost();

export default function runSocket(task: SocketTask): Promise<void> {
  if (!isSocketTask(task)) return Promise.reject(new InvalidOptionError('task', 'a lavathread socket task (config, two ports, an ack board)', task));
  return host.run(task);
}

/** The two ways a worker dies: its thread exits, or an error nobody catches. */
function crash(kind: CrashKind): void {
  if (isMainThread) throw new LavalinkError('LAVALINK_INVALID_OPTION', 'crash() only works in a worker thread');
  if (kind === 'exit') process.exit(1);
  setImmediate(() => {
    throw new Error('Crash requested by a test');
  });
}
