/**
 * The delivery ledger of a fault test: what the bot asked for (each command with how its promise
 * settled), what the nodes applied (from the simulator's own records), and the comparison of the
 * two: lost, reordered and repeated commands, and guilds whose node state is not the Player's.
 *
 * A volume command is told apart from every other by its value: each guild's volumes are new
 * numbers, so a copy on a node names the command it came from.
 */
import type { Player } from '../../src/index.js';
import { LavalinkError } from '../../src/index.js';
import type { LavalinkSimulator } from '../../src/testing/index.js';

export interface Command {
  readonly guildId: string;
  readonly kind: 'volume' | 'pause';
  readonly value: number | boolean;
  readonly issuedAt: number;
  state: 'pending' | 'resolved' | 'rejected';
  /** The LavalinkError code of a rejection, or `untyped: <message>` for anything else. */
  error?: string;
  /** The rejection's message, with ids and paths taken out so alike reasons group together. */
  reason?: string;
}

/** Runs a command and keeps how it settled. */
export function track(commands: Command[], command: Omit<Command, 'state' | 'issuedAt'>, run: () => Promise<unknown>): void {
  const entry: Command = { ...command, issuedAt: Date.now(), state: 'pending' };
  commands.push(entry);
  run().then(
    () => (entry.state = 'resolved'),
    (error: unknown) => {
      entry.state = 'rejected';
      entry.error = error instanceof LavalinkError ? error.code : `untyped: ${String(error)}`;
      entry.reason = (error instanceof Error ? error.message : String(error)).replace(/\/\S*/g, '<path>').replace(/\d{5,}/g, '<id>');
    },
  );
}

/** One volume command as a node applied it. */
export interface Copy {
  readonly at: number;
  readonly node: number;
  readonly sessionId: string;
  readonly volume: number;
  /** Applied to a session the client had already left for a newer one on that node (a late copy). */
  readonly abandoned: boolean;
}

/**
 * Volume commands each guild's nodes applied, in arrival order: v4 PATCH bodies answered 200 that
 * carry only a volume, v3 `volume` frames the node applied. A restore sends the volume inside its
 * `play`, so it is not a copy of a command.
 */
export function volumeCopies(sims: readonly LavalinkSimulator[]): Map<string, Copy[]> {
  const byGuild = new Map<string, Copy[]>();
  const add = (guildId: string, copy: Copy): void => {
    let list = byGuild.get(guildId);
    if (!list) byGuild.set(guildId, (list = []));
    list.push(copy);
  };
  sims.forEach((sim, node) => {
    // The session the client is on at a time: the last handshake the node accepted before it.
    const opened = sim.handshakes.filter((h) => h.status === 101 && h.sessionId !== null);
    const abandoned = (sessionId: string, at: number): boolean => {
      const current = opened.findLast((h) => h.at <= at);
      return current !== undefined && current.sessionId !== sessionId;
    };
    if (sim.release.protocol === 4) {
      for (const r of sim.requests) {
        const match = /^\/v4\/sessions\/([^/]+)\/players\/(\d+)$/.exec(r.path);
        const body = r.body as Record<string, unknown> | null;
        if (r.method !== 'PATCH' || r.status !== 200 || !match || typeof body?.volume !== 'number' || Object.keys(body).length !== 1) continue;
        add(match[2]!, { at: r.at, node, sessionId: match[1]!, volume: body.volume, abandoned: abandoned(match[1]!, r.at) });
      }
    } else {
      for (const f of sim.frames) {
        const op = f.data as Record<string, unknown> | null;
        if (!f.applied || op?.op !== 'volume' || typeof op.guildId !== 'string' || typeof op.volume !== 'number') continue;
        add(op.guildId, { at: f.at, node, sessionId: f.sessionId, volume: op.volume, abandoned: abandoned(f.sessionId, f.at) });
      }
    }
  });
  // Each node's records are in arrival order; across nodes (a player that moved), by time.
  for (const list of byGuild.values()) list.sort((a, b) => a.at - b.at);
  return byGuild;
}

/** A stretch of time in which a fault may make a command arrive twice, on one node. */
export interface FaultWindow {
  readonly node: number;
  readonly from: number;
  readonly to: number;
}

export interface Audit {
  readonly sent: number;
  readonly resolved: number;
  readonly rejected: number;
  readonly pending: number;
  readonly volumesResolved: number;
  /** Resolved volume commands no node applied. */
  readonly lost: string[];
  /**
   * Volume commands whose first copy in a session came after the first copy there of a later
   * command of the guild: the player on the node went through its values out of order. (Each
   * session is a player of its own: a late copy in a session the client left is counted as
   * `abandoned`, not as reordered.)
   */
  readonly reordered: string[];
  /** Copies applied to a session the client had already left for a newer one. */
  readonly abandoned: number;
  /** Copies beyond the first of a command. */
  readonly repeated: number;
  /** Repeats that arrived outside every fault window of their node. */
  readonly repeatedOutside: string[];
  /** Repeats that landed after a later command's first copy (an older value applied again). */
  readonly stale: number;
  /** Rejected volume commands a node applied anyway. */
  readonly rejectedApplied: string[];
  /** Rejections without a LavalinkError code. */
  readonly untyped: string[];
  /** Rejection codes and reasons, and how often each came. */
  readonly rejections: Record<string, number>;
}

