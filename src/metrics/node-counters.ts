import { EventKind, type HostEvent } from '../ipc/events.js';
import { CloseDecision } from '../protocol/close-codes.js';

/** What a socket counts about its node since it was made (`socket.counters`, read by `manager.metrics()`). */
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

  /** Counts what an event from the socket's host says happened. @internal */
  record(event: HostEvent): void {
    switch (event.kind) {
      case EventKind.Close:
        if (event.decision !== CloseDecision.GiveUp) this.reconnects++;
        return;
      case EventKind.Error:
        this.lastErrorCode = event.error.code;
        return;
      case EventKind.Disconnect:
        if (event.error) this.lastErrorCode = event.error.code;
        return;
      case EventKind.Rest:
        this.restCalls++;
        if (event.code !== null) this.restErrors++;
        return;
      default:
    }
  }
}
