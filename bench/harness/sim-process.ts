/** A simulator in its own process (the CLI with its control API), for the harness. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SimProcess {
  readonly port: number;
  readonly url: string;
  control<T = unknown>(method: string, action: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

const cli = fileURLToPath(new URL('../../src/testing/cli.ts', import.meta.url));

/** The control API (`/_simulator/...`) of the simulator at `url`; each call is bounded by `timeoutMs`. */
export function controlAt(url: string, timeoutMs = 120_000): <T = unknown>(method: string, action: string, body?: unknown) => Promise<T> {
  return async <T>(method: string, action: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_simulator/${action}`, {
      method,
      headers: { Authorization: 'youshallnotpass', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${action}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
}

export async function startSim(protocol: 3 | 4, extra: string[] = []): Promise<SimProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', cli, '--protocol', String(protocol), '--control', '--no-record', '--stats-interval', '60000', '--player-update-interval', '600000', ...extra], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [url] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return {
    port: Number(new URL(url).port),
    url,
    control: controlAt(url),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

const multiSim = fileURLToPath(new URL('./multi-sim.ts', import.meta.url));

export interface SimGroup {
  readonly ports: readonly number[];
  /** One control API per simulator, in the order of `ports`. */
  readonly controls: readonly SimProcess['control'][];
  stop(): Promise<void>;
}

/** `count` simulators in one process of their own (harness/multi-sim.ts), out of the client's process. */
export async function startSims(count: number, protocol: 3 | 4, options: { control?: boolean } = {}): Promise<SimGroup> {
  const child = spawn(process.execPath, ['--import', 'tsx', multiSim, String(count), String(protocol), ...(options.control ? ['--control'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const [line] = (await Promise.race([
      once(createInterface({ input: child.stdout }), 'line'),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the simulators did not start within 30 s')), 30_000).unref()),
    ])) as [string];
    const ports = JSON.parse(line) as number[];
    return { ports, controls: ports.map((port) => controlAt(`http://127.0.0.1:${port}`)), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
