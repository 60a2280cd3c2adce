import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, test } from '../helpers/node-test.js';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const cli = fileURLToPath(new URL('../../src/testing/cli.ts', import.meta.url));

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

describe('simulator CLI', () => {
  test('starts, prints its URL, serves a client, and exits 0 on SIGTERM', async (t) => {
    const child = run(['--protocol', '3', '--password', 'cli-secret', '--stats-interval', '50', '--control']);
    t.after(() => child.kill('SIGKILL'));
    const url = await firstLine(child);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);

    const ws = new WebSocket(url.replace('http', 'ws') + '/', { headers: { Authorization: 'cli-secret', 'User-Id': '1' } });
    t.after(() => ws.terminate());
    const frames: string[] = [];
    ws.on('message', (data: Buffer) => frames.push(data.toString()));
    await once(ws, 'open');
    while (frames.filter((f) => f.includes('"op":"stats"')).length < 2) await once(ws, 'message');
    assert.equal(JSON.parse(frames[0]!).op, 'ready');
    const version = await fetch(`${url}/version`, { headers: { Authorization: 'cli-secret' } });
    assert.equal(await version.text(), '3.7.13');

    // The control API drives the faults of a simulator in another process.
    const controlCall = (path: string, body: unknown, password = 'cli-secret') =>
      fetch(`${url}/_simulator/${path}`, { method: 'POST', headers: { Authorization: password, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await controlCall('flood', { rate: 1000, guilds: 3, durationMs: 10 }, 'wrong')).status, 403);
    const rejected = await controlCall('flood', { rate: -1, guilds: 3, durationMs: 10 });
    assert.equal(rejected.status, 400);
    assert.equal(((await rejected.json()) as { code: string }).code, 'LAVALINK_INVALID_OPTION');
    const flooded = (await (await controlCall('flood', { rate: 1000, guilds: 3, durationMs: 200 })).json()) as { frames: number };
    assert.equal(flooded.frames, 200);
    while (frames.filter((f) => f.includes('"op":"playerUpdate"')).length < 200) await once(ws, 'message');
    assert.equal((await controlCall('silence', {})).status, 204);
    assert.equal((await controlCall('wake', {})).status, 204, 'control still answers while the node is silent');

    const closed = once(ws, 'close');
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    await closed;
  });

  test('--flavour nodelink imitates NodeLink; --quirk turns one switch off (or on)', async (t) => {
    const child = run(['--flavour', 'nodelink', '--quirk', 'nodeLinkIdentity=false', '--quirk', 'traceOnlyErrors']);
    t.after(() => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await firstLine(child);
    const headers = { Authorization: 'youshallnotpass' };
    assert.equal(await (await fetch(`${url}/version`, { headers })).text(), '4.2.0', 'identity switched off');
    const session = await fetch(`${url}/v4/sessions/x`, { method: 'PATCH', headers: { ...headers, 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(session.status, 404, 'no session routes');
    const error = (await session.json()) as Record<string, unknown>;
    assert.equal(error.error, undefined);
    assert.equal(typeof error.trace, 'string');
    assert.match(stderr, /Lavalink 4\.2\.0 simulator/);

    const bad = run(['--quirk', 'noSuchQuirk']);
    t.after(() => bad.kill('SIGKILL'));
    let badErr = '';
    bad.stderr!.on('data', (chunk: Buffer) => (badErr += chunk.toString()));
    const [code] = (await once(bad, 'exit')) as [number];
    assert.equal(code, 2);
    assert.match(badErr, /LAVALINK_INVALID_OPTION: Expected `quirks` to be an object whose keys are among/);
  });

  test('--help exits 0; a bad option exits 2 with the reason', async (t) => {
    const help = run(['--help']);
    t.after(() => help.kill('SIGKILL'));
    const [helpCode] = (await once(help, 'exit')) as [number];
    assert.equal(helpCode, 0);

    const bad = run(['--protocol', '5']);
    t.after(() => bad.kill('SIGKILL'));
    let stderr = '';
    bad.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [badCode] = (await once(bad, 'exit')) as [number];
    assert.equal(badCode, 2);
    assert.match(stderr, /LAVALINK_INVALID_OPTION: Expected `protocol` to be 3 or 4, got `5` \(number\)/);
  });
});
