/** lavathread (worker transport) keeping its sessions in a FileSessionStore, in BENCH_STORE_DIR. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSessionStore } from '../../src/index.js';
import { lavathread } from './lavathread.js';

export default (): ReturnType<typeof lavathread> => lavathread(1, { sessionStore: () => new FileSessionStore(join(process.env.BENCH_STORE_DIR ?? tmpdir(), `lavathread-bench-${process.pid}.json`)) });
