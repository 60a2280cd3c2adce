/**
 * v3 write confirmation. A frame written to the WebSocket is not a frame the node read: a link that
 * is held, then reset, loses what it held. So a written op counts only once a pong comes back for
 * a ping sent after it (the node reads a connection in order); until then it is kept, and a link
 * that closes gives it back to go again on the next one, first.
 *
 * Pings carry the write count they cover: `c<n>` asks for a confirmation, `h<n>` is the
 * heartbeat's, whose pong confirms as much.
 */

/** An op as the confirmation keeps it. */
export interface Confirmable {
  /** Set when it is given back: it goes again, and a `play` is checked against the node first. */
  replay: boolean;
  resolve(): void;
}

/** What the confirmation needs of the connection. */
export interface ConfirmationLink {
  /** Sends a ping carrying `payload`; false when the link is not open. */
  ping(payload: string): boolean;
  /** The number of ops waiting for confirmation changed. */
  changed(): void;
}

export type PongKind = 'heartbeat' | 'confirmation';

export class WriteConfirmation<T extends Confirmable> {
  readonly #link: ConfirmationLink;
  /** Written, not yet confirmed, oldest first, each with the write count it was written at. */
  #waiting: { readonly item: T; readonly seq: number }[] = [];
  #written = 0;
  /** A confirmation ping is out: one at a time covers everything written before it. */
  #asking = false;
  #drained: (() => void)[] = [];

  constructor(link: ConfirmationLink) {
    this.#link = link;
  }

  /** Ops written and not yet confirmed. */
  get size(): number {
    return this.#waiting.length;
  }

  /** The payload of a heartbeat ping: its pong confirms what was written before it, too. */
  heartbeatPayload(): string {
    return `h${this.#written}`;
  }

  /** `item` was just written: it settles once a pong covering it comes back. */
  wrote(item: T): void {
    this.#waiting.push({ item, seq: ++this.#written });
    this.#ask();
  }

  /** A pong came with `payload`: confirms what it covers; answers whose ping it was (null: not ours). */
  onPong(payload: string): PongKind | null {
    const kind = payload[0] === 'h' ? 'heartbeat' : payload[0] === 'c' ? 'confirmation' : null;
    if (kind === null) return null;
    this.#confirm(Number(payload.slice(1)));
    if (kind === 'confirmation') {
      this.#asking = false;
      this.#ask();
    }
    return kind;
  }

  /** Resolves once nothing written is unconfirmed, or after `ms` (close() gives the node that long). */
  allConfirmed(ms: number): Promise<void> {
    if (this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#drained.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.#ask();
    });
  }

  /**
   * The link closed before the node confirmed these: they are handed back, oldest first, marked
   * as replays, to go again on the next connection whether the session is resumed or not.
   */
  takeBack(): T[] {
    this.#asking = false;
    const again = this.#waiting.map(({ item }) => item);
    this.#waiting = [];
    for (const item of again) item.replay = true;
    this.#wake();
    return again;
  }

  /** Every op still waiting (to reject them: the socket is closed for good). */
  takeAll(): T[] {
    this.#asking = false;
    const all = this.#waiting.map(({ item }) => item);
    this.#waiting = [];
    this.#wake();
    return all;
  }

  /** Ops written up to write `seq` reached the node. */
  #confirm(seq: number): void {
    if (!(seq > 0)) return;
    let confirmed = 0;
    while (this.#waiting.length > 0 && this.#waiting[0]!.seq <= seq) {
      this.#waiting.shift()!.item.resolve();
      confirmed++;
    }
    if (confirmed > 0) this.#link.changed();
    if (this.#waiting.length === 0) this.#wake();
  }

  #ask(): void {
    if (this.#asking || this.#waiting.length === 0) return;
    this.#asking = this.#link.ping(`c${this.#written}`);
  }

  #wake(): void {
    for (const wake of this.#drained.splice(0)) wake();
  }
}
