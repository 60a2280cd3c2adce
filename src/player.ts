/**
 * One guild's player. Its commands go through `Socket.send`, so the queue, ordering, crash
 * recovery and failover all apply; its state is updated from the node's frames and kept whole
 * enough to rebuild the player on another node (or on the same node after a lost session).
 */
import { EventEmitter } from 'node:events';
import { ErrorCode, InvalidOptionError, LavalinkError, neverApplied, readArgument } from './errors.js';
import { FieldEdits } from './field-edits.js';
import type { PlayerEvents, TrackEndReason } from './events.js';
import { internals, kCarry, kTakeQueued } from './internal.js';
import { FIELDS, updateState } from './ipc/updates.js';
import type { Manager } from './manager.js';
import type { EventMessage, PlayerUpdateMessage } from './protocol/messages.js';
import type { EqualizerBand, OutgoingOp } from './protocol/ops.js';
import { text, type Track } from './protocol/rest.js';
import { decodeTrack } from './protocol/track-codec.js';
import type { StoredPlayer } from './session-store/session-store.js';
import { jsonData } from './protocol/json-data.js';
import { Socket } from './socket.js';

export interface ConnectOptions {
  /** @default false */
  selfDeaf?: boolean;
  /** @default false */
  selfMute?: boolean;
}

export interface PlayOptions {
  /** Start this many ms into the track. */
  startTime?: number;
  /** Stop the track at this many ms. */
  endTime?: number;
  /** Do nothing if a track is already playing (or paused). */
  noReplace?: boolean;
  /** Start paused. */
  paused?: boolean;
  volume?: number;
  /** v4: stored with the track on the node. */
  userData?: Record<string, unknown>;
}

/** Every filter Lavalink knows (spec §6); omitted filters are off. */
export interface Filters {
  volume?: number;
  equalizer?: EqualizerBand[];
  karaoke?: { level?: number; monoLevel?: number; filterBand?: number; filterWidth?: number };
  timescale?: { speed?: number; pitch?: number; rate?: number };
  tremolo?: { frequency?: number; depth?: number };
  vibrato?: { frequency?: number; depth?: number };
  rotation?: { rotationHz?: number };
  distortion?: { sinOffset?: number; sinScale?: number; cosOffset?: number; cosScale?: number; tanOffset?: number; tanScale?: number; offset?: number; scale?: number };
  channelMix?: { leftToLeft?: number; leftToRight?: number; rightToLeft?: number; rightToRight?: number };
  lowPass?: { smoothing?: number };
  /** v4 plugin filters by plugin name (v3: sent as top-level keys). */
  pluginFilters?: Record<string, unknown>;
}

/** Discord voice credentials as they arrive (VOICE_STATE_UPDATE / VOICE_SERVER_UPDATE). */
interface VoiceCredentials {
  sessionId: string | null;
  token: string | null;
  endpoint: string | null;
}

/** Symbols the Manager uses; not part of the public API. */
export const kPlayerFrame = Symbol('lavathread.playerFrame');
export const kPlayerUpdate = Symbol('lavathread.playerUpdate');
const kListenersChanged = Symbol('lavathread.listenersChanged');
export const kVoiceState = Symbol('lavathread.voiceState');
export const kVoiceServer = Symbol('lavathread.voiceServer');
export const kRestore = Symbol('lavathread.restore');
export const kSnapshot = Symbol('lavathread.snapshot');
export const kAdopt = Symbol('lavathread.adopt');
export const kRestoreFailed = Symbol('lavathread.restoreFailed');

/** A player's state as a session store keeps it, or as a resumed node reports it. */
export interface AdoptedState {
  track: Track | null;
  position: number;
  paused: boolean;
  volume: number;
  filters: Filters;
  channel: string | null;
  voice: { sessionId: string; token: string; endpoint: string } | null;
}

const v3Reasons: Readonly<Record<string, TrackEndReason>> = {
  FINISHED: 'finished',
  LOAD_FAILED: 'loadFailed',
  STOPPED: 'stopped',
  REPLACED: 'replaced',
  CLEANUP: 'cleanup',
};

