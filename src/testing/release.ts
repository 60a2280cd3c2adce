/**
 * What differs between the Lavalink releases the simulator can imitate. Everything that varies by
 * release is a field here, so the rest of the simulator asks a trait, never a version number.
 */

export type ReleaseName = '4.2' | '4.0' | '3.7' | '3.3';

export interface Release {
  readonly name: ReleaseName;
  readonly protocol: 3 | 4;
  /** What `GET /version` answers; `null` where the route does not exist (3.3). */
  readonly semver: string;
  readonly hasVersionRoute: boolean;
  /** Paths that accept the WebSocket upgrade. */
  readonly wsPaths: readonly string[];
  /** `ready {resumed, sessionId}` as the first frame (3.7, v4). */
  readonly sendsReady: boolean;
  /** 3.3 parses `Num-Shards` with Integer.parseInt and fails the handshake without it. */
  readonly requiresNumShards: boolean;
  /** 4.2 (DAVE) rejects a voice update without `channelId`. */
  readonly requiresChannelId: boolean;
  /** The v3 `filters` op (3.4+); 3.3 has only `equalizer`. */
  readonly hasFiltersOp: boolean;
  /** Session/player REST: `/v3/sessions/...` (3.7) or `/v4/sessions/...`. */
  readonly restPrefix: '' | '/v3' | '/v4';
  /** 3.3 skips stats while a session waits for a resume; 3.7 and v4 queue them. */
  readonly queuesStatsWhilePaused: boolean;
  /** v4 keeps sending playerUpdates for a paused track; v3 only while playing. */
  readonly updatesWhilePaused: boolean;
  /** 3.3 reports an endTime marker as STOPPED; 3.5+ and v4 as FINISHED. */
  readonly markerReason: 'stopped' | 'finished';
  /** playerUpdate.state carries `connected` and `ping`, and `position` even when idle (3.7, v4). */
  readonly fullPlayerState: boolean;
  /** v4 exception objects carry `causeStackTrace` from 4.1.0 on. */
  readonly causeStackTrace: boolean;
  /** A playerUpdate follows WebSocketClosedEvent in 3.7+ and v4, not in 3.3. */
  readonly updateAfterVoiceClosed: boolean;
}

export const releases: Readonly<Record<ReleaseName, Release>> = {
  '4.2': {
    name: '4.2',
    protocol: 4,
    semver: '4.2.0',
    hasVersionRoute: true,
    wsPaths: ['/v4/websocket'],
    sendsReady: true,
    requiresNumShards: false,
    requiresChannelId: true,
    hasFiltersOp: false,
    restPrefix: '/v4',
    queuesStatsWhilePaused: true,
    updatesWhilePaused: true,
    markerReason: 'finished',
    fullPlayerState: true,
    causeStackTrace: true,
    updateAfterVoiceClosed: true,
  },
  '4.0': {
    name: '4.0',
    protocol: 4,
    semver: '4.0.8',
    hasVersionRoute: true,
    wsPaths: ['/v4/websocket'],
    sendsReady: true,
    requiresNumShards: false,
    requiresChannelId: false,
    hasFiltersOp: false,
    restPrefix: '/v4',
    queuesStatsWhilePaused: true,
    updatesWhilePaused: true,
    markerReason: 'finished',
    fullPlayerState: true,
    causeStackTrace: false,
    updateAfterVoiceClosed: true,
  },
  '3.7': {
    name: '3.7',
    protocol: 3,
    semver: '3.7.13',
    hasVersionRoute: true,
    wsPaths: ['/', '/v3/websocket'],
    sendsReady: true,
    requiresNumShards: false,
    requiresChannelId: false,
    hasFiltersOp: true,
    restPrefix: '/v3',
    queuesStatsWhilePaused: true,
    updatesWhilePaused: false,
    markerReason: 'finished',
    fullPlayerState: true,
    causeStackTrace: false,
    updateAfterVoiceClosed: true,
  },
  '3.3': {
    name: '3.3',
    protocol: 3,
    semver: '3.3.2.5',
    hasVersionRoute: false,
    wsPaths: ['/'],
    sendsReady: false,
    requiresNumShards: true,
    requiresChannelId: false,
    hasFiltersOp: false,
    restPrefix: '',
    queuesStatsWhilePaused: false,
    updatesWhilePaused: false,
    markerReason: 'stopped',
    fullPlayerState: false,
    causeStackTrace: false,
    updateAfterVoiceClosed: false,
  },
};

/** The release a protocol means when none is named: the newest of that protocol. */
export const defaultRelease: Readonly<Record<3 | 4, ReleaseName>> = { 4: '4.2', 3: '3.7' };
