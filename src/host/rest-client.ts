/**
 * REST calls to one node, from the host (undici's `request`: no fetch spec overhead, and a
 * dispatcher of its own that can trust a private CA). The password goes into the Authorization
 * header and nowhere else; errors become RestError (with the node's error body) or TimeoutError.
 */
import { Agent, errors as undiciErrors, request } from 'undici';
import { InvalidOptionError, LavalinkError, RestError, TimeoutError } from '../errors.js';
import type { RestCall } from '../ipc/events.js';
import { routeOf } from '../protocol/rest-routes.js';

export interface RestClientOptions {
  readonly baseUrl: string;
  readonly password: string;
  readonly timeoutMs: number;
  readonly clientName: string;
  /** Certificate authorities to trust for https (a node with a self-signed certificate). */
  readonly ca?: string | null;
  /** Told of every call that went out, when it ends (metrics, the `lavathread:rest` channel). */
  readonly observe?: (call: RestCall) => void;
}

export class RestClient {
  readonly #options: RestClientOptions;
  readonly #dispatcher: Agent;

  constructor(options: RestClientOptions) {
    this.#options = options;
    this.#dispatcher = new Agent({
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      ...(options.ca ? { connect: { ca: options.ca } } : {}),
    });
  }

  /** Sends a request; answers the parsed JSON, the text of a non-JSON answer, or null for 204. */
  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    // A body JSON cannot write is the caller's error: never sent, never retried as a network one.
    let payload: string | undefined;
    try {
      payload = body === undefined ? undefined : JSON.stringify(body);
    } catch (error) {
      throw new InvalidOptionError('body', 'JSON data', error instanceof Error ? error.message : error);
    }
    const observe = this.#options.observe;
    if (!observe) return (await this.#send(method, path, payload)).value;
    const started = performance.now();
    try {
      const { status, value } = await this.#send(method, path, payload);
      observe({ method, route: routeOf(path), status, durationMs: performance.now() - started, code: null });
      return value;
    } catch (error) {
      const status = error instanceof RestError ? error.status : 0;
      observe({ method, route: routeOf(path), status, durationMs: performance.now() - started, code: error instanceof LavalinkError ? error.code : null });
      throw error;
    }
  }

  async #send(method: string, path: string, payload: string | undefined): Promise<{ status: number; value: unknown }> {
    // A timer cleared when the call ends, not AbortSignal.timeout(): that one fires whatever
    // happens and builds a DOMException with a stack each time (a bot that makes 10,000 calls at
    // startup paid for 10,000 of them ten seconds later, in the realistic bench).
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.#options.timeoutMs);
    let status: number;
    let contentType: string | undefined;
    let text: string;
    try {
      const res = await request(`${this.#options.baseUrl}${path}`, {
        method: method as 'GET',
        dispatcher: this.#dispatcher,
        signal: timeout.signal,
        headers: {
          Authorization: this.#options.password,
          'Client-Name': this.#options.clientName,
          ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(payload !== undefined ? { body: payload } : {}),
      });
      status = res.statusCode;
      const type = res.headers['content-type'];
      contentType = Array.isArray(type) ? type[0] : type;
      text = await res.body.text();
    } catch (error) {
      if (timeout.signal.aborted || error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
        throw new TimeoutError(`${method} ${path} took longer than ${this.#options.timeoutMs} ms`);
      }
      // Only the error code: a library's own message may quote header values, the password among them.
      const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.name : 'network error');
      throw new RestError(`${method} ${path} failed: ${code}`, 0, method, path, null);
    } finally {
      clearTimeout(timer);
    }
    const parsed = parseBody(text, contentType);
    if (status < 200 || status >= 300) {
      const message = typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string' ? (parsed as { message: string }).message : `HTTP ${status}`;
      throw new RestError(`${method} ${path} answered ${status}: ${message}`, status, method, path, parsed);
    }
    return { status, value: parsed };
  }

  /** Closes the connections it keeps alive. */
  close(): Promise<void> {
    return this.#dispatcher.close();
  }
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return null;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
