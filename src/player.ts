/**
 * One guild's player. Its commands go through `Socket.send`, so the queue, ordering, crash
 * recovery and failover all apply; its state (player/state.ts) is what the bot asked for from the
 * moment it asks, updated from the node's events, and whole enough to rebuild the player on
 * another node. The manager drives it through player/driver.ts.
 */
import { EventEmitter } from 'node:events';
import { ErrorCode, InvalidOptionError, LavalinkError, neverApplied } from './errors.js';
import type { PlayerDestroyReason, PlayerEvents } from './events.js';
import type { Manager } from './manager.js';
import type { Filters } from './protocol/filters.js';
import { jsonData } from './protocol/json-data.js';
import type { EqualizerBand } from './protocol/ops.js';
import type { Track } from './protocol/rest.js';
import { filtersOp, PlayerCore } from './player/driver.js';
import { cancelJoin, joinVoice, leaveVoice } from './player/voice-join.js';
import { checkBands, checkConnect, checkPlay, checkVolume, playOp, type ConnectOptions, type PlayOptions } from './player/options.js';
import { trackFromEncoded } from './protocol/read-event.js';
import { queueOf, type PlayerQueue } from './queue/player-queue.js';
import { PlayerLyrics, PlayerSponsorBlock } from './player/plugins.js';
import { watchListeners } from './player/listeners.js';
import { FIELDS, updateState } from './ipc/updates.js';
import type { Socket } from './socket.js';
import { hubOf } from './wiring.js';

export type { ConnectOptions, PlayOptions } from './player/options.js';
export type { Filters } from './protocol/filters.js';

/**
 * Update `index` of a run of plain playerUpdates (ipc/updates.ts) to `player`; `managerHeard`:
 * whether the manager has playerUpdate listeners. The manager hands it to its router.
 */
export let updatePlayer: (player: Player, values: Float64Array, index: number, now: number, managerHeard: boolean) => void;

/** Destroys `player` for `reason` (the manager's autoDestroy rules; the bot's own call is `destroy()`). */
export let destroyPlayer: (player: Player, reason: PlayerDestroyReason) => Promise<void>;

/** The position the node last reported of a player, and when: how its model (driver.ts) reaches them. */
export let livePosition: {
  position(player: Player): number;
  at(player: Player): number;
  set(player: Player, position: number, at: number): void;
};

/**
 * One guild's player, made by `manager.create(guildId)`. Its commands go through its node's socket, in order, and survive reconnects, worker crashes and failover; its fields say what the bot asked for from the moment it asks.
 *
 * @example
 * ```ts
 * const player = manager.create(guildId);
 * await player.connect(voiceChannelId, { selfDeaf: true });
 * const result = await manager.search('never gonna give you up');
 * if (result.loadType === 'search') await player.play(result.tracks[0]!);
 * await player.setVolume(80);
 * await player.setFilters({ ...player.filters, timescale: { speed: 1.1 } });
 * player.on('trackEnd', (player, track, reason) => console.log(`${track?.info.title} ended: ${reason}`));
 * ```
 */
export class Player extends EventEmitter<PlayerEvents> {
  /** The guild this player plays in. */
  readonly guildId: string;
  /** The node this player is on; changes on `moveTo` and failover. */
  socket: Socket;
  /** Whether the node's voice connection to Discord is up (from its playerUpdates). */
  connected = false;
  /** Latency of the node's voice connection, ms; -1 when not connected. */
  ping = -1;
  /** Position in ms at the node's last word, and when; with the two above, the live fields the flood writes (player/state.ts LiveState). */
  #position = 0;
  #positionAt = 0;
  /** Whether `playerUpdate` has listeners here; kept by the listener methods (player/listeners.ts). */
  #updateHeard = false;
  /** The player's state and voice, which the manager drives (player/driver.ts). */
  readonly #state: PlayerCore;
  #destroyed = false;

