/**
 * A client that did not receive what it was sent cannot win: every guild must have had every
 * update and track event the simulator sent it (the simulator counts what it sent per guild).
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

/** What a flood sent each session, per guild and kind (the simulator's FloodResult). */
export interface FloodSent {
  readonly frames: number;
  readonly updates: Readonly<Record<string, number>>;
  readonly trackStarts: Readonly<Record<string, number>>;
  readonly trackEnds: Readonly<Record<string, number>>;
}

/** What a client's players received of a flood, per guild and kind. */
export interface FloodGot {
  readonly received: number;
  readonly perGuild: Readonly<Record<string, number>>;
  readonly perGuildStart: Readonly<Record<string, number>>;
  readonly perGuildEnd: Readonly<Record<string, number>>;
}

/**
 * A flood of updates and track events: each guild must have had exactly what it was sent of each
 * kind (nothing else reaches the players during a flood: more is a duplicate). A client counted
 * in total only (the floor counts frames) must have had every frame.
 */
export function verifyFloodMix(sent: FloodSent, got: FloodGot, perGuildCounted: boolean): Verdict {
  if (!perGuildCounted) return verifyFlood(sent.frames, [], got.received, {}, false);
  return combine(
    verifyPerGuild(sent.updates, got.perGuild, 'playerUpdates', true),
    verifyPerGuild(sent.trackStarts, got.perGuildStart, 'TrackStartEvents', true),
    verifyPerGuild(sent.trackEnds, got.perGuildEnd, 'TrackEndEvents', true),
  );
}

/**
 * Each guild must have had at least what was sent to it (`expected`, from the simulators' own
 * counts). Extra is allowed unless `exact`: a late answer to an earlier voice update is not a loss.
 */
export function verifyPerGuild(expected: Readonly<Record<string, number>>, got: Readonly<Record<string, number>>, what: string, exact = false): Verdict {
  let missing = 0;
  let extra = 0;
  let guilds = 0;
  const short: string[] = [];
  for (const [guildId, want] of Object.entries(expected)) {
    const have = got[guildId] ?? 0;
    if (have === want || (have > want && !exact)) continue;
    if (have < want) missing += want - have;
    else extra += have - want;
    guilds++;
    if (short.length < 3) short.push(`${guildId}: ${have}/${want}`);
  }
  // A guild that was sent nothing of this kind is not in `expected`: whatever it got is extra.
  if (exact) {
    for (const [guildId, have] of Object.entries(got)) {
      if (guildId in expected || have === 0) continue;
      extra += have;
      guilds++;
      if (short.length < 3) short.push(`${guildId}: ${have}/0`);
    }
  }
  if (missing === 0 && extra === 0) return { ok: true, missing: 0, reason: null };
  const counts = [missing > 0 ? `${missing} ${what} lost` : null, extra > 0 ? `${extra} ${what} more than sent` : null].filter((x) => x !== null);
  return { ok: false, missing, reason: `${counts.join(', ')} over ${guilds} guilds (${short.join(', ')}...)` };
}

/** The verdicts in one: ok only if each is. */
export function combine(...verdicts: readonly Verdict[]): Verdict {
  const failed = verdicts.filter((v) => !v.ok);
  if (failed.length === 0) return verdicts[0] ?? { ok: true, missing: 0, reason: null };
  return { ok: false, missing: failed.reduce((n, v) => n + v.missing, 0), reason: failed.map((v) => v.reason).join('; ') };
}

/** Adds per-guild counts from several nodes (each guild's player lives on one of them). */
export function mergeCounts(parts: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of parts) for (const [guildId, n] of Object.entries(part)) out[guildId] = (out[guildId] ?? 0) + n;
  return out;
}
