/**
 * What a node's frames mean, in one shape for every protocol version: the worker's adapter reads
 * each frame into a {@link NodeEvent} (v3 end reasons, exception shapes and encoded tracks made
 * like v4's), so the main thread switches on a closed union and never asks which version spoke.
 */
import type { NodeStats } from './messages.js';
import type { PluginEvent } from './plugin-events.js';
import type { Track } from './rest.js';

/** Why a track ended. `finished` and `loadFailed` let a queue start the next track (`mayStartNext`); `stopped`, `replaced` and `cleanup` (the node removed the player) do not. */
export type TrackEndReason = 'finished' | 'loadFailed' | 'stopped' | 'replaced' | 'cleanup';

/** What went wrong with a track, as the node reports it. */
export interface TrackExceptionInfo {
  /** The node's message, meant for a person; null when it gave none. */
  message: string | null;
  /** `common`, `suspicious` or `fault` from Lavalink; another server's word lower-cased. */
  severity: string;
  /** The underlying error the node names; null when there is none. */
  cause: string | null;
}

/** A player's state as a `playerUpdate` frame carries it; fields the node left out stay out. */
export interface PlayerState {
  /** The node's clock when it sent the update, epoch ms. */
  time: number;
  /** ms into the track. */
  position?: number;
  /** Whether the node's voice connection to Discord is up (3.7 and v4). */
  connected?: boolean;
  /** ms to Discord's voice server, -1 when not connected (3.7 and v4). */
  ping?: number;
}

/** A node's frame as lavathread reads it, in one shape for every protocol version; the players' and the manager's events are made from these. */
export type NodeEvent =
  | {
    /** A player's position update. */
    readonly type: 'playerUpdate';
    /** The guild. */
    readonly guildId: string;
    /** The player's state. */
    readonly state: PlayerState;
  }
  /** `track` null: the frame named no track this codec could read (the player's own is meant). */
  | {
    /** A track started. */
    readonly type: 'trackStart';
    /** The guild. */
    readonly guildId: string;
    /** The track; null when the frame carried none that could be read. */
    readonly track: Track | null;
  }
  | {
    /** A track ended. */
    readonly type: 'trackEnd';
    /** The guild. */
    readonly guildId: string;
    /** The track; null when the frame carried none that could be read. */
    readonly track: Track | null;
    /** Why it ended. */
    readonly reason: TrackEndReason;
  }
  | {
    /** A track failed while playing. */
    readonly type: 'trackException';
    /** The guild. */
    readonly guildId: string;
    /** The track; null when the frame carried none that could be read. */
    readonly track: Track | null;
    /** What went wrong. */
    readonly exception: TrackExceptionInfo;
  }
  | {
    /** A track got stuck (no audio for `thresholdMs`). */
    readonly type: 'trackStuck';
    /** The guild. */
    readonly guildId: string;
    /** The track; null when the frame carried none that could be read. */
    readonly track: Track | null;
    /** How long it was stuck before the node said so, ms. */
    readonly thresholdMs: number;
  }
  /** Discord closed the node's voice WebSocket; code -1 and reason '' when the server left them out. */
  | {
    /** Discord closed the node's voice WebSocket for this guild. */
    readonly type: 'voiceClosed';
    /** The guild. */
    readonly guildId: string;
    /** Discord's voice close code (4014: disconnected, 4006: session invalid...). */
    readonly code: number;
    /** Discord's reason. */
    readonly reason: string;
    /** Whether Discord closed it (true) or the node did (false). */
    readonly byRemote: boolean;
  }
  /** An `event` of a type Lavalink itself does not send: a plugin's (protocol/plugins.ts). */
  | {
    /** A plugin's event about this player. */
    readonly type: 'plugin';
    /** The guild. */
    readonly guildId: string;
    /** The event. */
    readonly event: PluginEvent;
  }
  | {
    /** The node's stats. */
    readonly type: 'stats';
    /** The stats. */
    readonly stats: NodeStats;
  };

/** Events about one guild's player. */
export type PlayerEvent = Exclude<NodeEvent, { type: 'stats' }>;
