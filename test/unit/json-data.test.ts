/** What a caller may hand to a node: JSON data, copied plain, or an InvalidOptionError naming where it is not. */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { ErrorCode, type InvalidOptionError } from '../../src/index.js';
import { jsonData } from '../../src/protocol/json-data.js';

function refused(value: unknown, option: RegExp): void {
  assert.throws(
    () => jsonData(value, 'filters'),
    (error: InvalidOptionError) => error.code === ErrorCode.InvalidOption && option.test(error.option),
    String(option),
  );
}

describe('jsonData', () => {
  test('JSON data comes back as an equal, plain copy', () => {
    const value = { a: 1, b: [true, null, 'x', { c: 2.5 }], d: undefined };
    const copy = jsonData(value, 'x') as Record<string, unknown>;
    assert.deepEqual(copy, { a: 1, b: [true, null, 'x', { c: 2.5 }] });
    assert.notEqual(copy, value);
    assert.notEqual(copy.b, value.b);
  });

  test('a __proto__ key stays data: no prototype is set', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const copy = jsonData(value, 'x') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.deepEqual(Object.keys(copy), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('what JSON or the structured clone cannot carry is refused, named by its path', () => {
    refused({ rotation: { rotationHz: Symbol('x') } }, /^filters\.rotation\.rotationHz$/);
    refused({ a: () => {} }, /^filters\.a$/);
    refused({ a: 10n }, /^filters\.a$/);
    refused({ a: Promise.resolve() }, /^filters\.a$/);
    refused({ a: new Date() }, /^filters\.a$/);
    refused({ a: NaN }, /^filters\.a$/);
    refused({ a: [1, undefined] }, /^filters\.a\[1\]$/);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    refused(cycle, /^filters\.self$/);
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = { deep };
    refused(deep, /^filters(\.deep)+$/);
  });

  test('a getter or Proxy that throws while read is the caller error, not a crash', () => {
    refused({ get a(): number { throw new Error('boom'); } }, /^filters$/);
    refused(new Proxy({}, { ownKeys: () => { throw new Error('boom'); } }), /^filters$/);
  });
});
