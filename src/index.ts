/** lavathread: the public surface. Every export is named here. */
export { Manager } from './manager.js';
export { Socket } from './socket.js';
export { Player } from './player.js';
export type { ConnectOptions, Filters, PlayOptions } from './player.js';
export type { VoiceServerUpdate, VoiceStateUpdate } from './manager.js';
export type { ManagerEvents, PlayerDestroyReason, PlayerEvents, TrackEndReason, TrackExceptionInfo } from './events.js';
export type { NodeEvent, PlayerState } from './protocol/node-events.js';
export type { DebugMessage, SocketStateMessage } from './diagnostics.js';
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
  WorkerExitedError,
} from './errors.js';
export { decodeTrack, encodeTrack } from './protocol/track-codec.js';
export type { DecodedTrack, EncodableTrack, TrackInfo, TrackMessageVersion } from './protocol/track-codec.js';
export { VERSION } from './constants.js';
export { FileSessionStore } from './session-store/file-store.js';
export { FilterPresets, type FilterPresetName } from './filter-presets.js';
export { discordJs, eris, oceanic, seyfert, type Connector, type DiscordJsClient, type ErisClient, type OceanicClient, type SeyfertClient } from './connectors.js';
export type { SessionSnapshot, SessionStore, StoredPlayer, StoredSession } from './session-store/session-store.js';
export type { LoopMode, PlayerQueue, QueueInput, QueueSnapshot, StoredTrack } from './queue/player-queue.js';
export { lavaSrcPlaylistInfo, lavaSrcTrackInfo, Plugins, SPONSORBLOCK_CATEGORIES } from './protocol/plugins.js';
export type {
  LavaSrcPlaylistInfo,
  LavaSrcTrackInfo,
  Lyrics,
  LyricsLine,
  Playlist,
  PluginEvent,
  PluginName,
  SearchResult,
  SearchType,
  SponsorBlockCategory,
  SponsorChapter,
  SponsorSegment,
} from './protocol/plugins.js';
export type { PlayerLyrics, PlayerSponsorBlock } from './player/plugins.js';
export type { LoadSearchOptions, LyricsOptions } from './socket-rest.js';