  constructor(socket: Socket, guildId: string) {
    super();
    if (typeof guildId !== 'string' || !/^\d{1,20}$/.test(guildId)) throw new InvalidOptionError('guild', 'a guild id (a string of digits)', guildId);
    this.guildId = guildId;
    this.socket = socket;
    this.#state = new PlayerCore(this);
    hubOf(socket?.manager)?.attachPlayer(this, this.#state);
  }

  /** The manager this player belongs to. */
  get manager(): Manager {
    return this.socket.manager;
  }

  /** The voice channel, or null when not in one. */
  get channel(): string | null {
    return this.#state.voice.channel;
  }

  /** Writable as in lavaclient 3, where it was a plain field: writing changes only what this handle reports and sends nothing; `connect()` and `disconnect()` move the bot. */
  set channel(channel: string | null) {
    this.#state.voice.channel = channel;
  }

  /** The current track (decoded), or null. */
  get track(): Track | null {
    return this.#state.track;
  }

  /** Writable as in lavaclient 3, where it was a plain field: writing changes only what this handle reports and sends nothing; `play()` and `stop()` change the track. */
  set track(track: Track | null) {
    this.#state.track = track;
  }

  /** Whether the player is paused (as the bot asked, from the moment it asks). */
  get paused(): boolean {
    return this.#state.paused.value;
  }

  /** Writable as in lavaclient 3, where it was a plain field: writing changes only what this handle reports and sends nothing; `pause()` and `resume()` pause. */
  set paused(paused: boolean) {
    this.#state.paused.reset(paused);
  }

  /** Volume, 0 to 1000 (as the bot asked, from the moment it asks). */
  get volume(): number {
    return this.#state.volume.value;
  }

  /** Writable as in lavaclient 3, where it was a plain field: writing changes only what this handle reports and sends nothing; `setVolume()` changes the volume. */
  set volume(volume: number) {
    this.#state.volume.reset(volume);
  }

  /** The filters (as the bot asked, from the moment it asks). */
  get filters(): Filters {
    return this.#state.filters.value;
  }

  /** Writable as in lavaclient 3, where it was a plain field: writing changes only what this handle reports and sends nothing; `setFilters()` changes the filters. */
  set filters(filters: Filters) {
    this.#state.filters.reset(filters);
  }

  /** A track is loaded and not paused. */
  get playing(): boolean {
    return this.track !== null && !this.paused;
  }

  /** Position in the track, ms, moved on from the last playerUpdate while playing. Never negative. */
  get position(): number {
    return this.#state.position;
  }

  /**
   * The player's queue, made on first use (see PlayerQueue): it plays on by itself when a track
   * ends, and is kept in the session store. A player whose queue is never used plays only what
   * the bot plays.
   */
  get queue(): PlayerQueue {
    return queueOf(this);
  }

  /** SponsorBlock (the plugin): the categories this player's node skips. */
  get sponsorBlock(): PlayerSponsorBlock {
    return new PlayerSponsorBlock(this);
  }

  /** LavaLyrics (the plugin): lyrics of what this player plays, and live lines. */
  get lyrics(): PlayerLyrics {
    return new PlayerLyrics(this);
  }

  /** Whether `destroy()` was called; a destroyed player takes no commands. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /**
   * Joins a voice channel: sends Discord's op 4 through the bot's gateway, and resolves once the
   * node has taken the voice credentials Discord answers with (at once when it already has them
   * for this channel). Rejects `LAVALINK_VOICE_TIMEOUT` when they do not reach it within
   * `options.timeout` (default: the manager's `voiceTimeout`), having left the channel again;
   * `LAVALINK_VOICE_CANCELLED` when another connect, a disconnect or a destroy comes first.
   */
  async connect(channel: string | { id: string }, options?: ConnectOptions | null): Promise<this> {
    const { id, selfDeaf, selfMute, timeout } = checkConnect(channel, options);
    this.#assertAlive();
    await joinVoice(this, this.#state, { channel: id, selfDeaf, selfMute, timeoutMs: timeout ?? this.manager.options.voiceTimeout });
    return this;
  }

  /** Leaves the voice channel (op 4 with `channel_id: null`). The player stays; `destroy()` removes it. */
  async disconnect(): Promise<this> {
    await leaveVoice(this, this.#state);
    return this;
  }

  /** Plays a track (encoded string or a Track from `load`/`search`). */
  async play(track: string | Track, playOptions?: PlayOptions | null): Promise<void> {
    this.#assertAlive();
    const { encoded, options } = checkPlay(track, playOptions);
    if (options.noReplace && this.track) return;
    const settle = this.#state.askPlay(typeof track === 'string' ? trackFromEncoded(track)! : track, options.startTime ?? 0, options.paused ?? false, options.volume);
    try {
      await this.socket.send(playOp(this.guildId, encoded, options));
    } catch (error) {
      settle(!neverApplied(error));
      throw error;
    }
    settle(true);
  }

  /** Stops the current track (a `trackEnd` with `stopped` follows; a queue does not move on). */
  async stop(): Promise<void> {
    this.#assertAlive();
    // No start is awaited any more: the stop's end is the bot's to hear.
    this.#state.startAt = null;
    await this.socket.send({ op: 'stop', guildId: this.guildId });
  }

  /** Pauses (`state` true, the default) or resumes (`state` false). `paused` changes at once; rejects, and `paused` goes back, if the node refused it. */
  async pause(state = true): Promise<void> {
    this.#assertAlive();
    if (typeof state !== 'boolean') throw new InvalidOptionError('state', 'a boolean (true: pause, false: resume)', state);
    const position = this.position;
    const edit = this.#state.paused.ask(state);
    this.#state.setPosition(position);
    await this.#state.settle(this.#state.paused, edit, this.socket.send({ op: 'pause', guildId: this.guildId, pause: state }), true);
  }

  /** Resumes a paused player: `pause(false)`. */
  resume(): Promise<void> {
    return this.pause(false);
  }

  /** Jumps to `position` ms in the current track. Throws `LAVALINK_BAD_OP` when nothing plays. */
  async seek(position: number): Promise<void> {
    this.#assertAlive();
    if (!Number.isSafeInteger(position) || position < 0) throw new InvalidOptionError('position', 'a whole number of ms, at least 0', position);
    if (!this.track) throw new LavalinkError(ErrorCode.BadOp, `Player ${this.guildId} is not playing anything to seek in`);
    this.#state.setPosition(position);
    await this.socket.send({ op: 'seek', guildId: this.guildId, position });
  }

  /**
   * Sets the volume, 0 to 1000 (100 leaves the audio as it is). `volume` changes at once; rejects, and `volume` goes back, if the node refused it.
   *
   * @example
   * ```ts
   * await player.setVolume(50);
   * ```
   */
  async setVolume(volume: number): Promise<void> {
    this.#assertAlive();
    checkVolume(volume);
    const edit = this.#state.volume.ask(volume);
    await this.#state.settle(this.#state.volume, edit, this.socket.send({ op: 'volume', guildId: this.guildId, volume }));
  }

  /** Replaces every filter; what `filters` leaves out is turned off. */
  async setFilters(filters: Filters): Promise<void> {
    this.#assertAlive();
    if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) throw new InvalidOptionError('filters', 'an object of filters', filters);
    const copy = jsonData(filters, 'filters') as Filters;
    const edit = this.#state.filters.ask(copy);
    await this.#state.settle(this.#state.filters, edit, this.socket.send(filtersOp(this.guildId, copy)));
  }

  /** Sets the equalizer bands, keeping the other filters. */
  async setEqualizer(bands: EqualizerBand[]): Promise<void> {
    await this.setFilters({ ...this.filters, equalizer: checkBands(bands) });
  }

  /** Moves this player to another node with its whole state (track, position, volume, filters, pause, voice). */
  async moveTo(socket: Socket): Promise<void> {
    this.#assertAlive();
    await this.#state.moveTo(socket);
  }

  /**
   * Destroys the player on the node, leaves voice, and removes it from `manager.players`:
   * `manager.create(guild)` then makes a fresh one.
   */
  destroy(): Promise<void> {
    return this.#destroy('bot');
  }

  async #destroy(reason: PlayerDestroyReason): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    cancelJoin(this.#state, 'the player was destroyed');
    hubOf(this.manager)?.playerDestroyed(this, reason);
    await Promise.allSettled([this.disconnect(), this.socket.send({ op: 'destroy', guildId: this.guildId })]);
    this.track = null;
  }

  /** A snapshot of what this player is, for inspection. */
  toJSON(): Record<string, unknown> {
    return {
      guildId: this.guildId,
      socket: this.socket.id,
      channel: this.channel,
      track: this.track ? { encoded: this.track.encoded, title: this.track.info.title } : null,
      position: Math.floor(this.position),
      paused: this.paused,
      volume: this.volume,
      filters: this.filters,
      connected: this.connected,
    };
  }

  #assertAlive(): void {
    if (this.#destroyed) throw new LavalinkError(ErrorCode.BadOp, `Player ${this.guildId} was destroyed`);
  }

  #listenersChanged(): void {
    this.#updateHeard = this.listenerCount('playerUpdate') > 0;
  }

