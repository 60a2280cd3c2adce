/** What a socket counts about its node since it was made (read by `manager.metrics()`). */
export class NodeCounters {
  /** Connections lost that a reconnect followed (the close's decision was not to give up). */
  reconnects = 0;
  /** Players moved off this node by failover (not by the bot's own `moveTo`). */
  failovers = 0;
  /** REST calls that ended, and those of them that failed. */
  restCalls = 0;
  restErrors = 0;
  /** The code of the last error the socket reported (`socketError`), or null. */
  lastErrorCode: string | null = null;
}
