/**
 * The TCP fault proxy of the tcp-faults test (test/helpers/fault-proxy.ts): it passes bytes as
 * they were sent unless told otherwise, and each fault does what it says to both peers.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { describe, test } from '../helpers/node-test.js';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { until } from '../helpers/raw-client.js';

/** One end of a connection, as a test sees it. */
interface End {
  readonly socket: Socket;
  readonly chunks: Buffer[];
  ended: boolean;
  closed: boolean;
  error: string | null;
  bytes(): Buffer;
}

function watch(socket: Socket): End {
  const end: End = { socket, chunks: [], ended: false, closed: false, error: null, bytes: () => Buffer.concat(end.chunks) };
  socket.on('data', (chunk: Buffer) => end.chunks.push(chunk));
  socket.on('end', () => (end.ended = true));
  socket.on('close', () => (end.closed = true));
  socket.on('error', (error: NodeJS.ErrnoException) => (end.error = error.code ?? error.message));
  return end;
}

/** An upstream that keeps what each connection sent; and a proxy in front of it. */
async function setUp(t: TestContext): Promise<{ proxy: FaultProxy; server: End[]; client: () => Promise<End> }> {
  const server: End[] = [];
  const upstream = createServer({ allowHalfOpen: true }, (socket) => server.push(watch(socket)));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const proxy = await FaultProxy.start({ upstreamPort: (upstream.address() as AddressInfo).port });
  const clients: Socket[] = [];
  t.after(async () => {
    for (const socket of clients) socket.destroy();
    for (const end of server) end.socket.destroy();
    await proxy.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });
  return {
    proxy,
    server,
    client: async () => {
      const socket = connect({ port: proxy.port, host: '127.0.0.1', allowHalfOpen: true });
      clients.push(socket);
      const end = watch(socket);
      await once(socket, 'connect');
      return end;
    },
  };
}

const pattern = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));

