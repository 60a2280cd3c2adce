/** Shapes the simulator works with internally, before a dialect turns them into wire JSON. */
import type { NodeStats } from '../protocol/messages.js';
import type { TrackInfo } from '../protocol/track-codec.js';

/** A track as the simulator holds it: the encoded form, its info, and what it should do. */
export interface SimTrack {
  readonly encoded: string;
  readonly info: TrackInfo;
  userData: Record<string, unknown>;
  /** What a plugin source adds to the track's JSON (LavaSrc's album and artist); `{}` for the built-in sources. */
  readonly pluginInfo: Readonly<Record<string, unknown>>;
  /** Playback faults asked for by the identifier (`sim:track?fail=200`), in ms after start. */
  readonly failAfterMs: number | null;
  readonly stuckAfterMs: number | null;
}

/** Why a track ended, in v4 spelling; the v3 dialect upper-cases it. */
export type EndReason = 'finished' | 'loadFailed' | 'stopped' | 'replaced' | 'cleanup';

export type Severity = 'common' | 'suspicious' | 'fault';

export interface SimException {
  readonly message: string;
  readonly severity: Severity;
  readonly cause: string;
}

/** A Discord voice connection as the player knows it (v4 `voice`). */
export interface VoiceState {
  /** Discord's voice token. */
  readonly token: string;
  /** The voice server's host. */
  readonly endpoint: string;
  /** The bot's voice session id. */
  readonly sessionId: string;
  /** The voice channel (Lavalink 4.2's DAVE field); null when the client did not send it. */
  readonly channelId: string | null;
}

export type LoadResult =
  | { readonly kind: 'track'; readonly track: SimTrack }
  | {
      readonly kind: 'playlist';
      readonly name: string;
      readonly selectedTrack: number;
      readonly tracks: readonly SimTrack[];
      /** LavaSrc's album and playlist details; left out for the built-in sources (`{}` on the wire). */
      readonly pluginInfo?: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'search'; readonly tracks: readonly SimTrack[] }
  | { readonly kind: 'empty' }
  | { readonly kind: 'error'; readonly exception: SimException };

/** Node-wide load figures, overridable by tests of node selection: the `cpu` of the stats the node sends, and its frame stats. */
export type NodeLoad = NodeStats['cpu'] & {
  /** Per-session frame stats; `undefined` = derived from playing players. */
  frameStats?: NodeStats['frameStats'];
};
