/** Replies the simulator's REST routes return, the Spring-style error body (Lavalink v4 REST API: Error Responses), and how both are written. */
import { STATUS_CODES, type ServerResponse } from 'node:http';

/** `apiVersionHeader: false` leaves out `Lavalink-Api-Version`, as NodeLink's `/version` does. */
export type Reply = (
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly text: string; readonly contentType?: string }
  | { readonly status: 204 }
) & { readonly apiVersionHeader?: false };

/** Thrown by a route to answer with Lavalink's error body. */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const json = (body: unknown, status = 200): Reply => ({ status, json: body });
export const noContent: Reply = { status: 204 };

/**
 * `{timestamp, status, error, message, path}` (+ `trace` when asked with `?trace=true`); with
 * `traceOnly` (the `traceOnlyErrors` quirk) `{timestamp, status, trace, message, path}`, always.
 */
export function errorBody(status: number, message: string, path: string, trace: boolean, traceOnly = false): Record<string, unknown> {
  const stack = `org.springframework.web.server.ResponseStatusException: ${status} ${message}\n\tat lavathread.simulator(Simulated)`;
  if (traceOnly) return { timestamp: Date.now(), status, trace: stack, message, path };
  return {
    timestamp: Date.now(),
    status,
    error: STATUS_CODES[status] ?? 'Unknown',
    ...(trace ? { trace: stack } : {}),
    message,
    path,
  };
}

export function writeReply(res: ServerResponse, reply: Reply, protocol: 3 | 4): void {
  if (res.destroyed) return;
  if (reply.apiVersionHeader !== false) res.setHeader('Lavalink-Api-Version', String(protocol));
  if ('json' in reply) {
    const text = JSON.stringify(reply.json);
    res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  } else if ('text' in reply) {
    const headers = reply.text === '' ? { 'Content-Length': 0 } : { 'Content-Type': reply.contentType ?? 'text/plain', 'Content-Length': Buffer.byteLength(reply.text) };
    res.writeHead(reply.status, headers);
    res.end(reply.text);
  } else {
    res.writeHead(reply.status);
    res.end();
  }
}
