/**
 * A bare Lavalink client for simulator tests: a `ws` socket that keeps every frame, and `fetch`
 * with the password. No lavathread code is involved, so the simulator is tested on its own.
 */
import type { IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import type { LavalinkSimulator } from '../../src/testing/index.js';

/** A server frame; loosely typed because tests read whatever field they check. */
export type Frame = { op: string } & Record<string, any>;

export const PASSWORD = 'youshallnotpass';

/** The op of caughtUp()'s marker frames. */
const MARKER_OP = 'raw-client-marker';
let markers = 0;

/** A frame that is not a JSON object is kept as `{op: '<raw>', raw}`. */
function parseFrame(text: string): Frame {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && typeof (value as Frame).op === 'string') return value as Frame;
  } catch {
    // fall through
  }
  return { op: '<raw>', raw: text };
}

export class RawClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly upgradeHeaders: IncomingHttpHeaders;
  closeCode: number | null = null;
  #cursor = 0;
  #waiters = new Set<() => void>();
  readonly #markerWaiters = new Map<string, () => void>();

  private constructor(ws: WebSocket, upgradeHeaders: IncomingHttpHeaders) {
    this.ws = ws;
    this.upgradeHeaders = upgradeHeaders;
    ws.on('message', (data, binary) => {
      if (!binary) {
        const frame = parseFrame((data as Buffer).toString());
        if (frame.op === MARKER_OP) {
          this.#markerWaiters.get(frame.id as string)?.();
          this.#markerWaiters.delete(frame.id as string);
          return;
        }
        this.frames.push(frame);
      }
      for (const wake of this.#waiters) wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const wake of this.#waiters) wake();
    });
  }

  /** Opens a socket; rejects with `{status}` when the handshake is refused. */
  static connect(url: string, headers: Record<string, string>, options: { autoPong?: boolean } = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, autoPong: options.autoPong ?? true });
      ws.once('upgrade', (res) => resolve(new RawClient(ws, res.headers)));
      ws.once('unexpected-response', (_req, res) => {
        reject(Object.assign(new Error(`handshake refused: ${res.statusCode}`), { status: res.statusCode }));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  /** Connects as a v4 client (or v3 with `protocol: 3`) with the usual headers plus `extra`. */
  static open(sim: LavalinkSimulator, extra: Record<string, string> = {}): Promise<RawClient> {
    const headers: Record<string, string> = { Authorization: PASSWORD, 'User-Id': '170939974227541168', 'Client-Name': 'raw-client/1.0', ...extra };
    if (sim.release.requiresNumShards && !('Num-Shards' in headers)) headers['Num-Shards'] = '1';
    return RawClient.connect(sim.wsUrl, headers);
  }

  /** The next frame after the last one returned that matches; waits up to `timeoutMs`. */
  next(match: (frame: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (let i = this.#cursor; i < this.frames.length; i++) {
          const frame = this.frames[i]!;
          if (match(frame)) {
            this.#cursor = i + 1;
            resolve(frame);
            return true;
          }
        }
        return false;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`no matching frame within ${timeoutMs} ms; last frames: ${JSON.stringify(this.frames.slice(-3))}`));
      }, timeoutMs);
      const wake = (): void => {
        if (check()) {
          clearTimeout(timer);
          this.#waiters.delete(wake);
        }
      };
      this.#waiters.add(wake);
    });
  }

  /** Waits for the next frame with this op (and event type). */
  nextOp(op: string, type?: string, timeoutMs?: number): Promise<Frame> {
    return this.next((f) => f.op === op && (type === undefined || f.type === type), timeoutMs);
  }

  /**
   * A positive marker: the simulator sends a frame after everything it has sent so far, and this
   * resolves once it arrives, so every earlier frame is in `frames`. Markers are not kept there.
   */
  async caughtUp(sim: LavalinkSimulator, timeoutMs = 5000): Promise<void> {
    const id = `${++markers}`;
    const arrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#markerWaiters.delete(id);
        reject(new Error(`the marker frame did not arrive within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#markerWaiters.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    sim.sendRaw(JSON.stringify({ op: MARKER_OP, id }));
    await arrived;
  }

  send(frame: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Resolves with the close code once the socket is closed. */
  closed(timeoutMs = 5000): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.closeCode !== null) return resolve(this.closeCode);
      const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
      this.ws.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  close(): Promise<number> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve(this.closeCode ?? 1006);
    this.ws.close();
    return this.closed();
  }
}

export interface RestAnswer {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

/** REST against the simulator with the password. */
export async function rest(sim: LavalinkSimulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RestAnswer> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { Authorization: PASSWORD, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns true, up to `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Settles as `promise` does, or rejects naming `what` if it has not settled within `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A short voice state that passes 4.2 validation. */
export const voice = { token: 'voice-token', endpoint: 'us-east1.discord.media:443', sessionId: 'discord-session', channelId: '1000000000000000001' };
