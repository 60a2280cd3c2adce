/** lavathread: the public surface. Every export is named here. */
export { ErrorCode, InvalidOptionError, LavalinkError, TrackCodecError } from './errors.js';
export { decodeTrack, encodeTrack } from './protocol/track-codec.js';
export type { DecodedTrack, EncodableTrack, TrackInfo, TrackMessageVersion } from './protocol/track-codec.js';