export function audit(commands: readonly Command[], copies: Map<string, Copy[]>, windows: readonly FaultWindow[], started: number): Audit {
  const when = (at: number): string => `+${((at - started) / 1000).toFixed(1)} s`;
  const lost: string[] = [];
  const reordered: string[] = [];
  const repeatedOutside: string[] = [];
  const rejectedApplied: string[] = [];
  let repeated = 0;
  let stale = 0;
  let abandoned = 0;
  const byGuild = new Map<string, Command[]>();
  for (const c of commands) {
    if (c.kind !== 'volume') continue;
    let list = byGuild.get(c.guildId);
    if (!list) byGuild.set(c.guildId, (list = []));
    list.push(c);
  }
  for (const [guildId, issued] of byGuild) {
    const got = copies.get(guildId) ?? [];
    const order = new Map(issued.map((c, i) => [c.value as number, i]));
    const seen = new Set<number>();
    /** Per session: the values it applied, and the latest command it applied. */
    const sessions = new Map<string, { seen: Set<number>; latest: number }>();
    for (const copy of got) {
      const index = order.get(copy.volume);
      if (index === undefined) continue;
      if (copy.abandoned) abandoned++;
      const key = `${copy.node}/${copy.sessionId}`;
      let session = sessions.get(key);
      if (!session) sessions.set(key, (session = { seen: new Set(), latest: -1 }));
      if (seen.has(copy.volume)) {
        repeated++;
        const inWindow = windows.some((w) => w.node === copy.node && copy.at >= w.from && copy.at <= w.to);
        if (!inWindow) repeatedOutside.push(`guild ${guildId} volume ${copy.volume} again at ${when(copy.at)} on node-${copy.node}`);
      }
      seen.add(copy.volume);
      if (session.seen.has(copy.volume)) {
        if (index < session.latest) stale++;
        continue;
      }
      session.seen.add(copy.volume);
      if (index < session.latest) reordered.push(`guild ${guildId} volume ${copy.volume} (command ${index}) arrived after command ${session.latest} in session ${copy.sessionId} at ${when(copy.at)}`);
      session.latest = Math.max(session.latest, index);
    }
    for (const c of issued) {
      const arrived = seen.has(c.value as number);
      if (c.state === 'resolved' && !arrived) lost.push(`guild ${guildId} volume ${String(c.value)} issued at ${when(c.issuedAt)}`);
      if (c.state === 'rejected' && arrived) rejectedApplied.push(`guild ${guildId} volume ${String(c.value)} (${c.error})`);
    }
  }
  const rejections: Record<string, number> = {};
  for (const c of commands) {
    if (c.state !== 'rejected') continue;
    const key = `${c.error!}: ${c.reason ?? ''}`;
    rejections[key] = (rejections[key] ?? 0) + 1;
  }
  return {
    sent: commands.length,
    resolved: commands.filter((c) => c.state === 'resolved').length,
    rejected: commands.filter((c) => c.state === 'rejected').length,
    pending: commands.filter((c) => c.state === 'pending').length,
    volumesResolved: commands.filter((c) => c.kind === 'volume' && c.state === 'resolved').length,
    lost,
    reordered,
    abandoned,
    repeated,
    repeatedOutside,
    stale,
    rejectedApplied,
    untyped: commands.filter((c) => c.error?.startsWith('untyped')).map((c) => `guild ${c.guildId} ${c.kind} ${String(c.value)}: ${c.error}`),
    rejections,
  };
}

/**
 * The node's view of a guild against the Player's: the guild must play in exactly one open session,
 * on the node its handle names, with the Player's volume and pause. Answers what differs, or null.
 */
export function stateMismatch(sims: readonly LavalinkSimulator[], nodeIds: readonly string[], player: Player): string | null {
  const copies = sims.flatMap((sim, node) => {
    const open = new Set(sim.sessions().filter((s) => s.state === 'open').map((s) => s.id));
    return sim
      .players()
      .filter((p) => p.guildId === player.guildId && p.track !== null && open.has(p.sessionId))
      .map((p) => ({ node, volume: p.volume, paused: p.paused, sessionId: p.sessionId }));
  });
  const mine = `Player: ${player.socket.id} volume ${player.volume} paused ${player.paused}`;
  const theirs = `node: ${copies.map((c) => `${nodeIds[c.node]} session ${c.sessionId} volume ${c.volume} paused ${c.paused}`).join('; ') || 'no open player'}`;
  const [copy] = copies;
  if (copies.length !== 1 || nodeIds[copy!.node] !== player.socket.id || copy!.volume !== player.volume || copy!.paused !== player.paused) {
    return `guild ${player.guildId}: ${theirs} | ${mine}`;
  }
  return null;
}

/** The guilds whose node state is not the Player's. */
export function mismatches(sims: readonly LavalinkSimulator[], nodeIds: readonly string[], players: readonly Player[]): string[] {
  return players.map((p) => stateMismatch(sims, nodeIds, p)).filter((m): m is string => m !== null);
}
