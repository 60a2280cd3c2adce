/**
 * What Manager and Socket share that users must not see: a symbol-keyed event entry point and
 * the manager's internals. Not exported from index.ts.
 */
import type { EventEmitter } from 'node:events';
import type { LavalinkError } from './errors.js';
import type { ManagerEvents } from './events.js';
import type { ResolvedManagerOptions } from './options.js';
import type { Transport } from './transport/transport.js';
import type { EventKind, HostEvent } from './ipc/events.js';
import type { LavalinkMessage } from './protocol/messages.js';
import type { Player } from './player.js';
import type { Socket } from './socket.js';

export const kHandleEvent = Symbol('lavathread.handleEvent');
export const kClose = Symbol('lavathread.close');
export const kResumeFrom = Symbol('lavathread.resumeFrom');
export const kTakeQueued = Symbol('lavathread.takeQueued');
export const kCarry = Symbol('lavathread.carry');
export const kDecode = Symbol('lavathread.decode');

export interface ManagerInternals {
  readonly options: ResolvedManagerOptions;
  readonly emitter: EventEmitter<ManagerEvents>;
  transport(): Transport;
  userId(): string | undefined;
  /** A socket's tries ran out (or it stopped for good: `final`, it leaves `manager.sockets`); its players fail over. */
  forget(socket: Socket, final: boolean, error: LavalinkError | null): void;
  /** A frame for a guild: to its player, if it lives on this socket. */
  route(socket: Socket, frame: LavalinkMessage): void;
  /** A run of plain playerUpdates (ipc/updates.ts), each to its player if it lives on this socket. */
  routeUpdates(socket: Socket, run: Extract<HostEvent, { kind: typeof EventKind.Updates }>): void;
  /** A player changed nodes: placement counts are stale. */
  playerMoved(): void;
  /** A player was destroyed: it leaves `manager.players`. */
  playerDestroyed(player: Player): void;
  /** A socket's connection closed; it will try to reconnect. */
  connectionLost(socket: Socket): void;
  /** A socket has a session again: resumed (players intact) or new (players to rebuild). */
  sessionReady(socket: Socket, resumed: boolean, hadSession: boolean): void;
}

export const internals = new WeakMap<object, ManagerInternals>();
