/**
 * REST calls to one node, from the host. The password goes into the Authorization header and
 * nowhere else; errors become RestError (with the node's error body) or TimeoutError.
 */
import { RestError, TimeoutError } from '../errors.js';

export interface RestClientOptions {
  readonly baseUrl: string;
  readonly password: string;
  readonly timeoutMs: number;
  readonly clientName: string;
}

export class RestClient {
  readonly #options: RestClientOptions;

  constructor(options: RestClientOptions) {
    this.#options = options;
  }

  /** Sends a request; answers the parsed JSON, the text of a non-JSON answer, or null for 204. */
  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.#options.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: this.#options.password,
          'Client-Name': this.#options.clientName,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new TimeoutError(`${method} ${path} took longer than ${this.#options.timeoutMs} ms`);
      }
      // Only the error code: fetch's own messages may quote header values, the password among them.
      const cause = error instanceof Error && error.cause instanceof Error ? ((error.cause as NodeJS.ErrnoException).code ?? error.cause.name) : 'network error';
      throw new RestError(`${method} ${path} failed: ${cause}`, 0, method, path, null);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new TimeoutError(`${method} ${path} took longer than ${this.#options.timeoutMs} ms`);
      }
      throw new RestError(`${method} ${path}: the answer broke off`, res.status, method, path, null);
    }
    const parsed = parseBody(text, res.headers.get('content-type'));
    if (!res.ok) {
      const message = typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string' ? (parsed as { message: string }).message : res.statusText;
      throw new RestError(`${method} ${path} answered ${res.status}: ${message}`, res.status, method, path, parsed);
    }
    return parsed;
  }
}

function parseBody(text: string, contentType: string | null): unknown {
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
