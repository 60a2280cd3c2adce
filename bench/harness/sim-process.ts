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

export async function startSim(protocol: 3 | 4, extra: string[] = []): Promise<SimProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', cli, '--protocol', String(protocol), '--control', '--no-record', '--stats-interval', '60000', '--player-update-interval', '600000', ...extra], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [url] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return {
    port: Number(new URL(url).port),
    url,
    async control<T>(method: string, action: string, body?: unknown): Promise<T> {
      const res = await fetch(`${url}/_simulator/${action}`, {
        method,
        headers: { Authorization: 'youshallnotpass', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`control ${action}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
