/**
 * node:test's `describe` and `test`, with a time limit on every test: a test that hangs fails by
 * its name, its `t.after` cleanups run, and the file goes on with its next test. Node 20 applies
 * `--test-timeout` (package.json) to a whole file run by `--test`, not to each test in it, so that
 * flag is only the backstop for a file that would not end.
 */
import { describe, test as nodeTest, type TestContext, type TestOptions } from 'node:test';

/** Far above any test's run on a busy machine; a test that needs longer says so (chaos). */
export const TEST_TIMEOUT_MS = 60_000;

type TestFn = (t: TestContext) => void | Promise<void>;

export function test(name: string, fn: TestFn): void;
export function test(name: string, options: TestOptions, fn: TestFn): void;
export function test(name: string, second: TestOptions | TestFn, third?: TestFn): void {
  const [options, fn] = typeof second === 'function' ? [{}, second] : [second, third!];
  void nodeTest(name, { timeout: TEST_TIMEOUT_MS, ...options }, fn); // the runner awaits it
}

export { describe };
