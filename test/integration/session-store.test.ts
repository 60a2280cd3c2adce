import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from '../helpers/node-test.js';
import { fileURLToPath } from 'node:url';
import { ErrorCode, FileSessionStore } from '../../src/index.js';

const writer = fileURLToPath(new URL('../fixtures/store-writer.ts', import.meta.url));

describe('FileSessionStore', () => {
  test('a writer killed at any moment leaves the last complete snapshot, never a torn file', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'lavathread-store-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'sessions.json');
    let last = 0;
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      t.after(() => child.kill('SIGKILL')); // killed below already; this is for a round that fails first
      await once(createInterface({ input: child.stdout }), 'line'); // the first save is done
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 37)); // pacing: the kill lands mid-stream, at varying points
      child.kill('SIGKILL');
      await once(child, 'exit');
      const snapshot = await new FileSessionStore(path).load();
      assert.ok(snapshot, `round ${round}: a complete snapshot is there`);
      assert.equal(snapshot.format, 1);
      assert.equal(snapshot.players.length, 200 + (snapshot.savedAt % 50) * 20, 'the players of that very generation');
      assert.equal(snapshot.sessions[0]!.resumeKey, `key-${snapshot.savedAt}`);
      assert.ok(snapshot.savedAt >= 1);
      last = snapshot.savedAt;
    }
    assert.ok(last >= 1);
    // Temporary files of killed writers never shadow the real one.
    const leftovers = (await readdir(dir)).filter((name) => name !== 'sessions.json');
    assert.ok(leftovers.every((name) => name.endsWith('.tmp')));
  });

  test('a missing file loads as null; a damaged one as null, not a crash', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'lavathread-store-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const store = new FileSessionStore(join(dir, 'nothing.json'));
    assert.equal(await store.load(), null);
    await writeFile(join(dir, 'bad.json'), '{"format":1,"sessions":[');
    assert.equal(await new FileSessionStore(join(dir, 'bad.json')).load(), null);
    await writeFile(join(dir, 'other.json'), '{"hello":"world"}');
    assert.equal(await new FileSessionStore(join(dir, 'other.json')).load(), null);
    assert.throws(() => new FileSessionStore(''), { code: ErrorCode.InvalidOption });
  });
});
