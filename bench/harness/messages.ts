/** Parent ↔ client-process messages (over the child's IPC channel). */
import type { BenchNode } from '../clients/client.js';
import type { Measurement } from './measure.js';

export type ToClient =
  | { readonly type: 'start'; readonly client: string; readonly nodes: readonly BenchNode[]; readonly guilds: readonly string[] }
  | { readonly type: 'measure' }
  /** Stop when this many playerUpdates arrived, or after `timeoutMs`. */
  | { readonly type: 'collect'; readonly expected: number; readonly timeoutMs: number }
  /** Sequential setVolume round trips, then every guild's player at once. */
  | { readonly type: 'commands'; readonly sequential: number }
  | { readonly type: 'stop' };

export type FromClient =
  /** `connectMs`: from the start of connect() until every node had a usable session. */
  | { readonly type: 'ready'; readonly connectMs: number }
  | { readonly type: 'measuring' }
  | { readonly type: 'result'; readonly received: number; readonly perGuild: Record<string, number>; readonly trackEvents: number; readonly measurement: Measurement }
  | { readonly type: 'commands'; readonly latenciesMs: readonly number[]; readonly burstMs: number; readonly burstSize: number }
  | { readonly type: 'error'; readonly message: string };
