/**
 * One Lavalink session: the players a client created over one WebSocket, kept across a
 * disconnect when resuming is configured (v3 `configureResuming`, v4 `PATCH /v4/sessions/{sessionId}`).
 */
import { randomInt } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Dialect, StatsView } from './dialect.js';
import type { Quirks } from './quirks.js';
import { SimPlayer, type PlayerEvent, type PlayerHost } from './sim-player.js';
import type { EndReason, SimTrack } from './types.js';

/** What a session needs from the server that holds it. */
export interface SessionOwner {
  readonly dialect: Dialect;
  readonly playerUpdateIntervalMs: number;
  readonly statsIntervalMs: number;
  readonly quirks: Readonly<Quirks>;
  /** Go-silent fault: nothing leaves the server. */
  readonly silent: boolean;
  stats(session: SimSession): StatsView;
  onSessionEnded(session: SimSession): void;
  /** A track started on one of the session's players: plugins (plugins.ts) react here. */
  onTrackStart?(session: SimSession, player: SimPlayer, track: SimTrack): void;
}

export type SessionState = 'open' | 'paused' | 'closed';

/** The longest delay setTimeout honours (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A 16-character `[a-z0-9]` id, like Lavalink's. */
export function newSessionId(): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export class SimSession implements PlayerHost {
  readonly id = newSessionId();
  readonly userId: string;
  readonly clientName: string | null;
  readonly players = new Map<string, SimPlayer>();
  state: SessionState = 'open';
  /** v3: resuming is on while a key is set. */
  resumeKey: string | null = null;
  /** v4: resuming is on while this is true. */
  resuming = false;
  /** Seconds a paused session waits for its client. */
  timeout = 60;
  /** Frames sent while the client was away, replayed in order on resume. */
  readonly queue: string[] = [];

  readonly #owner: SessionOwner;
  #ws: WebSocket | null;
  #statsTimer: NodeJS.Timeout | undefined;
  #pauseTimer: NodeJS.Timeout | undefined;
  /** Settles once the last frame sent is written to the socket (kept for `trackStartBeforeReply` only). */
  #written: Promise<void> = Promise.resolve();

  constructor(owner: SessionOwner, ws: WebSocket, userId: string, clientName: string | null) {
    this.#owner = owner;
    this.#ws = ws;
    this.userId = userId;
    this.clientName = clientName;
  }

  get dialect(): Dialect {
    return this.#owner.dialect;
  }

  get quirks(): Readonly<Quirks> {
    return this.#owner.quirks;
  }

  get ws(): WebSocket | null {
    return this.#ws;
  }

  get resumable(): boolean {
    if (this.quirks.noResuming) return false;
    return this.dialect.release.protocol === 4 ? this.resuming : this.resumeKey !== null;
  }

  get updateIntervalMs(): number {
    return this.#owner.playerUpdateIntervalMs;
  }

  get updatesWhilePaused(): boolean {
    return this.dialect.release.updatesWhilePaused;
  }

  get markerReason(): EndReason {
    return this.dialect.release.markerReason;
  }

  get updateAfterVoiceClosed(): boolean {
    return this.dialect.release.updateAfterVoiceClosed;
  }

  /** Sends the first frames of a new session and starts its stats. */
  open(): void {
    if (this.dialect.release.sendsReady) this.send({ op: 'ready', resumed: false, sessionId: this.id });
    this.#startStats();
  }

  /** The player for a guild, created on first use as Lavalink does. */
  player(guildId: string): SimPlayer {
    let player = this.players.get(guildId);
    if (!player) {
      player = new SimPlayer(this, guildId);
      this.players.set(guildId, player);
    }
    return player;
  }

  destroyPlayer(guildId: string): void {
    const player = this.players.get(guildId);
    if (!player) return;
    player.destroy();
    this.players.delete(guildId);
  }

  /** Sends a frame now, queues it while paused, drops it once closed or while silent. */
  send(frame: Record<string, unknown>): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(data: string): void {
    const ws = this.#ws;
    if (this.state === 'paused') this.queue.push(data);
    else if (this.state !== 'open' || this.#owner.silent || !ws) return;
    else if (!this.quirks.trackStartBeforeReply) ws.send(data);
    // A write callback per frame only where an answer waits for it; it settles on errors too.
    else this.#written = new Promise((resolve) => ws.send(data, () => resolve()));
  }

  /** Resolves once every frame sent so far is written to the socket (or could not be). */
  written(): Promise<void> {
    return this.#written;
  }

  sendEvent(player: SimPlayer, event: PlayerEvent): void {
    const d = this.dialect;
    const base = { op: 'event', type: event.type, guildId: player.guildId };
    switch (event.type) {
      case 'TrackStartEvent':
        // At the position it starts from, as Lavalink writes it into the encoded track.
        return this.send({ ...base, ...d.eventTrack(event.track, event.position) });
      case 'TrackEndEvent':
        return this.send({ ...base, ...d.eventTrack(event.track, event.position), reason: d.endReason(event.reason) });
      case 'TrackExceptionEvent':
        return this.send({ ...base, ...d.eventTrack(event.track, player.position), ...d.exceptionFields(event.exception) });
      case 'TrackStuckEvent':
        return this.send({ ...base, ...d.eventTrack(event.track, player.position), thresholdMs: event.thresholdMs });
      case 'WebSocketClosedEvent':
        if (this.quirks.bareVoiceClosed) return this.send({ ...base, byRemote: event.byRemote });
        return this.send({ ...base, code: event.code, reason: event.reason, byRemote: event.byRemote });
    }
  }

  /**
   * An event of a type the engine does not know (a plugin's): `{op: 'event', type, guildId, ...fields}`,
   * queued while paused. `fields` cannot replace the three keys that route the event.
   */
  sendPlayerEvent(guildId: string, type: string, fields: Readonly<Record<string, unknown>>): void {
    const { op: _op, type: _type, guildId: _guildId, ...rest } = fields;
    this.send({ op: 'event', type, guildId, ...rest });
  }

  onTrackStart(player: SimPlayer, track: SimTrack): void {
    this.#owner.onTrackStart?.(this, player, track);
  }

  /** Lavalink does not generate playerUpdates for a session that waits for a resume. */
  sendPlayerUpdate(player: SimPlayer): void {
    if (this.state !== 'open') return;
    this.send({ op: 'playerUpdate', guildId: player.guildId, state: this.dialect.playerState(player, Date.now()) });
  }

  sendStats(): void {
    if (this.state === 'paused' && !this.dialect.release.queuesStatsWhilePaused) return;
    this.send({ op: 'stats', ...this.dialect.stats(this.#owner.stats(this)) });
  }

  /** The WebSocket closed: wait `timeout` seconds for a resume, or end the session now. */
  detach(): void {
    if (this.state !== 'open') return;
    this.#ws = null;
    if (!this.resumable) return this.end();
    this.state = 'paused';
    this.#endAfter(this.timeout * 1000);
  }

  /** Ends the session after `ms`, in steps setTimeout can wait: a longer delay would fire after 1 ms. */
  #endAfter(ms: number): void {
    const step = Math.min(ms, MAX_TIMER_DELAY);
    this.#pauseTimer = setTimeout(() => (ms > step ? this.#endAfter(ms - step) : this.end()), step);
  }

  /** A client came back with this session's key or id: replay, then one update each. */
  resume(ws: WebSocket): void {
    clearTimeout(this.#pauseTimer);
    this.#ws = ws;
    this.state = 'open';
    if (this.dialect.release.sendsReady) this.send({ op: 'ready', resumed: true, sessionId: this.id });
    for (const frame of this.queue.splice(0)) this.sendRaw(frame);
    for (const player of this.players.values()) player.sendUpdate();
  }

  /** Shuts the session down: players and voice connections go, silently. */
  end(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.#pauseTimer);
    clearInterval(this.#statsTimer);
    for (const player of this.players.values()) player.dispose();
    this.players.clear();
    this.queue.length = 0;
    const ws = this.#ws;
    this.#ws = null;
    if (ws && ws.readyState === ws.OPEN) ws.close(1000, 'Session ended');
    this.#owner.onSessionEnded(this);
  }

  #startStats(): void {
    // Lavalink sends stats at once (initial delay 0), then on every interval; NodeLink only on the interval.
    if (!this.quirks.statsAfterInterval) this.sendStats();
    this.#statsTimer = setInterval(() => this.sendStats(), this.#owner.statsIntervalMs);
  }
}
