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

/**
 * Each guild must have had at least what was sent to it (`expected`, from the simulators' own
 * counts). Extra is allowed: a late answer to an earlier voice update is not a loss.
 */
export function verifyPerGuild(expected: Readonly<Record<string, number>>, got: Readonly<Record<string, number>>, what: string): Verdict {
  let missing = 0;
  let guilds = 0;
  const short: string[] = [];
  for (const [guildId, want] of Object.entries(expected)) {
    const have = got[guildId] ?? 0;
    if (have >= want) continue;
    missing += want - have;
    guilds++;
    if (short.length < 3) short.push(`${guildId}: ${have}/${want}`);
  }
  return missing === 0 ? { ok: true, missing: 0, reason: null } : { ok: false, missing, reason: `${missing} ${what} lost over ${guilds} guilds (${short.join(', ')}...)` };
}

/** Adds per-guild counts from several nodes (each guild's player lives on one of them). */
export function mergeCounts(parts: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of parts) for (const [guildId, n] of Object.entries(part)) out[guildId] = (out[guildId] ?? 0) + n;
  return out;
}
