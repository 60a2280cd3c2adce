/**
 * Faults for tests of a bot's own recovery: take down the worker that hosts a socket, or ask it
 * whether its thread's Object.prototype was touched. They work on managers started with
 * `workerFile: testWorker` (the production worker plus these two calls); the production worker
 * has neither.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SocketClosedError } from '../errors.js';
import type { CrashKind, TestControl } from '../ipc/control.js';
import type { Socket } from '../socket.js';
import type { WorkerLink } from '../transport/worker-link.js';
import { hubOf } from '../wiring.js';

function linkOf(socket: Socket): WorkerLink {
  const link = hubOf(socket.manager)?.socketDriver(socket)?.link();
  if (!link) throw new SocketClosedError(`Socket ${socket.id} has not started`);
  return link;
}

/** Takes the socket's worker down: `exit` ends its thread, `throw` throws an uncaught error in it. */
export async function crashWorker(socket: Socket, kind: CrashKind): Promise<void> {
  await linkOf(socket).call((control) => (control as TestControl).crash(kind), null);
}

/** Whether the thread hosting the socket has anything added to its Object.prototype. */
export function hostPrototypeTouched(socket: Socket): Promise<boolean> {
  return linkOf(socket).call((control) => (control as TestControl).prototypeTouched(), 5000);
}

/** The test worker entry, for `workerFile` (built: the .js file beside this one; from source: the .ts). */
export const testWorker: string = ((): string => {
  const built = new URL('./test-worker.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? built.href : new URL('./test-worker.ts', import.meta.url).href;
})();
