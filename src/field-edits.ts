/**
 * A player field the bot sets (volume, pause, filters): it reads as the bot asked from the moment
 * it asks (a restore or a move meanwhile must carry the new value), and a command the node
 * refused is taken back, to the value of the last one it took or may have taken. A command whose
 * outcome is unknown (a timeout, a frame written on a link that then reset) counts as taken: the
 * next restore makes the node agree.
 */
export class FieldEdits<T> {
  #base: T;
  readonly #pending: { readonly id: number; readonly value: T }[] = [];
  #next = 0;

  constructor(base: T) {
    this.#base = base;
  }

  get value(): T {
    const last = this.#pending.at(-1);
    return last === undefined ? this.#base : last.value;
  }

  /** The bot asked for `value`; answers the edit's id. */
  ask(value: T): number {
    const id = ++this.#next;
    this.#pending.push({ id, value });
    return id;
  }

  /** The node took edit `id` (or may have): it and every earlier edit are settled. */
  took(id: number): void {
    const at = this.#pending.findIndex((edit) => edit.id === id);
    if (at === -1) return;
    this.#base = this.#pending[at]!.value;
    this.#pending.splice(0, at + 1);
  }

  /** The node refused edit `id`: it never happened. */
  refused(id: number): void {
    const at = this.#pending.findIndex((edit) => edit.id === id);
    if (at !== -1) this.#pending.splice(at, 1);
  }

  /** Set from elsewhere (a restore, a stored snapshot): nothing is pending any more. */
  reset(value: T): void {
    this.#base = value;
    this.#pending.length = 0;
  }
}
