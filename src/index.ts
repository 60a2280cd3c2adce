/** lavathread: the public surface. Every export is named here. */
export { Manager } from './manager.js';
export { Socket } from './socket.js';
export type { ManagerEvents } from './events.js';
export type { ManagerOptions, SocketData, SocketOptions, ResolvedSocketOptions } from './options.js';
export type { OutgoingOp, EqualizerBand, VoiceServerEvent } from './protocol/ops.js';
export type { LavalinkMessage, NodeStats, PlayerUpdateMessage, StatsMessage, ReadyMessage, EventMessage } from './protocol/messages.js';
export {
  ErrorCode,
  InvalidOptionError,
  LavalinkError,
  RestError,
  SocketClosedError,
  TimeoutError,
  TrackCodecError,
  WorkerExitedError,
} from './errors.js';
export { decodeTrack, encodeTrack } from './protocol/track-codec.js';
export type { DecodedTrack, EncodableTrack, TrackInfo, TrackMessageVersion } from './protocol/track-codec.js';
export { VERSION } from './constants.js';
