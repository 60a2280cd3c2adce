/**
 * One simulated Lavalink player: a track that "plays" on the wall clock, with the events and
 * playerUpdates a real node sends.
 */
import type { PlayerView } from './dialect.js';
import type { Quirks } from './quirks.js';
import type { EndReason, SimException, SimTrack, VoiceState } from './types.js';

/** A player event (an `event` frame) before a dialect spells it. */
export type PlayerEvent =
  /** `position`: where it starts, as Lavalink writes it into the encoded track. */
  | { readonly type: 'TrackStartEvent'; readonly track: SimTrack; readonly position: number }
  | { readonly type: 'TrackEndEvent'; readonly track: SimTrack; readonly position: number; readonly reason: EndReason }
  | { readonly type: 'TrackExceptionEvent'; readonly track: SimTrack; readonly exception: SimException }
  | { readonly type: 'TrackStuckEvent'; readonly track: SimTrack; readonly thresholdMs: number }
  | { readonly type: 'WebSocketClosedEvent'; readonly code: number; readonly reason: string; readonly byRemote: boolean };

/** What a player needs from the session that owns it. */
export interface PlayerHost {
  readonly updateIntervalMs: number;
  /** Whether periodic updates continue while the track is paused (v4) or not (v3). */
  readonly updatesWhilePaused: boolean;
  readonly markerReason: EndReason;
  /** Whether a playerUpdate follows a WebSocketClosedEvent (3.7+, v4; not 3.3). */
  readonly updateAfterVoiceClosed: boolean;
  /** `updatesOnIntervalOnly`, `extraTrackStarts` and `volatileFilters` change what a player sends and keeps. */
  readonly quirks: Readonly<Pick<Quirks, 'updatesOnIntervalOnly' | 'extraTrackStarts' | 'volatileFilters'>>;
  /** An event: queued while the session waits for a resume. */
  sendEvent(player: SimPlayer, event: PlayerEvent): void;
  /** A playerUpdate: dropped while the session waits for a resume, as Lavalink does. */
  sendPlayerUpdate(player: SimPlayer): void;
  /** A track started (after its TrackStartEvent): where plugins add their own events and cues. */
  onTrackStart(player: SimPlayer, track: SimTrack): void;
}

/** Something to do once the current track's position reaches `at` ms (a lyrics line, a segment to skip). */
interface Cue {
  readonly at: number;
  readonly fire: () => void;
}

export interface PlayOptions {
  readonly position?: number;
  readonly endTime?: number | null;
  readonly paused?: boolean;
}

/** Milliseconds of made-up latency to the Discord voice server while connected. */
const VOICE_PING = 20;

export class SimPlayer implements PlayerView {
  readonly guildId: string;
  track: SimTrack | null = null;
  volume = 100;
  paused = false;
  filters: Record<string, unknown> = {};
  voice: VoiceState | null = null;
  /** The voice connection was closed by Discord (WebSocketClosedEvent) and not yet renewed. */
  voiceClosed = false;
  /** The end marker of the current track, ms into it. */
  endTime: number | null = null;

  readonly #host: PlayerHost;
  #base = 0; // position at #since
  #since = 0;
  #endTimer: NodeJS.Timeout | undefined;
  #faultTimer: NodeJS.Timeout | undefined;
  #updateTimer: NodeJS.Timeout | undefined;
  /** Pending cues of the current track, earliest first. */
  #cues: Cue[] = [];
  #cueTimer: NodeJS.Timeout | undefined;
  /** The track was put at #base in this turn of the event loop (see #cueReference). */
  #justPositioned = false;

  constructor(host: PlayerHost, guildId: string) {
    this.#host = host;
    this.guildId = guildId;
  }

  get playing(): boolean {
    return this.track !== null && !this.paused;
  }

  get position(): number {
    if (!this.track) return 0;
    if (this.paused) return this.#base;
    const position = this.#base + (Date.now() - this.#since);
    return unknownLength(this.track) ? position : Math.min(position, this.track.info.length);
  }

  get voiceConnected(): boolean {
    return this.voice !== null && !this.voiceClosed;
  }

  get ping(): number {
    return this.voiceConnected ? VOICE_PING : -1;
  }

