/** What a socket counts about its node since it was made (read by `manager.metrics()`). */
export class NodeCounters {
  /** Connections lost that a reconnect followed (the close's decision was not to give up). */
  reconnects = 0;
  /** Players moved off this node by failover (not by the bot's own `moveTo`). */
  failovers = 0;
  /** REST calls to the node that ended (answered, failed or timed out). */
  restCalls = 0;
  /** REST calls that failed: an error status, no answer, or a timeout. */
  restErrors = 0;
  /** The code of the last error the socket reported (`socketError`), or null. */
  lastErrorCode: string | null = null;
}
