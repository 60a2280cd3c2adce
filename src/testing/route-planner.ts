/** A simulated IP route planner (`/routeplanner/status` and the unmark routes). */

export class RoutePlanner {
  readonly #failing = new Map<string, number>();

  /** Marks an address as failing, as the planner does after a 429 from a source. */
  markFailing(address: string, at = Date.now()): void {
    this.#failing.set(address, at);
  }

  status(): Record<string, unknown> {
    return {
      class: 'RotatingNanoIpRoutePlanner',
      details: {
        ipBlock: { type: 'Inet6Address', size: '18446744073709551616' },
        failingAddresses: [...this.#failing].map(([failingAddress, failingTimestamp]) => ({
          failingAddress,
          failingTimestamp,
          failingTime: new Date(failingTimestamp).toString(),
        })),
        blockIndex: '0',
        currentAddressIndex: '36792023813',
      },
    };
  }

  free(address: string): void {
    this.#failing.delete(address);
  }

  freeAll(): void {
    this.#failing.clear();
  }
}