describe('fault proxy', () => {
  test('passes bytes both ways in order, also split into fragments', async (t) => {
    const { proxy, server, client } = await setUp(t);
    proxy.fragment(true);
    const c = await client();
    c.socket.write(pattern(2000));
    await until(() => server[0]?.bytes().length === 2000, 5000, '2000 bytes upstream');
    assert.deepEqual(server[0]!.bytes(), pattern(2000));
    assert.ok(server[0]!.chunks.length > 1, `arrived in ${server[0]!.chunks.length} reads`);
    proxy.fragment(false);
    server[0]!.socket.write('pong');
    await until(() => c.bytes().toString() === 'pong', 5000, 'the answer');
  });

  test('a blackhole holds both ways, FIN included, until it ends; then everything goes through', async (t) => {
    const { proxy, server, client } = await setUp(t);
    const c = await client();
    await until(() => server.length === 1, 5000, 'the upstream connection');
    assert.equal(proxy.blackhole(60_000), 1);
    c.socket.end('abc');
    server[0]!.socket.write('xyz');
    await until(() => proxy.queuedBytes === 6, 5000, 'six bytes held');
    assert.deepEqual(proxy.links().map((l) => [l.held, l.queuedUp, l.queuedDown]), [[true, 3, 3]]);
    assert.equal(server[0]!.bytes().length, 0);
    assert.equal(server[0]!.ended, false, 'the FIN is held too');
    assert.equal(c.bytes().length, 0);
    proxy.heal();
    await until(() => server[0]!.ended && c.bytes().length === 3, 5000, 'the held bytes and FIN');
    assert.equal(server[0]!.bytes().toString(), 'abc');
    assert.equal(c.bytes().toString(), 'xyz');
  });

  test('a blackhole ends by itself; new links pass meanwhile', async (t) => {
    const { proxy, server, client } = await setUp(t);
    const first = await client();
    await until(() => server.length === 1, 5000, 'the upstream connection');
    proxy.blackhole(300);
    first.socket.write('late');
    const second = await client();
    second.socket.write('now');
    await until(() => server[1]?.bytes().toString() === 'now', 5000, 'the new link to pass');
    await until(() => server[0]!.bytes().toString() === 'late', 5000, 'the held bytes once the blackhole ends');
  });

  test('reset sends RST both ways and drops what was held', async (t) => {
    const { proxy, server, client } = await setUp(t);
    const c = await client();
    await until(() => server.length === 1, 5000, 'the upstream connection');
    proxy.blackhole(60_000);
    c.socket.write('lost');
    await until(() => proxy.queuedBytes === 4, 5000, 'four bytes held');
    assert.equal(proxy.reset(), 1);
    await until(() => c.closed && server[0]!.closed, 5000, 'both sides closed');
    assert.equal(c.error, 'ECONNRESET');
    assert.equal(server[0]!.error, 'ECONNRESET');
    assert.equal(server[0]!.bytes().length, 0);
    assert.deepEqual([proxy.stats.resets, proxy.stats.dropped, proxy.stats.live], [1, 4, 0]);
  });

  test('reset(filter) resets only the links it picks', async (t) => {
    const { proxy, server, client } = await setUp(t);
    const held = await client();
    await until(() => server.length === 1, 5000, 'the first upstream connection');
    proxy.blackhole(60_000);
    const fresh = await client();
    await until(() => server.length === 2, 5000, 'the second upstream connection');
    assert.equal(proxy.reset((link) => !link.held), 1);
    await until(() => fresh.closed, 5000, 'the fresh link reset');
    assert.equal(held.closed, false);
    assert.equal(proxy.reset(), 1);
    await until(() => held.closed, 5000, 'the held link reset');
  });

  test('refuse resets new connections for a while; live ones stay', async (t) => {
    const { proxy, server, client } = await setUp(t);
    const live = await client();
    proxy.refuse(60_000);
    const refused = watch(connect({ port: proxy.port, host: '127.0.0.1' }));
    await until(() => refused.closed, 5000, 'the refused connection to close');
    assert.equal(refused.error, 'ECONNRESET');
    live.socket.write('still here');
    await until(() => server[0]?.bytes().toString() === 'still here', 5000, 'the live link to pass');
    proxy.accept();
    const later = await client();
    later.socket.write('back');
    await until(() => server[1]?.bytes().toString() === 'back', 5000, 'a new link after accept()');
    assert.equal(proxy.stats.refused, 1);
  });

  test('drip trickles bytes in order', async (t) => {
    const { proxy, server, client } = await setUp(t);
    const c = await client();
    await until(() => server.length === 1, 5000, 'the upstream connection');
    proxy.drip(60_000, 5);
    c.socket.write(pattern(200));
    await until(() => server[0]!.bytes().length === 200, 10_000, '200 bytes upstream');
    assert.deepEqual(server[0]!.bytes(), pattern(200));
    assert.ok(server[0]!.chunks.every((chunk) => chunk.length <= 10), `reads of ${server[0]!.chunks.map((x) => x.length).join(',')} bytes`);
    proxy.heal();
  });

  test('garbage reaches the client after what was on its way, starting with 0x7f', async (t) => {
    const { proxy, server, client } = await setUp(t);
    const c = await client();
    await until(() => server.length === 1, 5000, 'the upstream connection');
    server[0]!.socket.write('ok');
    await until(() => c.bytes().length === 2, 5000, 'the first bytes');
    assert.equal(proxy.garbageToClient(10), 1);
    await until(() => c.bytes().length === 12, 5000, 'ten garbage bytes');
    assert.equal(c.bytes()[2], 0x7f);
  });

  test('a client of an upstream that is down is reset; close() ends every link', async (t) => {
    const { proxy, server, client } = await setUp(t);
    const c = await client();
    await until(() => server.length === 1, 5000, 'the upstream connection');
    const dead = await FaultProxy.start({ upstreamPort: 1 });
    t.after(() => dead.close());
    const orphan = watch(connect({ port: dead.port, host: '127.0.0.1' }));
    await until(() => orphan.closed, 5000, 'the orphan to close');
    await proxy.close();
    await until(() => c.ended || c.closed, 5000, 'the client to hear the end');
  });
});
