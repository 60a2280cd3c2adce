/** Frames a Lavalink node sends over its WebSocket (`ready`, `playerUpdate`, `stats`, `event`), as both versions spell them. */

/** A node's load, from its `stats` frames (once a minute) and `GET /stats`. */
export interface NodeStats {
  /** Players on the node, across all its sessions. */
  players: number;
  /** Players on the node that are playing a track. */
  playingPlayers: number;
  /** ms since the node started. */
  uptime: number;
  /** The node's JVM memory, bytes. */
  memory: {
    /** Free memory. */
    free: number;
    /** Memory in use. */
    used: number;
    /** Memory the JVM has allocated. */
    allocated: number;
    /** Memory the JVM may reserve at most. */
    reservable: number;
  };
  /** The node's CPU. */
  cpu: {
    /** Cores the node has. */
    cores: number;
    /** Load of the whole machine, a share of all cores from 0 to 1. */
    systemLoad: number;
    /** Load of the Lavalink process, a share of all cores from 0 to 1. */
    lavalinkLoad: number;
  };
  /** Per-minute audio frame figures; absent (v3) or null (v4) while nothing plays. */
  frameStats?: {
    /** Frames sent to Discord per minute, on average per player. */
    sent: number;
    /** Frames that had no audio, per minute. */
    nulled: number;
    /** Frames missing against the expected 3000 a minute (-1 when the node cannot tell). */
    deficit: number;
  } | null;
}

/** A `playerUpdate` frame: where a player is, sent on the node's update interval and after changes. */
export interface PlayerUpdateMessage {
  /** The frame's op. */
  op: 'playerUpdate';
  /** The player's guild. */
  guildId: string;
  /** The player's state when the node sent the frame. */
  state: {
    /** The node's clock when it sent the frame, epoch ms. */
    time: number;
    /** ms into the track. */
    position?: number;
    /** Whether the node's voice connection to Discord is up (3.7 and v4). */
    connected?: boolean;
    /** ms to Discord's voice server, -1 when not connected (3.7 and v4). */
    ping?: number;
  };
}

export interface StatsMessage extends NodeStats {
  /** The frame's op. */
  op: 'stats';
}

/** The `ready` frame a node sends when a session opens (3.7 and v4). */
export interface ReadyMessage {
  /** The frame's op. */
  op: 'ready';
  /** Whether the node resumed the session it was asked to. */
  resumed: boolean;
  /** The session's id: the one REST calls name and resuming presents. */
  sessionId: string;
}

/** An `event` frame: a track or voice event of one player, with fields that depend on `type`. */
export interface EventMessage {
  /** The frame's op. */
  op: 'event';
  /** Which event; plugins add their own. */
  type: 'TrackStartEvent' | 'TrackEndEvent' | 'TrackExceptionEvent' | 'TrackStuckEvent' | 'WebSocketClosedEvent' | (string & {});
  /** The player's guild. */
  guildId: string;
  [field: string]: unknown;
}

/** Any frame from a node; unknown ops arrive too, untouched. */
export type LavalinkMessage = PlayerUpdateMessage | StatsMessage | ReadyMessage | EventMessage | {
  /** The op of a frame this library does not know. */
  op: string;
  [field: string]: unknown;
};

export const emptyStats = (): NodeStats => ({
  players: 0,
  playingPlayers: 0,
  uptime: 0,
  memory: { free: 0, used: 0, allocated: 0, reservable: 0 },
  cpu: { cores: 0, systemLoad: 0, lavalinkLoad: 0 },
  frameStats: null,
});
