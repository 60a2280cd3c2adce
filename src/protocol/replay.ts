/**
 * Ops sent again because their first delivery may not have arrived (a reset link, a dead worker).
 * Every op but `play` sets state and can simply go again; a `play` that a later play, stop or
 * destroy of the same guild overrides would start a superseded track, so it is dropped, and
 * settled as delivered: its effect was to be replaced anyway.
 */
import type { OutgoingOp } from './ops.js';

export interface Replayable {
  readonly op: OutgoingOp | 'configureResuming';
  resolve(): void;
}

/** Removes (in place) and settles the plays in `items` that a later op of their guild overrides; `again` says which items are replays. */
export function dropSupersededPlays<T extends Replayable>(items: T[], again: (item: T) => boolean): void {
  const overridden = new Set<string>();
  for (let i = items.length - 1; i >= 0; i--) {
    const { op } = items[i]!;
    if (op === 'configureResuming') continue;
    if (op.op === 'play' && again(items[i]!) && overridden.has(op.guildId)) {
      items.splice(i, 1)[0]!.resolve();
      continue;
    }
    if (op.op === 'play' || op.op === 'stop' || op.op === 'destroy') overridden.add(op.guildId);
  }
}
