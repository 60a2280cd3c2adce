/** Unhandled rejections and uncaught exceptions while a test runs, for it to assert there were none. */
import type { TestContext } from 'node:test';

export function catchUnhandled(t: TestContext): unknown[] {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => void seen.push(reason);
  process.on('unhandledRejection', listener);
  process.on('uncaughtException', listener);
  t.after(() => {
    process.off('unhandledRejection', listener);
    process.off('uncaughtException', listener);
  });
  return seen;
}
