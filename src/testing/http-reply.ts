/** Replies the simulator's REST routes return, and the Spring-style error body (spec §4.2). */
import { STATUS_CODES } from 'node:http';

export type Reply =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly text: string; readonly contentType?: string }
  | { readonly status: 204 };

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

/** `{timestamp, status, error, message, path}` (+ `trace` when asked with `?trace=true`). */
export function errorBody(status: number, message: string, path: string, trace: boolean): Record<string, unknown> {
  return {
    timestamp: Date.now(),
    status,
    error: STATUS_CODES[status] ?? 'Unknown',
    ...(trace ? { trace: `org.springframework.web.server.ResponseStatusException: ${status} ${message}\n\tat lavathread.simulator(Simulated)` } : {}),
    message,
    path,
  };
}
