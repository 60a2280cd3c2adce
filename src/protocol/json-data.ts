/**
 * What a node can be sent is JSON, and what crosses to a worker must be copied by the structured
 * clone: this checks a caller's value against both at the public boundary, before any state
 * changes, and returns a plain copy of it. A getter or Proxy that throws, a function, a symbol, a
 * BigInt, a Promise, a class instance, NaN, a cycle or a very deep object is the caller's error
 * (InvalidOptionError naming where it sits), never a dead worker or a REST call retried for seconds.
 */
import { InvalidOptionError } from '../errors.js';

/** Deeper than any Lavalink payload; far below what the structured clone and JSON can take. */
const MAX_DEPTH = 32;

export function jsonData(value: unknown, name: string): unknown {
  try {
    return copy(value, name, 0, new Set());
  } catch (error) {
    if (error instanceof InvalidOptionError) throw error;
    throw new InvalidOptionError(name, 'readable data (reading it threw)', error instanceof Error ? error.message : error);
  }
}

function copy(value: unknown, path: string, depth: number, open: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidOptionError(path, 'a finite number', value);
      return value;
    case 'object':
      break;
    default:
      throw new InvalidOptionError(path, 'JSON data (no functions, symbols or BigInts)', value);
  }
  if (value === null) return null;
  if (open.has(value)) throw new InvalidOptionError(path, 'JSON data without cycles', '[circular]');
  if (depth >= MAX_DEPTH) throw new InvalidOptionError(path, `JSON data nested at most ${MAX_DEPTH} deep`, '[deeper]');
  open.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item: unknown, i) => {
        if (item === undefined) throw new InvalidOptionError(`${path}[${i}]`, 'JSON data (no holes or undefined in arrays)', item);
        return copy(item, `${path}[${i}]`, depth + 1, open);
      });
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new InvalidOptionError(path, 'a plain object', Object.prototype.toString.call(value));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = copy((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, open);
      // Defined, not assigned: a `__proto__` key stays data and never becomes a prototype.
      if (item !== undefined) Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    }
    return out;
  } finally {
    open.delete(value);
  }
}
