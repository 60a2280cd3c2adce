/**
 * The Manager: owns the sockets (one per Lavalink node) and the transport that hosts them.
 *
 * @example
 * const manager = new Manager([{ id: 'main', host: '127.0.0.1', port: 2333, password: 'youshallnotpass' }], {
 *   send: (guildId, payload) => client.guilds.cache.get(guildId)?.shard.send(payload),
 * });
 * manager.on('socketReady', (socket) => console.log(`${socket} ready`));
 * manager.init(client.user.id);
 */
import { EventEmitter } from 'node:events';
import { ErrorCode, InvalidOptionError, LavalinkError } from './errors.js';
import type { ManagerEvents } from './events.js';
import { internals, kClose, kHandleEvent, type ManagerInternals } from './internal.js';
import type { HostEvent } from './ipc/events.js';
import { resolveManagerOptions, type ManagerOptions, type ResolvedManagerOptions, type SocketData } from './options.js';
import { Socket } from './socket.js';
import { InlineTransport } from './transport/inline.js';
import { PoolTransport } from './transport/pool.js';
import type { Transport } from './transport/transport.js';

export class Manager extends EventEmitter<ManagerEvents> {
  /** Sockets by node id. A socket that gave up reconnecting leaves this map. */
  readonly sockets = new Map<string, Socket>();
  readonly options: ResolvedManagerOptions;
  /** The bot's user id, from the options or `init()`. */
  userId: string | undefined;

  /** Every socket ever created, for routing events (a forgotten socket may still send its last ones). */
  readonly #handles = new Map<string, Socket>();
  #transport: Transport | null = null;
  #closed = false;

  constructor(nodes: readonly SocketData[], options: ManagerOptions) {
    super();
    if (!Array.isArray(nodes)) throw new InvalidOptionError('nodes', 'an array of nodes ({id, host, port, password})', nodes);
    this.options = resolveManagerOptions(options);
    this.userId = this.options.userId;
    const inside: ManagerInternals = {
      options: this.options,
      emitter: this,
      transport: () => this.#getTransport(),
      userId: () => this.userId,
      forget: (id) => this.sockets.delete(id),
    };
    internals.set(this, inside);
    nodes.forEach((node: SocketData, i) => {
      const socket = new Socket(this, node, `nodes[${i}]`);
      if (this.#handles.has(socket.id)) throw new InvalidOptionError(`nodes[${i}].id`, 'an id no other node has', socket.id);
      this.#handles.set(socket.id, socket);
      this.sockets.set(socket.id, socket);
    });
  }

  /** `'worker'` or `'inline'` (`workers: 0`). */
  get transportKind(): 'worker' | 'inline' {
    return this.options.workers === 0 ? 'inline' : 'worker';
  }

  /** Connects every socket. */
  init(userId: string | undefined = this.userId): this {
    this.#assertOpen();
    if (typeof userId !== 'string' || !/^\d{1,20}$/.test(userId)) {
      throw new InvalidOptionError('userId', 'the bot user id (a string of digits), given to init() or in the options', userId);
    }
    this.userId = userId;
    for (const socket of this.sockets.values()) socket.connect(userId);
    return this;
  }

  /** Closes every socket, then releases every worker, port and timer. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#handles.values()].map((socket) => socket[kClose]()));
    this.sockets.clear();
    await this.#transport?.close();
    this.#transport = null;
  }

  #assertOpen(): void {
    if (this.#closed) throw new LavalinkError(ErrorCode.ManagerClosed, 'The manager is closed');
  }

  #getTransport(): Transport {
    this.#assertOpen();
    if (!this.#transport) {
      const onEvents = (events: readonly HostEvent[]): void => this.#onEvents(events);
      this.#transport = this.options.workers === 0 ? new InlineTransport(onEvents) : new PoolTransport(this.options.workers, onEvents);
    }
    return this.#transport;
  }

  #onEvents(events: readonly HostEvent[]): void {
    for (const event of events) {
      const socket = this.#handles.get(event.socket);
      if (!socket) continue;
      try {
        socket[kHandleEvent](event);
      } catch (error) {
        // A throwing listener must not cost the other events of the batch.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
