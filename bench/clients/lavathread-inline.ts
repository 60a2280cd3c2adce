/** lavathread with its sockets on the main thread (`workers: 0`): the in-thread baseline. */
import { lavathread } from './lavathread.js';

export default (): ReturnType<typeof lavathread> => lavathread(0);
