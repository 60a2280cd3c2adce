#!/usr/bin/env node
/**
 * Runs a LavalinkSimulator as its own process, so a benchmark never bills the server's CPU to the
 * client under test. Prints the base URL on stdout (one line, for scripts) and a description on
 * stderr; exits 0 on SIGTERM or SIGINT.
 *
 *   lavathread-simulator --protocol 4 --port 2333 --password youshallnotpass
 */
import { parseArgs } from 'node:util';
import { LavalinkError } from '../errors.js';
import { LavalinkSimulator } from './simulator.js';
import { serverName } from './identity.js';
import { pluginNames, type SimulatorPlugin } from './plugins.js';
import { quirkNames, type Flavour, type Quirks } from './quirks.js';
import type { ReleaseName } from './release.js';

const usage = `Usage: lavathread-simulator [options]
  --protocol 4|3                  protocol to speak (default 4)
  --release 4.2|4.0|3.7|3.3       Lavalink release to imitate (default: newest of the protocol)
  --flavour lavalink|nodelink     server to imitate (default lavalink; nodelink: protocol 4, every quirk on)
  --quirk NAME[=false]            turn one quirk on (or off), over the flavour's; repeatable. Quirks:
                                  ${quirkNames.join(', ')}
  --host HOST                     address to bind (default 127.0.0.1)
  --port PORT                     port (default 0: a free one)
  --password PASSWORD             (default youshallnotpass)
  --stats-interval MS             between stats frames (default 60000)
  --player-update-interval MS     between playerUpdates (default 5000)
  --heartbeat-interval MS         ping clients this often...
  --heartbeat-timeout MS          ...and drop those that miss a pong for this long
  --plugins NAME[,NAME...]        Lavalink plugins to serve (protocol 4): ${pluginNames.join(', ')}
  --no-record                     keep no request/frame log (long benchmarks)
  --control                       serve the control API under /_simulator/ (faults, flood, inspection)
  --help`;

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

/** `--quirk name` turns a quirk on, `--quirk name=false` off; the simulator checks the names. */
function quirks(flags: readonly string[]): Partial<Quirks> {
  const out: Record<string, boolean> = {};
  for (const flag of flags) {
    const [name = '', value = 'true'] = flag.split('=', 2);
    if (value !== 'true' && value !== 'false') throw new Error(`--quirk ${flag}: the value must be true or false`);
    out[name] = value === 'true';
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      protocol: { type: 'string', default: '4' },
      release: { type: 'string' },
      flavour: { type: 'string' },
      quirk: { type: 'string', multiple: true },
      host: { type: 'string' },
      port: { type: 'string' },
      password: { type: 'string' },
      'stats-interval': { type: 'string' },
      'player-update-interval': { type: 'string' },
      'heartbeat-interval': { type: 'string' },
      'heartbeat-timeout': { type: 'string' },
      plugins: { type: 'string' },
      'no-record': { type: 'boolean', default: false },
      control: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const heartbeatInterval = number(values['heartbeat-interval'], 'heartbeat-interval');
  const heartbeatTimeout = number(values['heartbeat-timeout'], 'heartbeat-timeout');
  const port = number(values.port, 'port');
  const statsIntervalMs = number(values['stats-interval'], 'stats-interval');
  const playerUpdateIntervalMs = number(values['player-update-interval'], 'player-update-interval');
  const sim = new LavalinkSimulator({
    protocol: number(values.protocol, 'protocol') as 3 | 4,
    ...(values.release !== undefined ? { release: values.release as ReleaseName } : {}),
    ...(values.flavour !== undefined ? { flavour: values.flavour as Flavour } : {}),
    ...(values.quirk !== undefined ? { quirks: quirks(values.quirk) } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.password !== undefined ? { password: values.password } : {}),
    ...(statsIntervalMs !== undefined ? { statsIntervalMs } : {}),
    ...(playerUpdateIntervalMs !== undefined ? { playerUpdateIntervalMs } : {}),
    ...(heartbeatInterval !== undefined ? { heartbeat: { intervalMs: heartbeatInterval, timeoutMs: heartbeatTimeout ?? heartbeatInterval } } : {}),
    // The simulator checks the names, as it does the quirks'.
    ...(values.plugins !== undefined ? { plugins: values.plugins.split(',').map((name) => name.trim()).filter((name) => name !== '') as SimulatorPlugin[] } : {}),
    record: !values['no-record'],
    control: values.control,
  });
  const url = await sim.start();
  console.log(url);
  console.error(`${serverName(sim.release, sim.quirks)} simulator (protocol ${sim.release.protocol}) at ${url}, WebSocket ${sim.wsUrl}`);

  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof LavalinkError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error));
  console.error(usage);
  process.exit(2);
});