export class Player extends EventEmitter<PlayerEvents> {
  /** Whether `playerUpdate` has listeners here; kept by the listener methods (see the end of this file). */
  #updateHeard = false;
  /** The guild this player plays in. */
  readonly guildId: string;
  /** The node this player is on; changes on `moveTo` and failover. */
  socket: Socket;
  /** The voice channel, or null when not in one. */
  channel: string | null = null;
  /** The current track (decoded), or null. */
  track: Track | null = null;
  readonly #paused = new FieldEdits(false);
  readonly #volume = new FieldEdits(100);
  readonly #filters = new FieldEdits<Filters>({});
  /** Plays asked for so far: a refused play puts the track back only if no later one was asked. */
  #plays = 0;
  /** Whether Lavalink's voice connection to Discord is up (from the node's playerUpdates). */
  connected = false;
  /** Latency of Lavalink's voice connection, ms; -1 when not connected. */
  ping = -1;

  #position = 0;
  #positionAt = 0;
  /** Where the track asked for (play, restore) starts: its TrackStartEvent sets the position to it. */
  #startAt: number | null = null;
  /**
   * Whether the bot was told (`trackStart`) that the current track plays. A restore plays the same
   * track on another node or session, and some servers send extra starts on a seek, a filter
   * change or a replace: none of those is a new track to the bot.
   */
  #announced = false;
  #voice: VoiceCredentials = { sessionId: null, token: null, endpoint: null };
  /** The token of the last voice update sent: a channel move must bring a new one. */
  #sentToken: string | null = null;
  #lastVoiceKey: string | null = null;
  #destroyed = false;

  constructor(socket: Socket, guildId: string) {
    super();
    if (typeof guildId !== 'string' || !/^\d{1,20}$/.test(guildId)) throw new InvalidOptionError('guild', 'a guild id (a string of digits)', guildId);
    this.socket = socket;
    this.guildId = guildId;
  }

  get manager(): Manager {
    return this.socket.manager;
  }

  /** Whether the player is paused (as the bot asked, from the moment it asks). */
  get paused(): boolean {
    return this.#paused.value;
  }

  set paused(paused: boolean) {
    this.#paused.reset(paused);
  }

  /** Volume, 0 to 1000 (as the bot asked, from the moment it asks). */
  get volume(): number {
    return this.#volume.value;
  }

  set volume(volume: number) {
    this.#volume.reset(volume);
  }

  /** The filters (as the bot asked, from the moment it asks). */
  get filters(): Filters {
    return this.#filters.value;
  }

  set filters(filters: Filters) {
    this.#filters.reset(filters);
  }

  /** A track is loaded and not paused. */
  get playing(): boolean {
    return this.track !== null && !this.paused;
  }

