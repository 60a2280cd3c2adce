/**
 * A client that did not receive what it was sent cannot win: every guild must have had every
 * update the simulator sent it (the flood rotates guilds, so the count per guild is exact).
 */

export interface Verdict {
  readonly ok: boolean;
  readonly missing: number;
  readonly reason: string | null;
}

export function verifyFlood(frames: number, guildIds: readonly string[], received: number, perGuild: Record<string, number>, perGuildCounted: boolean): Verdict {
  if (!perGuildCounted) {
    const missing = Math.max(0, frames - received);
    return missing === 0 ? { ok: true, missing: 0, reason: null } : { ok: false, missing, reason: `received ${received} of ${frames} frames` };
  }
  let missing = 0;
  const short: string[] = [];
  guildIds.forEach((guildId, i) => {
    const expected = Math.floor(frames / guildIds.length) + (i < frames % guildIds.length ? 1 : 0);
    const got = perGuild[guildId] ?? 0;
    if (got < expected) {
      missing += expected - got;
      if (short.length < 3) short.push(`${guildId}: ${got}/${expected}`);
    }
  });
  return missing === 0 ? { ok: true, missing: 0, reason: null } : { ok: false, missing, reason: `${missing} playerUpdates lost (${short.join(', ')}...)` };
}
