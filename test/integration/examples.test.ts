/**
 * The examples under examples/ run as a bot developer runs them: each in a child process of its
 * own, importing `lavathread` and `lavathread/testing` from the built dist/ (the package's
 * `exports`), against the simulator. Their output must show a track starting and ending.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `node --import tsx <args>` from the repository root; answers its exit code and output. */
async function run(t: TestContext, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assert.ok(existsSync(`${root}dist/src/index.js`), 'the examples import the built package: run `npm run build` first');
  // Without NODE_TEST_CONTEXT: a test runner started with it would report to this one, not print.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Only this child, and only while it runs: a test that fails or times out leaves nothing behind.
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** Asserts that `lines` appear in `output` in this order (other lines may come between). */
function inOrder(output: string, lines: readonly string[]): void {
  let from = 0;
  for (const line of lines) {
    const at = output.indexOf(line, from);
    assert.notEqual(at, -1, `expected ${JSON.stringify(line)} after offset ${from} in:\n${output}`);
    from = at + line.length;
  }
}

describe('examples', () => {
  test('discord-js-bot/try-with-simulator.ts: /play twice through a real discord.js Client, both tracks start and end', async (t) => {
    const { code, stdout, stderr } = await run(t, ['examples/discord-js-bot/try-with-simulator.ts']);
    assert.equal(code, 0, `exit code ${code}\n${stdout}\n${stderr}`);
    inOrder(stdout, [
      'logged in as music-bot',
      '[discord] registered /play /skip /pause /queue /volume /stop',
      '[discord] listener uses /play',
      '[discord] bot joins voice channel',
      '[lavathread] trackStart: First Song',
      '[discord] #music: Now playing **First Song** by The Simulators',
      '[lavathread] trackEnd: First Song (finished)',
      '[lavathread] trackStart: Second Song',
      '[lavathread] trackEnd: Second Song (finished)',
      '[discord] #music: The queue is over.',
      '[try] both tracks played and ended: it works',
    ]);
    inOrder(stdout, ['[discord] bot replies: Playing **First Song**.', '[discord] bot replies: Queued **Second Song** (1 before).', '1. Second Song (asked by <@']);
    assert.doesNotMatch(stderr, /DeprecationWarning/, 'the bot uses clientReady, and nothing listens to the deprecated ready');
  });

  test('generic-gateway/try-with-simulator.ts: op 4 out, raw voice events in, the track starts and ends', async (t) => {
    const { code, stdout, stderr } = await run(t, ['examples/generic-gateway/try-with-simulator.ts']);
    assert.equal(code, 0, `exit code ${code}\n${stdout}\n${stderr}`);
    // The op 4 line is printed once play() resolved; the trackStart may come before it.
    assert.match(stdout, /\[gateway\] op 4 sent: \{"op":4/);
    inOrder(stdout, ['[lavathread] trackStart: Short Song', '[lavathread] trackEnd: Short Song (finished)', '[try] the track played and ended: it works']);
  });

  test('simulator-test/music.test.ts: a bot developer\'s own tests pass', async (t) => {
    const { code, stdout, stderr } = await run(t, ['--test', '--test-reporter=tap', 'examples/simulator-test/music.test.ts']);
    assert.equal(code, 0, `exit code ${code}\n${stdout}\n${stderr}`);
    assert.match(stdout, /^# pass 4$/m);
    assert.match(stdout, /^# fail 0$/m);
  });
});
