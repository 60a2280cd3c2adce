/**
 * A SessionStore in one JSON file. Writes go to a temporary file that is flushed and then renamed
 * over the old one, so a crash mid-write leaves the last complete snapshot, never a torn file.
 */
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { InvalidOptionError } from '../errors.js';
import type { SessionSnapshot, SessionStore } from './session-store.js';

export class FileSessionStore implements SessionStore {
  /** The file the snapshot is kept in. */
  readonly path: string;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    if (typeof path !== 'string' || path === '') throw new InvalidOptionError('path', 'a file path', path);
    this.path = path;
  }

  async load(): Promise<SessionSnapshot | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const snapshot = JSON.parse(text) as SessionSnapshot;
      return snapshot?.format === 1 && Array.isArray(snapshot.sessions) && Array.isArray(snapshot.players) ? snapshot : null;
    } catch {
      return null; // not ours, or damaged by hand: start afresh rather than fail
    }
  }

  /** Saves; concurrent saves run one after another, the last one wins. */
  save(snapshot: SessionSnapshot): Promise<void> {
    const run = this.#writing.then(() => this.#write(snapshot));
    this.#writing = run.catch(() => {});
    return run;
  }

  async #write(snapshot: SessionSnapshot): Promise<void> {
    const temp = `${this.path}.${process.pid}.tmp`;
    const file = await open(temp, 'w');
    try {
      await file.writeFile(JSON.stringify(snapshot));
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }
}
