/** Memory per 1000 players, from readings after GC at a few player counts. */

export interface MemoryReading {
  readonly players: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export interface PerThousand {
  /** MB per 1000 players, between the reading with no players and each later reading. */
  readonly rssMb: number;
  readonly heapMb: number;
  readonly players: number;
}

const MB = 1024 * 1024;

/** The growth from the first reading (no players) to each later one, per 1000 players. */
export function perThousand(readings: readonly MemoryReading[]): PerThousand[] {
  const base = readings[0];
  if (!base) return [];
  return readings
    .slice(1)
    .filter((r) => r.players > base.players)
    .map((r) => {
      const thousands = (r.players - base.players) / 1000;
      return { players: r.players, rssMb: (r.rssBytes - base.rssBytes) / MB / thousands, heapMb: (r.heapUsedBytes - base.heapUsedBytes) / MB / thousands };
    });
}
