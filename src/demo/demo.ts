/**
 * `npm start`: lavathread against three simulated Lavalink nodes, each its own process. A Manager
 * hosts the nodes in worker threads, creates players, plays, pauses, seeks and applies filters,
 * then kills one node to show failover, printing a table from `manager.metrics()` each second for
 * about 20 seconds (`DEMO_SECONDS`). SIGINT or SIGTERM ends it early, its node processes with it.
 *
 * Nothing here talks to Discord: voice events are made up, as a bot's gateway would deliver them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Manager, type ManagerMetrics, type Player } from '../index.js';

const DURATION_MS = Number(process.env.DEMO_SECONDS ?? 20) * 1000;
const PLAYERS = 24;
const USER_ID = '170939974227541168';
const nodeIds = ['tokyo', 'frankfurt', 'virginia'];

/** Runs the simulator CLI beside this file (dist or source). */
async function startNode(): Promise<{ child: ChildProcess; port: number }> {
  const here = fileURLToPath(import.meta.url);
  const cli = here.replace(/demo[/\\]demo\.(ts|js)$/, (_m, ext: string) => `testing/cli.${ext}`);
  const args = here.endsWith('.ts') ? ['--import', 'tsx', cli] : [cli];
  const child = spawn(process.execPath, [...args, '--protocol', '4', '--player-update-interval', '1000', '--stats-interval', '2000', '--no-record'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [url] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return { child, port: Number(new URL(url).port) };
}

const running = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

function pad(value: unknown, width: number): string {
  const text = String(value);
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

/** The scripted session: at each second, what happens and to which players. */
function scriptFor(players: Player[], kill: () => void): Map<number, { say: string; run: () => Promise<unknown> }> {
  const every = (k: number) => players.filter((_, i) => i % 4 === k);
  return new Map([
    [3, { say: `pausing ${every(0).length} players`, run: () => Promise.all(every(0).map((p) => p.pause())) }],
    [4, { say: `seeking ${every(1).length} players to 1:00`, run: () => Promise.all(every(1).map((p) => p.seek(60_000))) }],
    [5, { say: `nightcore-ish timescale filter on ${every(2).length} players`, run: () => Promise.all(every(2).map((p) => p.setFilters({ timescale: { speed: 1.1, pitch: 1.05 } }))) }],
    [6, { say: `resuming the ${every(0).length} paused players`, run: () => Promise.all(every(0).map((p) => p.resume())) }],
    [8, { say: 'killing node frankfurt (SIGKILL to its process): its players fail over', run: () => Promise.resolve(kill()) }],
  ]);
}

function printReading(m: ManagerMetrics, seconds: number, moves: number): void {
  m.nodes.forEach((n, i) => {
    const penalty = n.state === 'ready' ? n.penalties.toFixed(1) : '-';
    const tail = i === 0 ? `| ${pad(Math.round(m.events.perSecond), 10)}${pad(Math.round(m.events.batchesPerSecond), 10)}${pad(`${m.mainThread.delay.p99.toFixed(1)} / ${m.mainThread.delay.max.toFixed(1)}`, 16)}${moves}` : '|';
    console.log(`${pad(i === 0 ? `${seconds}s` : '', 5)}${pad(n.id, 11)}${pad(n.state, 13)}${pad(`${n.players} (${n.playing})`, 10)}${pad(n.ping >= 0 ? n.ping : '-', 6)}${pad(penalty, 9)}${pad(n.threadId ?? '-', 7)}${tail}`);
  });
}

async function main(): Promise<void> {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n  ${signal}: stopping (closing the manager and the node processes)`);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  console.log('lavathread demo: 3 simulated Lavalink nodes, each its own process; sockets in 2 worker threads');
  console.log('  starting the nodes...');
  const nodes = await Promise.all(nodeIds.map(() => startNode()));
  let manager: Manager | null = null;
  try {
    manager = new Manager(
      nodeIds.map((id, i) => ({ id, host: '127.0.0.1', port: nodes[i]!.port, password: 'youshallnotpass', version: 4 as const })),
      {
        send: () => {}, // a bot sends these op-4 payloads through its gateway shard
        workers: 2,
        defaultSocketOptions: { retryDelay: 200, maxRetryDelay: 1000, maxTries: 3 },
      },
    );
    let moves = 0;
    manager.on('playerNodeMove', () => moves++);
    manager.on('socketDisconnect', (socket) => console.log(`\n  node ${socket.id} is gone for good: its players fail over\n`));
    console.log('  connecting to them from the worker threads...');
    manager.init(USER_ID);
    await Promise.all([...manager.sockets.values()].map((socket) => socket.onReady()));

    const results = await manager.search('lofi hip hop');
    const tracks = results.loadType === 'search' ? results.tracks : [];
    console.log(`  ${PLAYERS} players join voice (made-up gateway events) and play, each from its own start time\n`);
    const players = Array.from({ length: PLAYERS }, (_, i) => {
      const guildId = String(900000000000000000n + BigInt(i));
      const player = manager!.create(guildId);
      // What Discord would send after the bot joins a voice channel.
      manager!.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: guildId, channel_id: String(800000000000000000n + BigInt(i)), user_id: USER_ID, session_id: `voice-session-${i}` } });
      manager!.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { guild_id: guildId, token: `voice-token-${i}`, endpoint: 'demo.discord.media:443' } });
      return player;
    });
    await Promise.all(players.map((player, i) => player.play(tracks[i % tracks.length]!, { startTime: i * 2000 })));

    const script = scriptFor(players, () => nodes[1]!.child.kill('SIGKILL'));
    const started = Date.now();
    await manager.metrics(); // starts the loop probes: the first row covers a whole second
    console.log(`${pad('t', 5)}${pad('node', 11)}${pad('state', 13)}${pad('players', 10)}${pad('ping', 6)}${pad('penalty', 9)}${pad('thread', 7)}| events/s  batches/s main delay p99/max (ms)  moves`);
    for (let step = 1; !stopping && Date.now() - started < DURATION_MS; step++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const action = script.get(step);
      if (action && !stopping) {
        console.log(`\n  ${action.say}\n`);
        await action.run();
      }
      printReading(await manager.metrics(), Math.round((Date.now() - started) / 1000), moves);
    }

    const reading = await manager.metrics();
    for (const w of reading.workers) console.log(`  worker thread ${w.threadId}: sockets ${w.sockets.join(', ')}; heap ${(w.heapUsed / 2 ** 20).toFixed(1)} MB`);
    const lost = players.filter((p) => manager!.players.get(p.guildId) !== p).length;
    const onLiveNodes = [...manager.players.values()].filter((p) => p.socket.ready).length;
    console.log(`\n${manager.players.size} players, ${onLiveNodes} on live nodes, ${lost} lost, ${moves} moved by failover.`);
    if (!stopping && (lost > 0 || onLiveNodes !== PLAYERS)) process.exitCode = 1;
  } finally {
    await manager?.close();
    // Ours, by their handles: only the processes this demo started.
    const alive = nodes.filter((node) => running(node.child));
    for (const node of alive) node.child.kill('SIGTERM');
    await Promise.all(alive.map((node) => (running(node.child) ? once(node.child, 'exit') : Promise.resolve())));
  }
  if (stopping) process.exitCode = 130;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