  static {
    destroyPlayer = (player, reason) => player.#destroy(reason);
    watchListeners(Player.prototype, (player) => player.#listenersChanged());
    livePosition = {
      position: (player) => player.#position,
      at: (player) => player.#positionAt,
      set: (player, position, at) => {
        player.#position = position;
        player.#positionAt = at;
      },
    };
    updatePlayer = (player, values, index, now, managerHeard) => {
      const at = index * FIELDS;
      // Not `const [a, b, c] = [...]`: that was 428 bytes of bytecode against 216, past what V8 inlines into the router's loop.
      const position = values[at + 1]!;
      const connected = values[at + 2]!;
      const ping = values[at + 3]!;
      // The player's own fields: an update writes the object the bot's listener reads anyway.
      if (!Number.isNaN(position)) {
        player.#position = position > 0 ? position : 0;
        player.#positionAt = now;
      }
      if (!Number.isNaN(connected)) player.connected = connected === 1;
      if (!Number.isNaN(ping)) player.ping = ping;
      // The state object is made only for listeners: at 100k updates/s, not making it is the saving.
      const heard = player.#updateHeard;
      if (!heard && !managerHeard) return;
      const update = updateState(values, index);
      if (heard) player.emit('playerUpdate', player, update);
      if (managerHeard) player.socket.manager.emit('playerUpdate', player, update);
    };
  }
}
