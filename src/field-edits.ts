/**
 * A player field the bot sets (volume, pause, filters): it reads as the bot asked from the moment
 * it asks (a restore or a move meanwhile must carry the new value), and a command the node
 * refused is taken back, to the value of the last one it took or may have taken. A command whose
 * outcome is unknown (a timeout, a frame written on a link that then reset) counts as taken: the
 * next restore makes the node agree.
 */
export class FieldEdits<T> {
  #base: T;
  /** Edits not settled yet, oldest first; null until the first ask (most fields are never set). */
  #pending: { readonly id: number; readonly value: T }[] | null = null;
  #next = 0;

  constructor(base: T) {
    this.#base = base;
  }

  get value(): T {
    const last = this.#pending?.at(-1);
    return last === undefined ? this.#base : last.value;
  }

  /** The bot asked for `value`; answers the edit's id. */
  ask(value: T): number {
    const id = ++this.#next;
    (this.#pending ??= []).push({ id, value });
    return id;
  }

  /** The node took edit `id` (or may have): it and every earlier edit are settled. */
  took(id: number): void {
    const pending = this.#pending;
    const at = pending ? pending.findIndex((edit) => edit.id === id) : -1;
    if (!pending || at === -1) return;
    this.#base = pending[at]!.value;
    pending.splice(0, at + 1);
    if (pending.length === 0) this.#pending = null;
  }

  /** The node refused edit `id`: it never happened. */
  refused(id: number): void {
    const pending = this.#pending;
    const at = pending ? pending.findIndex((edit) => edit.id === id) : -1;
    if (!pending || at === -1) return;
    pending.splice(at, 1);
    if (pending.length === 0) this.#pending = null;
  }

  /** Set from elsewhere (a restore, a stored snapshot): nothing is pending any more. */
  reset(value: T): void {
    this.#base = value;
    this.#pending = null;
  }
}
