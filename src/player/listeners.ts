/**
 * Every way a listener comes or goes tells the player, so it knows whether its `playerUpdate` is
 * heard without asking the emitter on each update: that reads its listener table, one more
 * object per update, and at 100k updates/s that cache miss was ~0.08 µs of main-thread CPU per
 * event (bench flood). `once` and `events.once()` go through these too.
 */
import { EventEmitter } from 'node:events';

const METHODS = ['addListener', 'on', 'prependListener', 'once', 'prependOnceListener', 'removeListener', 'off', 'removeAllListeners'] as const;

export function watchListeners<T extends EventEmitter>(prototype: T, changed: (emitter: T) => void): void {
  for (const method of METHODS) {
    const base = Reflect.get(EventEmitter.prototype, method) as (this: EventEmitter, ...args: unknown[]) => EventEmitter;
    Object.defineProperty(prototype, method, {
      configurable: true,
      writable: true,
      value(this: T, ...args: unknown[]) {
        const result = base.apply(this, args);
        changed(this);
        return result;
      },
    });
  }
}
