/**
 * lavathread: a Lavalink client for Node.js that runs every node connection in a worker thread.
 * Start with {@link Manager}; every export of the package's main entry is named in this file.
 *
 * @module lavathread
 */
export { Manager } from './manager.js';
export { Socket } from './socket.js';
export { Player } from './player.js';
export type { ConnectOptions, Filters, PlayOptions } from './player.js';
export type { VoiceServerUpdate, VoiceStateUpdate } from './manager.js';
export type { ManagerEvents, PlayerDestroyReason, PlayerEvents, TrackEndReason, TrackExceptionInfo } from './events.js';
export type { NodeEvent, PlayerState } from './protocol/node-events.js';
export type { BatchMessage, DebugMessage, FailoverMessage, RestMessage, SocketReconnectMessage, SocketStateMessage } from './diagnostics.js';
export type { ManagerMetrics, NodeMetrics, NodeMetricsState, WorkerMetrics } from './metrics/metrics.js';
export type { LoopDelay } from './metrics/loop-probe.js';
export type { NodeCounters } from './metrics/node-counters.js';
export type { RestCall } from './ipc/events.js';
export type {
  FailingAddress,
  IpBlock,
  JsonObject,
  JsonPrimitive,
  JsonValue,
  LoadException,
  LoadResult,
  NodeInfo,
  NodePlayer,
  RestRequest,
  RestResult,
  RestResults,
  RoutePlannerDetails,
  RoutePlannerStatus,
  SessionInfo,
  Track,
} from './protocol/rest.js';
export type { NodeFilters } from './protocol/filters.js';
export type { RestMethod, SessionUpdate, SocketRest } from './socket-rest.js';
export type { AutoplayHook, ManagerOptions, NodeRequest, NodeResolver } from './options.js';
export type { ResolvedSocketOptions, SocketData, SocketOptions } from './socket-options.js';
export type { OutgoingOp, EqualizerBand, VoiceServerEvent } from './protocol/ops.js';
export type { LavalinkMessage, NodeStats, PlayerUpdateMessage, StatsMessage, ReadyMessage, EventMessage } from './protocol/messages.js';
export {
  AuthFailedError,
  ErrorCode,
  InvalidOptionError,
  LavalinkError,
  NoNodeError,
  PluginMissingError,
  RestError,
  SocketClosedError,
  StoreLeasedError,
  StoreUnreachableError,
  TimeoutError,
  TrackCodecError,
  VoiceTimeoutError,
  WorkerExitedError,
} from './errors.js';
export { decodeTrack, encodeTrack } from './protocol/track-codec.js';
export type { DecodedTrack, EncodableTrack, TrackInfo, TrackMessageVersion } from './protocol/track-codec.js';
export { VERSION } from './constants.js';
export { FileSessionStore } from './session-store/file-store.js';
export { FilterPresets, type FilterPresetName } from './filter-presets.js';
export { discordJs, eris, oceanic, seyfert, type Connector, type DiscordJsClient, type ErisClient, type OceanicClient, type SeyfertClient } from './connectors.js';
export type { SessionSnapshot, SessionStore, StoredPlayer, StoredPlugins, StoredSession } from './session-store/session-store.js';
export type { LoopMode, PlayerQueue, QueueInput, QueueSnapshot, StoredTrack } from './queue/player-queue.js';
export { lavaSrcPlaylistInfo, lavaSrcTrackInfo, Plugins, SPONSORBLOCK_CATEGORIES } from './protocol/plugins.js';
export type {
  LavaSrcPlaylistInfo,
  LavaSrcTrackInfo,
  Lyrics,
  LyricsLine,
  Playlist,
  PluginName,
  SearchResult,
  SearchType,
  SponsorBlockCategory,
  SponsorChapter,
  SponsorSegment,
} from './protocol/plugins.js';
export type { PluginEvent } from './protocol/plugin-events.js';
export type { PlayerLyrics, PlayerSponsorBlock } from './player/plugins.js';
export type { LoadSearchOptions, LyricsOptions } from './socket-rest.js';