  /** Starts a track, replacing the current one (TrackEndEvent `replaced`). */
  play(track: SimTrack, options: PlayOptions = {}): void {
    const replacing = this.track !== null;
    if (replacing) this.#end('replaced');
    this.track = track;
    this.paused = options.paused ?? false;
    this.endTime = options.endTime ?? null;
    this.#setPosition(Math.max(0, options.position ?? 0));
    // The start position as asked, not read from the clock, which may have ticked since.
    const start = { type: 'TrackStartEvent', track, position: this.#base } as const;
    this.#host.sendEvent(this, start);
    if (replacing && this.#host.quirks.extraTrackStarts) this.#host.sendEvent(this, start);
    // Plugins' events follow the TrackStartEvent at once, before the first playerUpdate.
    this.#host.onTrackStart(this, track);
    this.#startUpdates();
    this.#scheduleFaults(track);
  }

  /**
   * Runs `fire` once, when the current track's position reaches `at` ms: the timer follows pauses
   * and seeks as the end timer does. A cue already behind the position is dropped, now or when a
   * seek passes it; every cue goes when the track changes or ends.
   */
  cue(at: number, fire: () => void): void {
    if (!this.track) return;
    // After the cues due at the same time, so cues added together fire in the order they came.
    const index = this.#cues.findIndex((c) => c.at > at);
    this.#cues.splice(index === -1 ? this.#cues.length : index, 0, { at, fire });
    this.#scheduleCues();
  }

  stop(): void {
    if (this.track) this.#end('stopped');
  }

  /** Sets the pause state; Lavalink answers every pause with an immediate playerUpdate. */
  setPaused(paused: boolean): void {
    const position = this.position;
    this.paused = paused;
    this.#setPosition(position);
    this.#sendImmediateUpdate();
  }

  /** Seeks the current track; a no-op when idle (3.7 logs and ignores it). */
  seek(position: number): boolean {
    if (!this.track) return false;
    this.#setPosition(Math.max(0, position));
    if (this.#host.quirks.volatileFilters) this.filters = {};
    this.#restartPipeline();
    this.#sendImmediateUpdate();
    return true;
  }

  /** Volume is clamped to 0..1000, as lavaplayer does silently. */
  setVolume(volume: number): void {
    this.volume = Math.min(1000, Math.max(0, Math.trunc(volume)));
  }

  setFilters(filters: Record<string, unknown>): void {
    if (this.#host.quirks.volatileFilters && !this.track) return;
    this.filters = filters;
    this.#restartPipeline();
    this.#sendImmediateUpdate();
  }

  setEndTime(endTime: number | null): void {
    if (!this.track) return;
    this.endTime = endTime;
    this.#scheduleEnd();
  }

  /**
   * Connects voice. Lavalink reconnects only when a value differs or the old connection was
   * closed, and a new connection sends a playerUpdate once its voice gateway is ready.
   * Returns whether the connection changed.
   */
  setVoice(voice: VoiceState): boolean {
    const current = this.voice;
    const same =
      current !== null &&
      this.voiceConnected &&
      current.token === voice.token &&
      current.endpoint === voice.endpoint &&
      current.sessionId === voice.sessionId &&
      current.channelId === voice.channelId;
    if (same) return false;
    this.voice = voice;
    this.voiceClosed = false;
    this.#sendImmediateUpdate();
    return true;
  }

  /** Discord closed the voice WebSocket (a 4xxx code, or 1000 on leave). */
  closeVoice(code: number, reason: string, byRemote: boolean): void {
    this.voiceClosed = true;
    this.#host.sendEvent(this, { type: 'WebSocketClosedEvent', code, reason, byRemote });
    if (this.#host.updateAfterVoiceClosed) this.#sendImmediateUpdate();
  }

  /** Fires a TrackStuckEvent now (a fault switch). */
  stuck(thresholdMs: number): void {
    if (!this.track) return;
    this.#host.sendEvent(this, { type: 'TrackStuckEvent', track: this.track, thresholdMs });
    this.#sendImmediateUpdate();
  }

  /** Ends the track now as if it reached its end (TrackEndEvent `finished`). */
  finish(): void {
    this.#end('finished');
  }

  /** Fires a TrackExceptionEvent and ends the track `loadFailed` (a fault switch). */
  fail(message: string): void {
    if (!this.track) return;
    const exception: SimException = { message, severity: 'common', cause: `java.lang.RuntimeException: ${message}` };
    this.#host.sendEvent(this, { type: 'TrackExceptionEvent', track: this.track, exception });
    this.#end('loadFailed');
  }

  /** Stops the track (TrackEndEvent `stopped`, as lavaplayer's destroy does) and every timer. */
  destroy(): void {
    this.stop();
    this.#clearTimers();
  }

  /** Drops every timer without a word: the session is gone. */
  dispose(): void {
    this.#clearTimers();
    this.track = null;
  }

  /** One periodic update now; the session calls this after a resume. */
  sendUpdate(): void {
    this.#sendImmediateUpdate();
  }

  /** A playerUpdate out of the interval's turn (after a pause, a seek...), unless the server sends none. */
  #sendImmediateUpdate(): void {
    if (!this.#host.quirks.updatesOnIntervalOnly) this.#host.sendPlayerUpdate(this);
  }

  /** NodeLink restarts its pipeline on a seek or filters change while playing, and says so with a TrackStartEvent. */
  #restartPipeline(): void {
    if (this.#host.quirks.extraTrackStarts && this.track && this.playing) this.#host.sendEvent(this, { type: 'TrackStartEvent', track: this.track, position: this.position });
  }

  #setPosition(position: number): void {
    this.#base = this.track && !this.track.info.isStream && !unknownLength(this.track) ? Math.min(position, this.track.info.length) : position;
    this.#since = Date.now();
    this.#scheduleEnd();
    if (!this.#justPositioned) {
      this.#justPositioned = true;
      queueMicrotask(() => (this.#justPositioned = false));
    }
    this.#scheduleCues();
  }

  /**
   * The position cues are measured against. A start or seek and what reacts to it in the same turn
   * (plugins adding cues at the start position) happen at one instant: the clock may tick between
   * them, and a cue at the very position the track was put at must not count as passed.
   */
  #cueReference(): number {
    return this.#justPositioned ? this.#base : this.position;
  }

  #scheduleEnd(): void {
    clearTimeout(this.#endTimer);
    this.#endTimer = undefined;
    const track = this.track;
    if (!track || this.paused) return;
    const open = track.info.isStream || unknownLength(track); // no end of its own
    const marker = this.endTime !== null && (open || this.endTime < track.info.length) ? this.endTime : null;
    if (marker === null && open) return;
    const endAt = marker ?? track.info.length;
    const delay = Math.max(0, endAt - this.position);
    this.#endTimer = setTimeout(() => this.#end(marker === null ? 'finished' : this.#host.markerReason), delay);
  }

  #scheduleCues(): void {
    clearTimeout(this.#cueTimer);
    this.#cueTimer = undefined;
    if (!this.track) return;
    const reference = this.#cueReference();
    while (this.#cues.length > 0 && this.#cues[0]!.at < reference) this.#cues.shift();
    const next = this.#cues[0];
    if (!next || this.paused) return;
    this.#cueTimer = setTimeout(() => this.#fireCues(), Math.max(0, next.at - this.position));
  }

  /** Fires every cue that is due; one may seek or end the track, so each is checked against the state it left. */
  #fireCues(): void {
    this.#cueTimer = undefined;
    const track = this.track;
    while (this.track === track && !this.paused && this.#cues.length > 0 && this.#cues[0]!.at <= this.position) this.#cues.shift()!.fire();
    if (this.track === track) this.#scheduleCues();
  }

  #startUpdates(): void {
    clearInterval(this.#updateTimer);
    // v4 sends the first update at once (a fixed-rate task with delay 0), then every interval.
    this.#sendImmediateUpdate();
    this.#updateTimer = setInterval(() => {
      if (this.track && (this.#host.updatesWhilePaused || !this.paused)) this.#host.sendPlayerUpdate(this);
    }, this.#host.updateIntervalMs);
  }

  #scheduleFaults(track: SimTrack): void {
    clearTimeout(this.#faultTimer);
    this.#faultTimer = undefined;
    if (track.stuckAfterMs !== null) {
      this.#faultTimer = setTimeout(() => {
        if (this.track === track) this.stuck(10000);
      }, track.stuckAfterMs);
    } else if (track.failAfterMs !== null) {
      this.#faultTimer = setTimeout(() => {
        if (this.track === track) this.fail('Simulated playback failure');
      }, track.failAfterMs);
    }
  }

  #end(reason: EndReason): void {
    const track = this.track;
    if (!track) return;
    const position = this.position;
    this.track = null;
    this.endTime = null;
    this.#base = 0;
    this.#clearTimers();
    this.#host.sendEvent(this, { type: 'TrackEndEvent', track, position, reason });
  }

  #clearTimers(): void {
    clearTimeout(this.#endTimer);
    clearTimeout(this.#faultTimer);
    clearInterval(this.#updateTimer);
    clearTimeout(this.#cueTimer);
    this.#endTimer = this.#faultTimer = this.#updateTimer = this.#cueTimer = undefined;
    this.#cues = [];
  }
}

/** A length of -1 (NodeLink's local files): the track plays until stopped and its position is never clamped. */
function unknownLength(track: SimTrack): boolean {
  return track.info.length < 0;
}