  /** Position in the track, ms, moved on from the last playerUpdate while playing. Never negative. */
  get position(): number {
    if (!this.track) return 0;
    if (this.paused || this.#positionAt === 0) return this.#position;
    const live = this.#position + (performance.now() - this.#positionAt);
    const { isStream, length } = this.track.info;
    // A length of -1 (or 0) is unknown (live inputs, some servers' local files): no limit.
    return isStream || !(length > 0) ? live : Math.min(live, length);
  }

  /** Joins a voice channel: sends Discord's op 4 through the bot's gateway. */
  async connect(channel: string | { id: string }, options?: ConnectOptions | null): Promise<this> {
    const expected = 'a voice channel id (a string of digits)';
    const id = readArgument('channel', expected, () => (typeof channel === 'string' ? channel : (channel as { id?: unknown } | null | undefined)?.id));
    if (typeof id !== 'string' || !/^\d{1,20}$/.test(id)) throw new InvalidOptionError('channel', expected, channel);
    const { selfDeaf = false, selfMute = false } = readArgument('options', 'an object of options (or nothing)', () => ({ ...optionsObject(options, 'options') })) as ConnectOptions;
    if (typeof selfDeaf !== 'boolean') throw new InvalidOptionError('options.selfDeaf', 'a boolean', selfDeaf);
    if (typeof selfMute !== 'boolean') throw new InvalidOptionError('options.selfMute', 'a boolean', selfMute);
    this.#assertAlive();
    await this.manager.options.send(this.guildId, {
      op: 4,
      d: { guild_id: this.guildId, channel_id: id, self_mute: selfMute, self_deaf: selfDeaf },
    });
    return this;
  }

  /** Leaves the voice channel (op 4 with `channel_id: null`). The player stays; `destroy()` removes it. */
  async disconnect(): Promise<this> {
    await this.manager.options.send(this.guildId, { op: 4, d: { guild_id: this.guildId, channel_id: null, self_mute: false, self_deaf: false } });
    this.#forgetVoice();
    return this;
  }

  /** Plays a track (encoded string or a Track from `load`/`search`). */
  async play(track: string | Track, playOptions?: PlayOptions | null): Promise<void> {
    this.#assertAlive();
    const encoded = readArgument('track', 'an encoded track or a Track', () => (typeof track === 'string' ? track : (track as Track | null | undefined)?.encoded));
    if (typeof encoded !== 'string' || encoded === '') throw new InvalidOptionError('track', 'an encoded track or a Track', track);
    const options = readArgument('options', 'an object of play options (or nothing)', () => checkPlayOptions(playOptions));
    if (options.noReplace && this.track) return;
    // The player's state is what the bot asked for, from the moment it asks: a restore or a move
    // that happens while the op is on its way must carry the new state, not the old one.
    const previous = { track: this.track, startAt: this.#startAt, announced: this.#announced, position: this.position };
    const play = ++this.#plays;
    this.track = typeof track === 'string' ? trackFromEncoded(track) : track;
    const pauseEdit = this.#paused.ask(options.paused ?? false);
    const volumeEdit = options.volume !== undefined ? this.#volume.ask(options.volume) : null;
    this.#setPosition(options.startTime ?? 0);
    this.#startAt = options.startTime ?? 0;
    this.#announced = false;
    const sent = this.#send({
      op: 'play',
      guildId: this.guildId,
      track: encoded,
      ...(options.startTime !== undefined ? { startTime: options.startTime } : {}),
      ...(options.endTime !== undefined ? { endTime: options.endTime } : {}),
      ...(options.noReplace !== undefined ? { noReplace: options.noReplace } : {}),
      ...(options.paused !== undefined ? { pause: options.paused } : {}),
      ...(options.volume !== undefined ? { volume: options.volume } : {}),
      ...(options.userData !== undefined ? { userData: options.userData } : {}),
    });
    await sent.then(
      () => {
        this.#paused.took(pauseEdit);
        if (volumeEdit !== null) this.#volume.took(volumeEdit);
      },
      (error: unknown) => {
        if (!neverApplied(error)) {
          this.#paused.took(pauseEdit);
          if (volumeEdit !== null) this.#volume.took(volumeEdit);
          throw error;
        }
        // The node never took it: what it plays is what it played before.
        this.#paused.refused(pauseEdit);
        if (volumeEdit !== null) this.#volume.refused(volumeEdit);
        if (play === this.#plays) {
          this.track = previous.track;
          this.#startAt = previous.startAt;
          this.#announced = previous.announced;
          this.#setPosition(previous.position);
        }
        throw error;
      },
    );
  }

  async stop(): Promise<void> {
    this.#assertAlive();
    await this.#send({ op: 'stop', guildId: this.guildId });
  }

  async pause(state = true): Promise<void> {
    this.#assertAlive();
    if (typeof state !== 'boolean') throw new InvalidOptionError('state', 'a boolean (true: pause, false: resume)', state);
    const position = this.position;
    const edit = this.#paused.ask(state);
    this.#setPosition(position);
    await this.#settle(this.#paused, edit, this.#send({ op: 'pause', guildId: this.guildId, pause: state }), true);
  }

  resume(): Promise<void> {
    return this.pause(false);
  }

  async seek(position: number): Promise<void> {
    this.#assertAlive();
    if (!Number.isSafeInteger(position) || position < 0) throw new InvalidOptionError('position', 'a whole number of ms, at least 0', position);
    if (!this.track) throw new LavalinkError(ErrorCode.BadOp, `Player ${this.guildId} is not playing anything to seek in`);
    this.#setPosition(position);
    await this.#send({ op: 'seek', guildId: this.guildId, position });
  }

  async setVolume(volume: number): Promise<void> {
    this.#assertAlive();
    checkVolume(volume);
    const edit = this.#volume.ask(volume);
    await this.#settle(this.#volume, edit, this.#send({ op: 'volume', guildId: this.guildId, volume }));
  }

