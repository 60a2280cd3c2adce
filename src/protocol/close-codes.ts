/**
 * What a close of the node's WebSocket means for the connection, decided once, here, from its code
 * (RFC 6455 §7.4, what Lavalink and NodeLink send) and from what the connection knew when it went.
 *
 * What real servers send: Lavalink closes every socket with 1001 when its JVM shuts down (a
 * restart: `ShutdownHandler`); NodeLink with 1000 `Server shutdown`; a killed process, a reset
 * link or our own dead-peer check gives 1006 (no close frame). Lavalink 3.3+, v4 and NodeLink
 * refuse a wrong password with HTTP 401/403 on the handshake, never with a close; Lavalink before
 * 3.3 closed with 4000 `Authorization rejected` right after the open. No server tells in its close
 * code whether it kept the session: a resumable Lavalink session waits paused whatever the code,
 * and the next handshake says whether it was resumed.
 *
 * So the table is conservative: nothing a server sends on a restart stops the connection for good,
 * and only a refusal that comes before the node took the connection (sent its first frame) does.
 */

export const CloseDecision = {
  /** Reconnect with backoff; the resume key, if any, is presented. */
  Retry: 'retry',
  /** The link broke while the node keeps the session: reconnect at once and take it back. */
  Resume: 'resume',
  /** The node dropped our session with the link (it cannot resume): players must move; keep probing it. */
  Failover: 'failover',
  /** The node refuses us in a way another try cannot change: stop for good. */
  GiveUp: 'giveUp',
} as const;

export type CloseDecision = (typeof CloseDecision)[keyof typeof CloseDecision];

/** What the connection knew when it closed. */
export interface CloseContext {
  /** The node took the connection: it sent a first frame on it (v4 `ready`, v3 `stats` or `ready`). */
  readonly accepted: boolean;
  /** The node keeps our session across a drop (resuming configured, and the node has it). */
  readonly resumable: boolean;
}

/**
 * How a close of each kind goes. `ended`: the peer (or something between) ended the connection on
 * purpose and will take a new one. `broken`: the link went without a close handshake. `refused`:
 * the peer refuses this client.
 */
type Kind = 'ended' | 'broken' | 'refused';

interface CloseRow {
  readonly name: string;
  readonly kind: Kind;
}

/** Every code the connection may see, with why it is read as it is. */
const rows: ReadonlyMap<number, CloseRow> = new Map<number, CloseRow>([
  // NodeLink's shutdown (`Server shutdown`), a session the server ended. Not a refusal: it comes
  // back after a restart, and a resumable Lavalink session waits whatever the code.
  [1000, { name: 'normal closure', kind: 'ended' }],
  // Lavalink's shutdown hook on every restart, and proxies going down: the node comes back.
  [1001, { name: 'going away', kind: 'ended' }],
  // Protocol errors of one connection; a new one starts clean.
  [1002, { name: 'protocol error', kind: 'ended' }],
  [1003, { name: 'unsupported data', kind: 'ended' }],
  // No status in the close frame, or no close frame at all: the link went, not the session.
  [1005, { name: 'no status', kind: 'broken' }],
  [1006, { name: 'abnormal closure', kind: 'broken' }],
  [1007, { name: 'invalid payload', kind: 'ended' }],
  // Before the node took the connection, a refusal by policy (the node or a proxy in front) that
  // the next try meets again. After it, something on the connection broke a policy: a new one may pass.
  [1008, { name: 'policy violation', kind: 'refused' }],
  // ws closes with it itself when the node sends a frame over maxFrameBytes; the next may fit.
  [1009, { name: 'message too big', kind: 'ended' }],
  [1010, { name: 'extension required', kind: 'ended' }],
  // Spring closes with it when a handler throws; a resumable Lavalink session still waits.
  [1011, { name: 'internal error', kind: 'ended' }],
  [1012, { name: 'service restart', kind: 'ended' }],
  [1013, { name: 'try again later', kind: 'ended' }],
  [1014, { name: 'bad gateway', kind: 'ended' }],
  // Lavalink before 3.3 (WSCodes.AUTHORIZATION_REJECTED), right after the open: a wrong password.
  [4000, { name: 'authorization rejected', kind: 'refused' }],
]);

/** Codes no row names (other 4xxx of other servers, 3xxx): an ended connection, tried again. */
const unknown: CloseRow = { name: 'unknown code', kind: 'ended' };

/** The row for `code`: its name and kind. */
export function closeRow(code: number): { readonly name: string; readonly kind: Kind } {
  return rows.get(code) ?? unknown;
}

/** What to do after the node's WebSocket closed with `code`. */
export function closeDecision(code: number, context: CloseContext): CloseDecision {
  const { kind } = closeRow(code);
  if (kind === 'refused' && !context.accepted) return CloseDecision.GiveUp;
  // Nothing the node sent was ours yet: no session to take back or lose.
  if (!context.accepted) return CloseDecision.Retry;
  // A node that cannot resume destroys our players as soon as the connection goes, whatever the code.
  if (!context.resumable) return CloseDecision.Failover;
  return kind === 'broken' ? CloseDecision.Resume : CloseDecision.Retry;
}
