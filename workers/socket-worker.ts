/**
 * The worker entry, `lavathread/worker`: runs lavathread sockets (one task each) on this
 * thread's socket host. The Manager points its worker pool at this module; a bot names it only
 * when a bundler moves it (`ManagerOptions.workerFile`).
 *
 * @module lavathread/worker
 */
import { isMainThread } from 'node:worker_threads';
import { InvalidOptionError } from '../src/errors.js';
import { isSocketTask, SocketHost, type SocketTask } from '../src/host/socket-host.js';

if (isMainThread) throw new Error('lavathread/worker runs only inside a worker thread');

const host = new SocketHost();

/** Runs one socket task. Anything else is refused: CPU jobs belong on a pool of their own. */
export default function runSocket(task: SocketTask): Promise<void> {
  if (!isSocketTask(task)) return Promise.reject(new InvalidOptionError('task', 'a lavathread socket task (config, two ports, an ack board)', task));
  return host.run(task);
}
