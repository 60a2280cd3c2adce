/** Starts a simulator for one test and closes it when the test ends. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LavalinkSimulator, type SimulatorOptions } from '../../src/testing/index.js';

export async function startSimulator(t: TestContext, options: SimulatorOptions = {}): Promise<LavalinkSimulator> {
  const sim = new LavalinkSimulator(options);
  t.after(() => sim.close());
  await sim.start();
  return sim;
}

export interface SimulatorProcess {
  readonly url: string;
  readonly port: number;
  /** Calls the control API (`/_simulator/...`). */
  control(method: string, path: string, body?: unknown): Promise<any>;
}

/**
 * Runs the simulator as its own process (the CLI, with the control API), for tests where the
 * test's own thread must not also be the server's: a stalled main thread would stall it too.
 */
export async function startSimulatorProcess(t: TestContext, args: string[] = []): Promise<SimulatorProcess> {
  const cli = fileURLToPath(new URL('../../src/testing/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--control', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
  const [url] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return {
    url,
    port: Number(new URL(url).port),
    async control(method, path, body) {
      const res = await fetch(`${url}/_simulator/${path}`, {
        method,
        headers: { Authorization: 'youshallnotpass', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return text ? JSON.parse(text) : null;
    },
  };
}
