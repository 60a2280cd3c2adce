/**
 * `secure: true` against the simulator serving https and wss with a self-signed certificate made
 * at test time, trusted through the `ca` option; and refused without it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from '../helpers/node-test.js';
import { promisify } from 'node:util';
import { ErrorCode } from '../../src/index.js';
import { createManager, fastOptions, nodeFor, transports, USER_ID, waitFor } from '../helpers/manager.js';
import { startSimulator } from '../helpers/simulator.js';

async function selfSigned(dir: string): Promise<{ key: string; cert: string }> {
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
}

describe('TLS', () => {
  for (const transport of transports) {
    test(`${transport}: a secure node with a private CA: wss and https work when the CA is given, and fail typed when not`, async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'lavathread-tls-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const tls = await selfSigned(dir);
      const sim = await startSimulator(t, { tls });
      assert.match(sim.url, /^https:/);

      const manager = createManager(t, transport, [
        nodeFor(sim, 'trusted', { secure: true, ca: tls.cert }),
        nodeFor(sim, 'untrusted', { secure: true, options: { ...fastOptions, maxTries: 1 } }),
      ]);
      const errors: string[] = [];
      manager.on('socketError', (socket, error) => {
        if (socket.id === 'untrusted') errors.push(error.code);
      });
      const gone = waitFor(manager, 'socketDisconnect', 10_000, (socket) => socket.id === 'untrusted');
      manager.init(USER_ID);
      const trusted = manager.sockets.get('trusted')!;
      await trusted.onReady();
      assert.equal(trusted.version, 4, 'version detected over https');
      const load = await manager.load('dQw4w9WgXcQ');
      assert.equal(load.loadType, 'track');
      assert.equal(sim.handshakes.filter((h) => h.status === 101).length, 1, 'only the trusting socket got through');

      await gone;
      assert.ok(errors.length > 0 && errors.every((code) => code === ErrorCode.RestError || code === ErrorCode.Connection), errors.join());
    });
  }
});
