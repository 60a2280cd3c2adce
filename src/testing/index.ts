/**
 * `lavathread/testing`: a faithful Lavalink server ({@link LavalinkSimulator}) for a bot's own
 * tests, and the test worker that lets those tests crash a socket's worker on purpose.
 *
 * @module lavathread/testing
 */
export { LavalinkSimulator } from './simulator.js';
export type {
  DropOptions,
  PlayerSnapshot,
  RecordedFrame,
  RecordedHandshake,
  RecordedRequest,
  RestFault,
  RestartOptions,
  SimulatorSession,
  SimulatorEvents,
} from './simulator.js';
export type { ClientConnection } from './connection-ids.js';
export type { SimulatorOptions } from './options.js';
export type { SimulatorPlugin } from './plugins.js';
export type { FloodOptions, FloodResult } from './flood.js';
export { FLOOD_SENT_PREFIX, floodGuildIds } from './flood.js';
export type { HeartbeatOptions } from './heartbeat.js';
export type { CatalogueEntry } from './catalogue.js';
export type { ReleaseName } from './release.js';
export type { Flavour, Quirks } from './quirks.js';
export type { NodeLoad, VoiceState } from './types.js';
export { crashWorker, hostPrototypeTouched, testWorker } from './worker-hooks.js';
/** @deprecated The old name of `SimulatorSession` (lavathread's own `SessionSnapshot` is the session store's). */
export type { SimulatorSession as SessionSnapshot } from './simulator.js';
