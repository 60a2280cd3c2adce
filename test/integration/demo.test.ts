/** `npm start`: the demo runs its script to the end, and a SIGINT sent to it alone ends it and its node processes. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from '../helpers/node-test.js';
import { until } from '../helpers/raw-client.js';

const demo = fileURLToPath(new URL('../../src/demo/demo.ts', import.meta.url));

function startDemo(t: { after(fn: () => void): void }, seconds: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', demo], { env: { ...process.env, DEMO_SECONDS: String(seconds) }, stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { child, output: () => out };
}

/** Processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (after the parenthesised name, which may hold spaces) is the parent pid.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the demo', () => {
  test('plays, pauses, seeks, filters, kills a node and loses no player', async (t) => {
    const { child, output } = startDemo(t, 10);
    const [code] = (await once(child, 'exit')) as [number | null];
    const text = output();
    assert.equal(code, 0, text);
    for (const step of ['starting the nodes', 'pausing 6 players', 'seeking 6 players', 'timescale filter on 6 players', 'resuming the 6 paused players', 'killing node frankfurt']) assert.ok(text.includes(step), `says: ${step}`);
    // How many players frankfurt had depends on the stats each node sent when they were placed.
    const moved = /24 players, 24 on live nodes, 0 lost, (\d+) moved by failover\./.exec(text);
    assert.ok(moved && Number(moved[1]) >= 1, text);
  });

  test('SIGINT to the demo alone stops it, and its node processes with it', async (t) => {
    const { child, output } = startDemo(t, 60);
    await until(() => /^1s /m.test(output()), 30_000, 'the first row of the table');
    const nodes = childrenOf(child.pid!);
    t.after(() => nodes.filter(alive).forEach((pid) => process.kill(pid, 'SIGKILL')));
    assert.equal(nodes.length, 3, 'three node processes');
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 130);
    assert.match(output(), /SIGINT: stopping/);
    assert.deepEqual(nodes.filter(alive), [], 'no node process outlives the demo');
  });
});