  /** Replaces every filter; what `filters` leaves out is turned off. */
  async setFilters(filters: Filters): Promise<void> {
    this.#assertAlive();
    if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) throw new InvalidOptionError('filters', 'an object of filters', filters);
    const copy = jsonData(filters, 'filters') as Filters;
    const edit = this.#filters.ask(copy);
    await this.#settle(this.#filters, edit, this.#send(this.#filtersOp(copy)));
  }

  /** Sets the equalizer bands, keeping the other filters. */
  setEqualizer(bands: EqualizerBand[]): Promise<void> {
    const expected = 'an array of {band: 0..14, gain: -0.25..1}';
    let copy: EqualizerBand[];
    try {
      copy = jsonData(bands, 'bands') as EqualizerBand[];
    } catch {
      return Promise.reject(new InvalidOptionError('bands', expected, bands));
    }
    if (!Array.isArray(copy) || !copy.every((b) => Number.isInteger(b?.band) && b.band >= 0 && b.band <= 14 && typeof b.gain === 'number' && b.gain >= -0.25 && b.gain <= 1)) {
      return Promise.reject(new InvalidOptionError('bands', expected, bands));
    }
    return this.setFilters({ ...this.filters, equalizer: copy });
  }

  /** Moves this player to another node with its whole state (track, position, volume, filters, pause, voice). */
  async moveTo(socket: Socket): Promise<void> {
    this.#assertAlive();
    const expected = "a live Socket of this player's manager";
    const ours = readArgument('socket', expected, () => socket instanceof Socket && this.manager.sockets.get(socket.id) === socket);
    if (!ours) throw new InvalidOptionError('socket', expected, socket);
    if (socket === this.socket) return;
    const from = this.socket;
    // The old node is told to drop the player: now, or when it is back (it may resume its session
    // with the player still in it). A node gone for good refuses at once; nothing is lost then.
    const carried = from[kTakeQueued](this.guildId);
    from.send({ op: 'destroy', guildId: this.guildId }).catch(() => {});
    this.socket = socket;
    internals.get(this.manager)?.playerMoved();
    // What the old node never took goes to the new one first, in order; then the whole state.
    socket[kCarry](carried);
    await this[kRestore]();
    this.emit('nodeMove', this, from, socket);
    this.manager.emit('playerNodeMove', this, from, socket);
  }

  /**
   * Destroys the player on the node, leaves voice, and removes it from `manager.players`:
   * `manager.create(guild)` then makes a fresh one.
   */
  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    internals.get(this.manager)?.playerDestroyed(this);
    await Promise.allSettled([this.disconnect(), this.socket.send({ op: 'destroy', guildId: this.guildId })]);
    this.track = null;
  }

  /** Whether `destroy()` was called; a destroyed player takes no commands. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Sends everything the node needs to play as this player does: after a move or a lost session. */
  async [kRestore](): Promise<void> {
    this.#lastVoiceKey = null;
    const sends: Promise<void>[] = [];
    const voice = this.#voiceOp();
    if (voice) {
      this.#lastVoiceKey = voiceKey(voice);
      sends.push(this.socket.send(voice));
    }
    if (this.track) {
      // The same track goes on where it was: its start on the node is not a new track to the bot.
      const startTime = Math.max(0, Math.floor(this.position));
      this.#startAt = startTime;
      sends.push(
        this.socket.send({
          op: 'play',
          guildId: this.guildId,
          track: this.track.encoded,
          startTime,
          pause: this.paused,
          volume: this.volume,
        }),
      );
    } else if (this.volume !== 100) {
      sends.push(this.socket.send({ op: 'volume', guildId: this.guildId, volume: this.volume }));
    }
    if (Object.keys(this.filters).length > 0) sends.push(this.socket.send(this.#filtersOp(this.filters)));
    await Promise.all(sends);
  }

  /**
   * A restore failed on every node that could take it: nothing plays any more, the player says
   * so, and the bot is told with the track it lost and why.
   */
  [kRestoreFailed](error: LavalinkError): void {
    const track = this.track;
    this.track = null;
    this.paused = false;
    this.#setPosition(0);
    this.#startAt = null;
    this.#announced = false;
    this.emit('restoreFailed', this, track, error);
    this.manager.emit('playerRestoreFailed', this, track, error);
  }

  /** The player as a session store keeps it. */
  [kSnapshot](): StoredPlayer {
    const { sessionId, token, endpoint } = this.#voice;
    return {
      guildId: this.guildId,
      socketId: this.socket.id,
      channel: this.channel,
      voice: sessionId !== null && token !== null && endpoint !== null ? { sessionId, token, endpoint } : null,
      track: this.track?.encoded ?? null,
      position: Math.max(0, Math.floor(this.position)),
      paused: this.paused,
      volume: this.volume,
      filters: this.filters as Record<string, unknown>,
    };
  }

  /** Takes over a player that already exists on the node (resumed) or is about to be restored. */
  [kAdopt](state: AdoptedState, voiceOnNode: boolean): void {
    this.track = state.track;
    this.paused = state.paused;
    this.volume = state.volume;
    this.filters = state.filters;
    this.channel = state.channel;
    this.#setPosition(Math.max(0, state.position));
    // The bot knew this track plays (before its restart): its start on the node is not news.
    this.#announced = state.track !== null;
    if (state.voice) {
      this.#voice = { ...state.voice };
      const op = this.#voiceOp();
      // On a resumed node the voice connection is up already: do not send it again.
      this.#lastVoiceKey = voiceOnNode && op ? voiceKey(op) : null;
      this.#sentToken = voiceOnNode ? state.voice.token : null;
    }
  }

  /** VOICE_STATE_UPDATE for the bot in this guild (Manager filters the user). */
  [kVoiceState](channelId: string | null, sessionId: string): void {
    if (channelId === null) {
      // Left voice: nothing stale may be sent later.
      const old = this.channel;
      this.#forgetVoice();
      if (old !== null) {
        this.emit('move', this, old, null);
        this.manager.emit('playerMove', this, old, null);
      }
      return;
    }
    const old = this.channel;
    this.channel = channelId;
    this.#voice.sessionId = sessionId;
    // A move brings a new token (before or after this update): the one already sent is stale.
    if (old !== null && old !== channelId && this.#voice.token === this.#sentToken) {
      this.#voice.token = null;
      this.#voice.endpoint = null;
    }
    if (old !== channelId) {
      this.emit('move', this, old, channelId);
      this.manager.emit('playerMove', this, old, channelId);
    }
    this.#sendVoice();
  }

  /** VOICE_SERVER_UPDATE: `endpoint: null` means Discord is moving the voice server; wait. */
  [kVoiceServer](token: string, endpoint: string | null): void {
    this.#voice.token = token;
    this.#voice.endpoint = endpoint;
    this.#sendVoice();
  }

  /**
   * Update `index` of a run of plain playerUpdates (ipc/updates.ts); `now` is when the run is
   * handled; `managerHeard`: whether the manager has playerUpdate listeners (asked once per run).
   */
  [kPlayerUpdate](values: Float64Array, index: number, now: number, managerHeard: boolean): void {
    const at = index * FIELDS;
    const position = values[at + 1]!;
    const connected = values[at + 2]!;
    const ping = values[at + 3]!;
    if (!Number.isNaN(position)) {
      this.#position = position > 0 ? position : 0;
      this.#positionAt = now;
    }
    if (!Number.isNaN(connected)) this.connected = connected === 1;
    if (!Number.isNaN(ping)) this.ping = ping;
    if (!this.#updateHeard && !managerHeard) return;
    const state = updateState(values, index);
    if (this.#updateHeard) this.emit('playerUpdate', this, state);
    if (managerHeard) this.manager.emit('playerUpdate', this, state);
  }

  [kListenersChanged](): void {
    this.#updateHeard = this.listenerCount('playerUpdate') > 0;
  }

  /** A frame from the node for this guild. */
  [kPlayerFrame](frame: PlayerUpdateMessage | EventMessage): void {
    if (frame.op === 'playerUpdate') {
      const state = frame.state;
      if (typeof state?.position === 'number') this.#setPosition(Math.max(0, state.position));
      if (typeof state?.connected === 'boolean') this.connected = state.connected;
      if (typeof state?.ping === 'number') this.ping = state.ping;
      this.emit('playerUpdate', this, frame.state);
      this.manager.emit('playerUpdate', this, frame.state);
      return;
    }
    const track = eventTrack(frame) ?? this.track;
    switch (frame.type) {
      case 'TrackStartEvent': {
        if (!track) return;
        const same = this.track?.encoded === track.encoded;
        if (!same) {
          // A track the bot did not ask for here (a plugin's autoplay, another client).
          this.track = track;
          this.#setPosition(0);
          this.#announced = false;
        } else if (this.#startAt !== null) {
          // Where the asked-for start put it; servers that send playerUpdate only on their
          // interval would leave a reset position wrong for seconds.
          this.#setPosition(this.#startAt);
        }
        this.#startAt = null;
        if (this.#announced) return;
        this.#announced = true;
        this.emit('trackStart', this, track);
        this.manager.emit('trackStart', this, track);
        return;
      }
      case 'TrackEndEvent': {
        const reason = v3Reasons[String(frame.reason)] ?? (frame.reason as TrackEndReason);
        // A replaced track's end arrives after the new one was asked for: the player already
        // holds the new one, which may be the same track again (a restore, a replay).
        if (reason !== 'replaced') {
          this.track = null;
          this.#setPosition(0);
          this.#startAt = null;
          this.#announced = false;
        }
        const mayStartNext = reason === 'finished' || reason === 'loadFailed';
        this.emit('trackEnd', this, track, reason, mayStartNext);
        this.manager.emit('trackEnd', this, track, reason, mayStartNext);
        return;
      }
      case 'TrackExceptionEvent': {
        const raw = (frame.exception ?? { message: frame.error, severity: 'common' }) as { message?: unknown; severity?: unknown; cause?: unknown };
        const exception = { message: typeof raw.message === 'string' ? raw.message : null, severity: (text(raw.severity) || 'common').toLowerCase(), cause: typeof raw.cause === 'string' ? raw.cause : null };
        this.emit('trackException', this, track, exception);
        this.manager.emit('trackException', this, track, exception);
        return;
      }
      case 'TrackStuckEvent': {
        const threshold = Number(frame.thresholdMs ?? 0);
        this.emit('trackStuck', this, track, threshold);
        this.manager.emit('trackStuck', this, track, threshold);
        return;
      }
      case 'WebSocketClosedEvent': {
        this.connected = false;
        // Some servers leave code and reason out when the voice endpoint cannot be reached: -1, ''.
        const [code, reason, byRemote] = [typeof frame.code === 'number' ? frame.code : -1, text(frame.reason), frame.byRemote === true];
        this.emit('socketClosed', this, code, reason, byRemote);
        this.manager.emit('socketClosed', this, code, reason, byRemote);
        return;
      }
      default:
        return;
    }
  }

  /** A snapshot of what this player is, for the session store and inspection. */
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

  #send(op: OutgoingOp): Promise<void> {
    return this.socket.send(op);
  }

  /** Settles edit `edit` of `field` with the command's outcome (see field-edits.ts). */
  async #settle<T>(field: FieldEdits<T>, edit: number, sent: Promise<void>, keepsPosition = false): Promise<void> {
    try {
      await sent;
    } catch (error) {
      if (!neverApplied(error)) {
        field.took(edit);
        throw error;
      }
      const position = this.position;
      field.refused(edit);
      // A pause taken back: the position goes on (or stands) from where it reads now.
      if (keepsPosition) this.#setPosition(position);
      throw error;
    }
    field.took(edit);
  }

  #setPosition(position: number): void {
    this.#position = position;
    this.#positionAt = performance.now();
  }

  #filtersOp(filters: Filters): OutgoingOp {
    const { pluginFilters, ...builtIn } = filters;
    // v3 takes plugin filters as top-level keys; the v4 adapter sends the whole object as `filters`.
    const extra = this.socket.version === 3 ? (pluginFilters ?? {}) : pluginFilters ? { pluginFilters } : {};
    return { op: 'filters', guildId: this.guildId, ...builtIn, ...extra };
  }

  #voiceOp(): Extract<OutgoingOp, { op: 'voiceUpdate' }> | null {
    const { sessionId, token, endpoint } = this.#voice;
    if (sessionId === null || token === null || endpoint === null || this.channel === null) return null;
    return { op: 'voiceUpdate', guildId: this.guildId, sessionId, event: { token, guild_id: this.guildId, endpoint }, channelId: this.channel };
  }

  /** Sends the voice credentials once both halves are known, and never the same ones twice. */
  #sendVoice(): void {
    if (this.#destroyed) return;
    const op = this.#voiceOp();
    if (!op) return;
    const key = voiceKey(op);
    if (key === this.#lastVoiceKey) return;
    this.#lastVoiceKey = key;
    this.#sentToken = op.event.token;
    this.#send(op).catch((error: unknown) => {
      this.#lastVoiceKey = null;
      if (error instanceof LavalinkError) this.manager.emit('socketError', this.socket, error);
    });
  }

  #forgetVoice(): void {
    this.channel = null;
    this.connected = false;
    this.#voice = { sessionId: null, token: null, endpoint: null };
    this.#sentToken = null;
    this.#lastVoiceKey = null;
  }

  #assertAlive(): void {
    if (this.#destroyed) throw new LavalinkError(ErrorCode.BadOp, `Player ${this.guildId} was destroyed`);
  }
}

