/** Frames a Lavalink node sends over its WebSocket (`ready`, `playerUpdate`, `stats`, `event`), as both versions spell them. */

export interface NodeStats {
  players: number;
  playingPlayers: number;
  /** ms since the node started. */
  uptime: number;
  memory: { free: number; used: number; allocated: number; reservable: number };
  cpu: { cores: number; systemLoad: number; lavalinkLoad: number };
  /** Per-minute audio frame figures; absent (v3) or null (v4) while nothing plays. */
  frameStats?: { sent: number; nulled: number; deficit: number } | null;
}

export interface PlayerUpdateMessage {
  op: 'playerUpdate';
  guildId: string;
  state: { time: number; position?: number; connected?: boolean; ping?: number };
}

export interface StatsMessage extends NodeStats {
  op: 'stats';
}

export interface ReadyMessage {
  op: 'ready';
  resumed: boolean;
  sessionId: string;
}

export interface EventMessage {
  op: 'event';
  type: 'TrackStartEvent' | 'TrackEndEvent' | 'TrackExceptionEvent' | 'TrackStuckEvent' | 'WebSocketClosedEvent' | (string & {});
  guildId: string;
  [field: string]: unknown;
}

/** Any frame from a node; unknown ops arrive too, untouched. */
export type LavalinkMessage = PlayerUpdateMessage | StatsMessage | ReadyMessage | EventMessage | { op: string; [field: string]: unknown };

export const emptyStats = (): NodeStats => ({
  players: 0,
  playingPlayers: 0,
  uptime: 0,
  memory: { free: 0, used: 0, allocated: 0, reservable: 0 },
  cpu: { cores: 0, systemLoad: 0, lavalinkLoad: 0 },
  frameStats: null,
});
