/**
 * How a Manager and the Sockets and Players it makes reach each other, without public hooks: a
 * Socket or Player made for a manager finds the manager's {@link ManagerHub} here, and hands it
 * back a driver (the calls only the manager makes). Not exported from index.ts.
 */
import type { EventEmitter } from 'node:events';
import type { LavalinkError } from './errors.js';
import type { ManagerEvents, PlayerDestroyReason } from './events.js';
import type { HostEvent } from './ipc/events.js';
import type { CloseDecision } from './protocol/close-codes.js';
import type { ResolvedManagerOptions } from './options.js';
import type { Player } from './player.js';
import type { AdoptedState } from './player/driver.js';
import type { NodeStats } from './protocol/messages.js';
import type { PlayerEvent } from './protocol/node-events.js';
import type { Track } from './protocol/rest.js';
import type { StoredPlayer } from './session-store/session-store.js';
import type { Socket } from './socket.js';
import type { PendingOp } from './transport/pending-ops.js';
import type { Transport } from './transport/transport.js';
import type { WorkerLink } from './transport/worker-link.js';

/** The calls a Manager makes on one of its sockets. */
export interface SocketDriver {
  /** A host event about the socket itself (state, session, close, errors). */
  handle(event: HostEvent): void;
  setStats(stats: NodeStats): void;
  /** Closes for good (Manager.close): no reconnect; queued ops reject. */
  close(): Promise<void>;
  /** Resume this stored session on the first connect (from the session store). */
  resumeFrom(stored: { version: 3 | 4; resumeKey: string; sessionId: string | null }): void;
  /** Decodes tracks on the socket's host; null when no host runs. */
  decode(tracks: readonly string[]): Promise<Track[] | null>;
  /** Takes back a moving player's ops not yet acknowledged here. */
  takeQueued(guildId: string): PendingOp[];
  /** Ops another node gave up for a player that moved here. */
  carry(taken: readonly PendingOp[]): void;
  /** The current link to the host (lavathread/testing's worker calls). */
  link(): WorkerLink | null;
}

/** The calls a Manager makes on one of its players. */
export interface PlayerDriver {
  voiceState(channelId: string | null, sessionId: string): void;
  voiceServer(token: string, endpoint: string | null): void;
  /** A node event for this guild from the player's node. */
  event(event: PlayerEvent): void;
  /** Sends everything the node needs to play as this player does. */
  restore(): Promise<void>;
  /** A restore failed on every node: nothing plays, and the bot is told. */
  restoreFailed(error: LavalinkError): void;
  snapshot(): StoredPlayer;
  adopt(state: AdoptedState, voiceOnNode: boolean): void;
}

/** What Sockets and Players need from their Manager. */
export interface ManagerHub {
  readonly options: ResolvedManagerOptions;
  readonly emitter: EventEmitter<ManagerEvents>;
  transport(): Transport;
  userId(): string | undefined;
  attachSocket(socket: Socket, driver: SocketDriver): void;
  attachPlayer(player: Player, driver: PlayerDriver): void;
  /** The driver of one of this manager's sockets; undefined for any other object. */
  socketDriver(socket: unknown): SocketDriver | undefined;
  /** A socket has a session again: resumed (players intact) or new (players to rebuild). */
  sessionReady(socket: Socket, resumed: boolean, hadSession: boolean): void;
  /** A socket's connection closed; it will try to reconnect. `decision`: what the close means (protocol/close-codes.ts). */
  connectionLost(socket: Socket, decision: CloseDecision): void;
  /** A socket's tries ran out (or it stopped for good: `final`); its players fail over. */
  socketGone(socket: Socket, final: boolean, error: LavalinkError | null): void;
  /** A player changed nodes: placement counts are stale. */
  playerMoved(): void;
  /** A player was destroyed: it leaves `manager.players`, and the bot is told why. */
  playerDestroyed(player: Player, reason: PlayerDestroyReason): void;
}

const hubs = new WeakMap<object, ManagerHub>();

export function registerHub(manager: object, hub: ManagerHub): void {
  hubs.set(manager, hub);
}

export function hubOf(manager: unknown): ManagerHub | undefined {
  return typeof manager === 'object' && manager !== null ? hubs.get(manager) : undefined;
}
