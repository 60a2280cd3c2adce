/**
 * lavathread of another checkout (`npm run bench -- --baseline DIR`), with its sockets in a worker
 * thread, driven by this checkout's bench code: a change's figures against an older commit's, side
 * by side in one run. DIR needs its own node_modules (or a link to these).
 */
import { pathToFileURL } from 'node:url';
import type { Manager } from '../../src/index.js';
import { lavathread } from './lavathread.js';

export default (): ReturnType<typeof lavathread> => {
  const dir = process.env['LAVATHREAD_BASELINE'];
  if (!dir) throw new Error('lavathread-baseline needs --baseline DIR (a checkout of another commit)');
  return lavathread(1, { library: () => import(pathToFileURL(`${dir}/src/index.ts`).href) as Promise<{ readonly Manager: typeof Manager }> });
};
