/**
 * The manager's side of a player: Discord's voice events, the node's events and updates, and the
 * rebuilding of the player on a node (a move, a lost session, a restart). Made by the Player for
 * its manager (wiring.ts); holds the player and the player's voice credentials (voice.ts).
 */
import { destroyPlayer, livePosition, type Player } from '../player.js';
import type { Filters } from '../protocol/filters.js';
import type { OutgoingOp } from '../protocol/ops.js';
import type { Track } from '../protocol/rest.js';
import { InvalidOptionError, LavalinkError, readArgument } from '../errors.js';
import type { PlayerEvent } from '../protocol/node-events.js';
import type { StoredPlayer } from '../session-store/session-store.js';
import type { Socket } from '../socket.js';
import { hubOf, type PlayerDriver } from '../wiring.js';
import { queueSnapshot, queueTrackEnded, restoreQueue } from '../queue/player-queue.js';
import { announce } from './announce.js';
import { adoptPlugins, pluginsSnapshot, restorePlugins } from './plugins.js';
import { watchIdle } from './idle.js';
import { PlayerModel } from './state.js';
import { cancelJoin, joinDelivered } from './voice-join.js';
import { VoiceState, type VoiceCredentials, type VoiceUpdateOp } from './voice.js';

/** A player's state as a session store keeps it, or as a resumed node reports it. */
export interface AdoptedState {
  track: Track | null;
  position: number;
  paused: boolean;
  volume: number;
  filters: Filters;
  channel: string | null;
  voice: VoiceCredentials | null;
  /** The player's queue as the store kept it (unread: a store may hold anything). */
  queue?: unknown;
  /** What it had asked its node's plugins to keep, as the store kept it (unread too). */
  plugins?: unknown;
}

/**
 * A player's state with the manager's calls on it: the Player reads and changes it as its
 * PlayerModel, the manager drives it. The node's live fields (state.ts LiveState) stay on the
 * Player, where the flood's updates write them (player.ts `updatePlayer`): the model reaches
 * them there.
 */
export class PlayerCore extends PlayerModel implements PlayerDriver {
  // Two fields, no parts object or closures: every object and field here is paid per player.
  readonly player: Player;
  readonly voice: VoiceState;

  constructor(player: Player) {
    super();
    this.player = player;
    this.voice = new VoiceState(player.guildId);
  }

  override get connected(): boolean {
    return this.player.connected;
  }

  override set connected(connected: boolean) {
    this.player.connected = connected;
  }

  override get ping(): number {
    return this.player.ping;
  }

  override set ping(ping: number) {
    this.player.ping = ping;
  }

  override setPosition(position: number, at = performance.now()): void {
    livePosition.set(this.player, position, at);
  }

  protected override reportedPosition(): number {
    return livePosition.position(this.player);
  }

  protected override reportedAt(): number {
    return livePosition.at(this.player);
  }

  voiceState(channelId: string | null, sessionId: string): void {
    const { player } = this;
    const move = this.voice.stateUpdate(channelId, sessionId);
    if (channelId === null) {
      this.connected = false;
      cancelJoin(this, 'Discord reported the bot out of voice');
    }
    if (move) {
      player.emit('move', player, move.from, move.to);
      player.manager.emit('playerMove', player, move.from, move.to);
      // Out of voice without the bot asking (its own disconnect() forgot the channel first).
      if (move.to === null && player.manager.options.autoDestroy.voiceLost) void destroyPlayer(player, 'voiceLost');
    }
    if (channelId !== null) this.sendVoice();
  }

  voiceServer(token: string, endpoint: string | null): void {
    this.voice.serverUpdate(token, endpoint);
    this.sendVoice();
  }

  /** Sends the voice credentials once both halves are known, and never the same ones twice. */
  sendVoice(): void {
    const { player, voice } = this;
    if (player.destroyed) return;
    const op = voice.next();
    if (!op) return;
    player.socket.send(op).then(
      () => this.#delivered(op),
      (error: unknown) => {
        voice.unsent();
        if (error instanceof LavalinkError) player.manager.emit('socketError', player.socket, error);
      },
    );
  }

  event(event: PlayerEvent): void {
    const a = this.apply(event);
    if (!a) return;
    const plays = this.plays;
    try {
      announce(this.player, a);
    } finally {
      // Even when a listener threw. A play a trackEnd listener asked for comes before the queue's next.
      if (a.name === 'trackEnd') {
        if (this.plays === plays) queueTrackEnded(this.player, a.track, a.reason, a.mayStartNext);
        watchIdle(this.player);
      }
    }
  }

