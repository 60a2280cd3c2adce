/**
 * The Manager's sockets, one per node, and the driver behind each. A socket that stopped for good
 * leaves `live` (which is `manager.sockets`) but stays known, so events it sent last still route
 * and errors can still name it.
 */
import { InvalidOptionError } from '../errors.js';
import type { Manager } from '../manager.js';
import { Socket } from '../socket.js';
import type { SocketData } from '../socket-options.js';
import type { SocketDriver } from '../wiring.js';

export class SocketRegistry {
  /** Sockets by node id that may still take players. */
  readonly live = new Map<string, Socket>();
  /** Every socket ever created, by node id. */
  readonly #known = new Map<string, Socket>();
  readonly #drivers = new Map<Socket, SocketDriver>();

  /** One socket per node, in order; a repeated id is refused. */
  create(manager: Manager, nodes: readonly SocketData[]): void {
    nodes.forEach((node, i) => {
      const socket = new Socket(manager, node, `nodes[${i}]`);
      if (this.#known.has(socket.id)) throw new InvalidOptionError(`nodes[${i}].id`, 'an id no other node has', socket.id);
      this.#known.set(socket.id, socket);
      this.live.set(socket.id, socket);
    });
  }

  /** Any socket this manager made, by node id (stopped ones included). */
  known(id: string): Socket | undefined {
    return this.#known.get(id);
  }

  all(): IterableIterator<Socket> {
    return this.#known.values();
  }

  /** Whether `value` is one of this manager's sockets (not another manager's). */
  owns(value: unknown): value is Socket {
    return value instanceof Socket && this.#known.get(value.id) === value;
  }

  attach(socket: Socket, driver: SocketDriver): void {
    this.#drivers.set(socket, driver);
  }

  driverOf(socket: Socket): SocketDriver | undefined {
    return this.#drivers.get(socket);
  }

  drivers(): IterableIterator<SocketDriver> {
    return this.#drivers.values();
  }

  /** Ready sockets, least loaded first (by `penalties`). */
  ideal(): Socket[] {
    return [...this.live.values()].filter((s) => s.ready).sort((a, b) => a.penalties - b.penalties);
  }
}
