/**
 * What a stall did to a client, from what the client saw after its busy loop and what the
 * simulator saw during it. Playerupdates are state, not events (lavathread's worker keeps only the
 * newest per guild while the main thread is behind), so only track events count as lost.
 */
import type { StallReport } from './messages.js';

export interface StallOutcome {
  /** The simulator never dropped the client and its first session is still open. */
  readonly connectionKept: boolean;
  readonly trackEventsSent: number;
  readonly trackEventsLost: number;
  /**
   * From the end of the busy loop until every track event sent during the stall and the first
   * playerUpdate sent after it had arrived; null when either never did.
   */
  readonly catchUpMs: number | null;
  /** The track events left the simulator while the client was stuck (else the run proves nothing). */
  readonly valid: boolean;
  /** Kept, nothing lost, caught up within the target. */
  readonly metTarget: boolean;
}

export const CATCH_UP_TARGET_MS = 20;

export interface StallObservations {
  readonly report: StallReport;
  /** Track events the harness had the simulator send (two per guild changed). */
  readonly trackEventsSent: number;
  /** Wall clock before the harness asked for them and after the simulator answered. */
  readonly sentFrom: number;
  readonly sentUntil: number;
  readonly heartbeatDrops: number;
  readonly sessionStillOpen: boolean;
}

export function catchUpMs(report: Pick<StallReport, 'trackCaughtUpMs' | 'freshUpdateMs'>): number | null {
  if (report.trackCaughtUpMs === null || report.freshUpdateMs === null) return null;
  return Math.max(report.trackCaughtUpMs, report.freshUpdateMs);
}

export function stallOutcome(o: StallObservations): StallOutcome {
  const connectionKept = o.heartbeatDrops === 0 && o.sessionStillOpen;
  const trackEventsLost = Math.max(0, o.trackEventsSent - o.report.trackEvents);
  const catchUp = catchUpMs(o.report);
  const valid = o.sentFrom >= o.report.startedAt && o.sentUntil <= o.report.endedAt;
  return {
    connectionKept,
    trackEventsSent: o.trackEventsSent,
    trackEventsLost,
    catchUpMs: catchUp,
    valid,
    metTarget: valid && connectionKept && trackEventsLost === 0 && catchUp !== null && catchUp <= CATCH_UP_TARGET_MS,
  };
}
