/** Reading what clients send: request bodies with a size limit, and JSON with a depth limit. */
import type { IncomingMessage } from 'node:http';

const MAX_BODY = 16 * 1024 * 1024;
/**
 * The deepest JSON nesting read from a client. Deeper JSON parses, but whatever stringifies it
 * later (a reply, an event from a timer) overflows the stack and takes the process down.
 */
const MAX_JSON_DEPTH = 1000;

/** Parsed JSON, or null when the text is not JSON or nests deeper than {@link MAX_JSON_DEPTH}. */
export function parseJson(text: string): { readonly value: unknown } | null {
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) return null;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return null;
  }
}

/** Whether JSON text nests arrays and objects deeper than `max`: a scan, so no recursion to overflow. */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, `\"` included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** The body as text; null when it is over the limit. */
export async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