  async restore(): Promise<void> {
    const player = this.player;
    // SponsorBlock reads a player's categories when its track starts: they go before the play. A
    // node without the plugin says so as a socketError, and the music goes on.
    await restorePlugins(player)?.catch((error: unknown) => {
      if (error instanceof LavalinkError) player.manager.emit('socketError', player.socket, error);
    });
    const ops = restoreOps(player.guildId, this, this.voice);
    await Promise.all(ops.map((op) => player.socket.send(op)));
    const voiceOp = ops.find((op): op is VoiceUpdateOp => op.op === 'voiceUpdate');
    if (voiceOp) this.#delivered(voiceOp);
  }

  /** The node took these voice credentials: a connect() waiting for them is done. */
  #delivered(op: VoiceUpdateOp): void {
    this.voice.delivered(op);
    joinDelivered(this, op.channelId);
  }

  /** Moves the player to `socket` with its whole state (Player.moveTo, once it checked the player is alive). */
  async moveTo(socket: Socket): Promise<void> {
    const { player } = this;
    const expected = "a live Socket of this player's manager";
    const hub = hubOf(player.manager);
    const target = readArgument('socket', expected, () => (player.manager.sockets.get((socket as { id?: string } | null)?.id ?? '') === socket ? hub?.socketDriver(socket) : undefined));
    const from = player.socket;
    const source = hub?.socketDriver(from);
    if (!target || !source || !hub) throw new InvalidOptionError('socket', expected, socket);
    if (socket === from) return;
    // The old node is told to drop the player: now, or when it is back (it may resume its session
    // with the player still in it). A node gone for good refuses at once; nothing is lost then.
    const carried = source.takeQueued(player.guildId);
    from.send({ op: 'destroy', guildId: player.guildId }).catch(() => {});
    player.socket = socket;
    hub.playerMoved();
    // What the old node never took goes to the new one first, in order; then the whole state.
    target.carry(carried);
    await this.restore();
    player.emit('nodeMove', player, from, socket);
    player.manager.emit('playerNodeMove', player, from, socket);
  }

  restoreFailed(error: LavalinkError): void {
    const { player } = this;
    const track = this.track;
    this.clearTrack();
    this.paused.reset(false);
    player.emit('restoreFailed', player, track, error);
    player.manager.emit('playerRestoreFailed', player, track, error);
    if (player.manager.options.autoDestroy.nodeGone) void destroyPlayer(player, 'nodeGone');
    else watchIdle(player);
  }

  snapshot(): StoredPlayer {
    const [player, state, voice] = [this.player, this, this.voice];
    const queue = queueSnapshot(player);
    const plugins = pluginsSnapshot(player);
    return {
      ...(queue && { queue }),
      ...(plugins && { plugins }),
      guildId: player.guildId,
      socketId: player.socket.id,
      channel: voice.channel,
      voice: voice.credentials(),
      track: state.track?.encoded ?? null,
      position: Math.max(0, Math.floor(state.position)),
      paused: state.paused.value,
      volume: state.volume.value,
      filters: state.filters.value as Record<string, unknown>,
    };
  }

  adopt(adopted: AdoptedState, voiceOnNode: boolean): void {
    this.adoptTrack(adopted);
    this.voice.adopt(adopted.channel, adopted.voice, voiceOnNode);
    if (adopted.queue !== undefined) restoreQueue(this.player, adopted.queue);
    if (adopted.plugins !== undefined) adoptPlugins(this.player, adopted.plugins);
  }
}

/**
 * Everything the node needs to play as this player does, in order: the voice connection, the
 * track where it was (its start there is not a new track to the bot), volume, filters.
 */
function restoreOps(guildId: string, state: PlayerModel, voice: VoiceState): OutgoingOp[] {
  const ops: OutgoingOp[] = [];
  const voiceOp = voice.op();
  if (voiceOp) {
    voice.sent(voiceOp);
    ops.push(voiceOp);
  } else {
    voice.unsent();
  }
  if (state.track) {
    const startTime = Math.max(0, Math.floor(state.position));
    state.startAt = startTime;
    ops.push({ op: 'play', guildId, track: state.track.encoded, startTime, pause: state.paused.value, volume: state.volume.value });
  } else if (state.volume.value !== 100) {
    ops.push({ op: 'volume', guildId, volume: state.volume.value });
  }
  if (Object.keys(state.filters.value).length > 0) ops.push(filtersOp(guildId, state.filters.value));
  return ops;
}

/** The filters op: plugin filters ride under `pluginFilters` (the v3 adapter makes them top-level keys). */
export function filtersOp(guildId: string, filters: Filters): OutgoingOp {
  return { op: 'filters', guildId, ...filters };
}
