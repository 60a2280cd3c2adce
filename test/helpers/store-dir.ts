/**
 * A temporary directory for a session store. node:test runs `t.after` hooks in the order they
 * were added, so one added before a manager would delete the directory while the manager's close
 * still writes its last save there (ENOTEMPTY, a file left in /tmp): this one closes the managers
 * handed to `closesBefore` first.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export interface StoreDir {
  readonly dir: string;
  /** A file path in the directory. */
  path(name: string): string;
  /** Closes `manager` before the directory goes; answers it. */
  closesBefore<M extends { close(): Promise<void> }>(manager: M): M;
}

export async function storeDir(t: TestContext, prefix = 'lavathread-store-'): Promise<StoreDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const managers: { close(): Promise<void> }[] = [];
  t.after(async () => {
    await Promise.allSettled(managers.map((m) => m.close()));
    await rm(dir, { recursive: true, force: true });
  });
  return {
    dir,
    path: (name) => join(dir, name),
    closesBefore: (manager) => (managers.push(manager), manager),
  };
}