/** An options argument: an object, or null/undefined for none. */
function optionsObject(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidOptionError(name, 'an object of options (or nothing)', value);
  return value as Record<string, unknown>;
}

/** Every play option checked (and userData copied) before the player changes. */
function checkPlayOptions(value: unknown): PlayOptions {
  const o = optionsObject(value, 'options');
  const out: PlayOptions = {};
  for (const key of ['startTime', 'endTime'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || (v as number) < 0) throw new InvalidOptionError(`options.${key}`, 'a whole number of ms, at least 0', v);
    out[key] = v as number;
  }
  for (const key of ['noReplace', 'paused'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new InvalidOptionError(`options.${key}`, 'a boolean', v);
    out[key] = v;
  }
  if (o.volume !== undefined) {
    checkVolume(o.volume as number);
    out.volume = o.volume as number;
  }
  if (o.userData !== undefined) {
    const data = jsonData(o.userData, 'options.userData');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InvalidOptionError('options.userData', 'an object', o.userData);
    out.userData = data as Record<string, unknown>;
  }
  return out;
}

function checkVolume(volume: number): void {
  if (!Number.isInteger(volume) || volume < 0 || volume > 1000) throw new InvalidOptionError('volume', 'an integer from 0 to 1000', volume);
}

function voiceKey(op: Extract<OutgoingOp, { op: 'voiceUpdate' }>): string {
  return `${op.sessionId}\u0000${op.event.token}\u0000${op.event.endpoint ?? ''}\u0000${op.channelId ?? ''}`;
}

/** The track of an event: v4 sends the Track object, v3 the encoded string (decoded here). */
function eventTrack(frame: EventMessage): Track | null {
  const raw = frame.track;
  if (typeof raw === 'string') return trackFromEncoded(raw);
  if (typeof raw === 'object' && raw !== null && typeof (raw as { encoded?: unknown }).encoded === 'string') return raw as Track;
  return null;
}

function trackFromEncoded(encoded: string): Track {
  try {
    return { encoded, info: decodeTrack(encoded).info, pluginInfo: {}, userData: {} };
  } catch {
    // A plugin's track this codec cannot read: still playable, just without info.
    return { encoded, info: { identifier: '', isSeekable: false, author: '', length: 0, isStream: false, position: 0, title: '', uri: null, sourceName: '', artworkUrl: null, isrc: null }, pluginInfo: {}, userData: {} };
  }
}

/**
 * Every way a listener comes or goes updates whether the player's `playerUpdate` is heard. Asking
 * the emitter on each update reads its listener table, one more object per update: at 100k
 * updates/s that cache miss was ~0.08 µs of main-thread CPU per event (bench flood). `once` and
 * `events.once()` go through these too.
 */
for (const method of ['addListener', 'on', 'prependListener', 'once', 'prependOnceListener', 'removeListener', 'off', 'removeAllListeners'] as const) {
  const base = Reflect.get(EventEmitter.prototype, method) as (this: EventEmitter, ...args: unknown[]) => EventEmitter;
  Object.defineProperty(Player.prototype, method, {
    configurable: true,
    writable: true,
    value(this: Player, ...args: unknown[]) {
      const result = base.apply(this, args);
      this[kListenersChanged]();
      return result;
    },
  });
}
