/** ioredis is an optional peer dependency: only `lavathread/redis` loads it, never the main entry. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, test } from '../helpers/node-test.js';

const fixture = fileURLToPath(new URL('../fixtures/redis-entry.ts', import.meta.url));

describe('lavathread/redis', () => {
  test('the main entry never loads ioredis; lavathread/redis does', async (t) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out.trim()), { afterMain: false, afterRedis: true, manager: 'function', store: 'function' });
  });
});
