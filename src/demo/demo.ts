/**
 * `npm start`: lavathread against three simulated Lavalink nodes, each its own process. A Manager
 * hosts the nodes in worker threads, creates players, plays, pauses, seeks and applies filters,
 * then kills one node to show failover, printing a live table for about 20 seconds.
 *
 * Nothing here talks to Discord: voice events are made up, as a bot's gateway would deliver them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Manager } from '../index.js';

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

function pad(value: unknown, width: number): string {
  const text = String(value);
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

async function main(): Promise<void> {
  console.log('lavathread demo: 3 simulated Lavalink nodes, each its own process; sockets in 2 worker threads\n');
  const nodes = await Promise.all(nodeIds.map(() => startNode()));
  const manager = new Manager(
    nodeIds.map((id, i) => ({ id, host: '127.0.0.1', port: nodes[i]!.port, password: 'youshallnotpass', version: 4 as const })),
    {
      send: () => {}, // a bot sends these op-4 payloads through its gateway shard
      workers: 2,
      defaultSocketOptions: { retryDelay: 200, maxRetryDelay: 1000, maxTries: 3 },
    },
  );
  let events = 0;
  let moves = 0;
  manager.on('raw', () => events++);
  manager.on('playerNodeMove', () => moves++);
  manager.on('socketDisconnect', (socket) => console.log(`\n  node ${socket.id} is gone for good: its players fail over\n`));
  manager.init(USER_ID);
  await Promise.all([...manager.sockets.values()].map((socket) => socket.onReady()));

  const results = await manager.search('lofi hip hop');
  const tracks = results.loadType === 'search' ? results.tracks : [];
  const players = Array.from({ length: PLAYERS }, (_, i) => {
    const guildId = String(900000000000000000n + BigInt(i));
    const player = manager.create(guildId);
    // What Discord would send after the bot joins a voice channel.
    manager.handleRaw({ t: 'VOICE_STATE_UPDATE', d: { guild_id: guildId, channel_id: String(800000000000000000n + BigInt(i)), user_id: USER_ID, session_id: `voice-session-${i}` } });
    manager.handleRaw({ t: 'VOICE_SERVER_UPDATE', d: { guild_id: guildId, token: `voice-token-${i}`, endpoint: 'demo.discord.media:443' } });
    return player;
  });
  await Promise.all(players.map((player, i) => player.play(tracks[i % tracks.length]!, { startTime: i * 2000 })));

  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = Date.now();
  let lastEvents = 0;
  let step = 0;
  let killed = false;
  console.log(`${pad('t', 5)}${pad('node', 11)}${pad('state', 11)}${pad('players', 9)}${pad('ping', 6)}${pad('penalty', 9)}| events/s  loop delay p99/max (ms)  moves`);
  while (Date.now() - started < DURATION_MS) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    step++;
    // A scripted session: pause, seek, filters, then a node dies.
    if (step === 3) await Promise.all(players.filter((_, i) => i % 4 === 0).map((p) => p.pause()));
    if (step === 4) await Promise.all(players.filter((_, i) => i % 4 === 1).map((p) => p.seek(60_000)));
    if (step === 5) await Promise.all(players.filter((_, i) => i % 4 === 2).map((p) => p.setFilters({ timescale: { speed: 1.1, pitch: 1.05 } })));
    if (step === 6) await Promise.all(players.filter((_, i) => i % 4 === 0).map((p) => p.resume()));
    if (step === 8 && !killed) {
      killed = true;
      console.log('\n  killing node frankfurt (its process exits)\n');
      nodes[1]!.child.kill('SIGKILL');
    }
    const rate = events - lastEvents;
    lastEvents = events;
    const seconds = Math.round((Date.now() - started) / 1000);
    const perNode = new Map<string, number>();
    for (const player of manager.players.values()) perNode.set(player.socket.id, (perNode.get(player.socket.id) ?? 0) + 1);
    nodeIds.forEach((id, i) => {
      const socket = manager.sockets.get(id);
      const state = socket ? (socket.ready ? 'ready' : 'reconnect') : 'gone';
      const penalty = socket?.ready ? socket.penalties.toFixed(1) : '-';
      const tail = i === 0 ? `| ${pad(rate, 10)}${pad(`${(delay.percentile(99) / 1e6).toFixed(1)} / ${(delay.max / 1e6).toFixed(1)}`, 25)}${moves}` : '|';
      console.log(`${pad(i === 0 ? `${seconds}s` : '', 5)}${pad(id, 11)}${pad(state, 11)}${pad(perNode.get(id) ?? 0, 9)}${pad(socket && socket.ping >= 0 ? socket.ping : '-', 6)}${pad(penalty, 9)}${tail}`);
    });
    delay.reset();
  }

  const lost = players.filter((p) => manager.players.get(p.guildId) !== p).length;
  const onLiveNodes = [...manager.players.values()].filter((p) => p.socket.ready).length;
  console.log(`\n${manager.players.size} players, ${onLiveNodes} on live nodes, ${lost} lost, ${moves} moved by failover.`);
  await manager.close();
  for (const node of nodes) if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
  await Promise.all(nodes.filter((node) => node.child.exitCode === null && node.child.signalCode === null).map((node) => once(node.child, 'exit')));
  if (lost > 0 || onLiveNodes !== PLAYERS) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
