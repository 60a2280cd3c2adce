/**
 * What a node's frames mean, in one shape for every protocol version: the worker's adapter reads
 * each frame into a {@link NodeEvent} (v3 end reasons, exception shapes and encoded tracks made
 * like v4's), so the main thread switches on a closed union and never asks which version spoke.
 */
import type { NodeStats } from './messages.js';
import type { PluginEvent } from './plugins.js';
import type { Track } from './rest.js';

export type TrackEndReason = 'finished' | 'loadFailed' | 'stopped' | 'replaced' | 'cleanup';

export interface TrackExceptionInfo {
  message: string | null;
  /** `common`, `suspicious` or `fault` from Lavalink; another server's word lower-cased. */
  severity: string;
  cause: string | null;
}

/** A player's state as a `playerUpdate` frame carries it; fields the node left out stay out. */
export interface PlayerState {
  time: number;
  position?: number;
  connected?: boolean;
  ping?: number;
}

export type NodeEvent =
  | { readonly type: 'playerUpdate'; readonly guildId: string; readonly state: PlayerState }
  /** `track` null: the frame named no track this codec could read (the player's own is meant). */
  | { readonly type: 'trackStart'; readonly guildId: string; readonly track: Track | null }
  | { readonly type: 'trackEnd'; readonly guildId: string; readonly track: Track | null; readonly reason: TrackEndReason }
  | { readonly type: 'trackException'; readonly guildId: string; readonly track: Track | null; readonly exception: TrackExceptionInfo }
  | { readonly type: 'trackStuck'; readonly guildId: string; readonly track: Track | null; readonly thresholdMs: number }
  /** Discord closed the node's voice WebSocket; code -1 and reason '' when the server left them out. */
  | { readonly type: 'voiceClosed'; readonly guildId: string; readonly code: number; readonly reason: string; readonly byRemote: boolean }
  /** An `event` of a type Lavalink itself does not send: a plugin's (protocol/plugins.ts). */
  | { readonly type: 'plugin'; readonly guildId: string; readonly event: PluginEvent }
  | { readonly type: 'stats'; readonly stats: NodeStats };

/** Events about one guild's player. */
export type PlayerEvent = Exclude<NodeEvent, { type: 'stats' }>;
