/** lavathread with its sockets in a worker thread (the default). */
import { lavathread } from './lavathread.js';

export default (): ReturnType<typeof lavathread> => lavathread(1);
