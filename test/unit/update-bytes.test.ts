/**
 * The byte reader of plain playerUpdates (ipc/update-bytes.ts) against its definition, the full
 * path (protocol/frames.ts parseFrame, then ipc/updates.ts appendUpdate): on every frame, either
 * it answers exactly what the full path answers, or it declines and the full path decides.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from '../helpers/node-test.js';
import { readUpdateBytes } from '../../src/ipc/update-bytes.js';
import { appendUpdate } from '../../src/ipc/updates.js';
import { parseFrame } from '../../src/protocol/frames.js';

/** What the full path makes of `text`: the guild id and values, or null (not a plain update). */
function fullPath(text: string): { guildId: string; values: number[] } | null {
  const frame = parseFrame(text);
  if (frame instanceof Error) return null;
  const values: number[] = [];
  const guildId = appendUpdate(frame, values);
  return guildId === null ? null : { guildId, values };
}

function byteReader(text: string): { guildId: string; values: number[] } | null {
  const values: number[] = [];
  const guildId = readUpdateBytes(Buffer.from(text, 'utf8'), values);
  if (guildId === null) assert.deepEqual(values, [], 'nothing appended when it declines');
  return guildId === null ? null : { guildId, values };
}

const space = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n  ');
/** Mostly `arb`, now and then one of `odd`. */
const mostly = <T>(arb: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ arbitrary: arb, weight: 12 }, { arbitrary: odd, weight: 1 });
/** Now and then `arb`, mostly nothing. */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ arbitrary: fc.constant(null), weight: 12 }, { arbitrary: arb, weight: 1 });
const numberText = mostly(
  fc.oneof(fc.integer({ min: -1e6, max: 2e12 }).map(String), fc.double({ noNaN: true }).map((n) => JSON.stringify(n))),
  fc.constantFrom('0', '-0', '1e3', '1E+2', '2.5e-3', '00', '01', '1.', '.5', '-', '1e', '+1', '1e400', '-1e400', 'NaN', 'Infinity', '0x10', '12345678901234567890', '9007199254740993', 'null', '"5"', 'true'),
);
const boolText = mostly(fc.constantFrom('true', 'false'), fc.constantFrom('null', '1', '"true"', 'tru', 'falsey'));
const guildText = mostly(
  fc.bigInt({ min: 0n, max: 2n ** 64n }).map((n) => `"${n}"`),
  fc.constantFrom('""', '"g\\u0031"', '"\\""', '"é"', '"😀"', '"a\u0001"', '123', 'null', '"\\n"'),
);
const opText = mostly(fc.constant('"playerUpdate"'), fc.constantFrom('"stats"', '"playerupdate"', '"player\\u0055pdate"', '1'));

/** A frame of the update's shape, with its parts shuffled, dropped, doubled and broken at random. */
const frameText = fc
  .record({
    time: mostly(numberText, fc.constant(null)),
    position: fc.option(numberText),
    connected: fc.option(boolText),
    ping: fc.option(numberText),
    extraState: rarely(fc.constantFrom('"filters":{}', '"time":1', '"x":1')),
    op: mostly(opText, fc.constant(null)),
    guildId: mostly(guildText, fc.constant(null)),
    stateOpen: mostly(fc.constant('{'), fc.constantFrom('[', '"')),
    extraTop: rarely(fc.constantFrom('"op":"playerUpdate"', '"guildId":"1"', '"other":[1,{"a":2}]')),
    order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
    ws: fc.array(space, { minLength: 12, maxLength: 12 }),
    tail: mostly(fc.constantFrom('', ' '), fc.constantFrom('x', '}', ',')),
  })
  .map((r) => {
    const w = (i: number): string => r.ws[i % r.ws.length]!;
    const shuffle = <T>(items: T[]): T[] => items.map((item, i) => [r.order[i % 8]!, item] as const).sort((a, b) => a[0] - b[0]).map(([, item]) => item);
    const stateFields = shuffle(
      [r.time && `"time"${w(0)}:${w(1)}${r.time}`, r.position && `"position":${w(2)}${r.position}`, r.connected && `"connected":${r.connected}`, r.ping && `"ping"${w(3)}:${r.ping}`, r.extraState].filter((x): x is string => !!x),
    );
    const close = r.stateOpen === '{' ? '}' : r.stateOpen === '[' ? ']' : '"';
    const state = `"state":${w(4)}${r.stateOpen}${w(5)}${stateFields.join(`${w(6)},${w(7)}`)}${w(8)}${close}`;
    const top = shuffle([r.op && `"op":${r.op}`, r.guildId && `"guildId":${w(9)}${r.guildId}`, state, r.extraTop].filter((x): x is string => !!x));
    return `${w(10)}{${top.join(',')}}${w(11)}${r.tail}`;
  });

describe('playerUpdates read from bytes', () => {
  test('agree with the full path on every frame they take, and decline what they are not sure of', () => {
    let taken = 0;
    let runs = 0;
    fc.assert(
      fc.property(frameText, (text) => {
        runs++;
        const fast = byteReader(text);
        if (fast === null) return;
        taken++;
        assert.deepEqual(fast, fullPath(text), text);
        assert.ok(Object.is(fast.values[1], fullPath(text)!.values[1]), `-0 stays -0: ${text}`);
      }),
      { numRuns: 20_000 },
    );
    // The generator must exercise both sides: plenty taken, plenty declined.
    assert.ok(taken > runs / 20, `taken ${taken} of ${runs}`);
    assert.ok(taken < runs / 2, `taken ${taken} of ${runs}`);
  });

  test('takes what real servers send, in their key orders', () => {
    const guild = '900000000000000000';
    for (const text of [
      `{"op":"playerUpdate","guildId":"${guild}","state":{"time":1700000000000,"position":1234,"connected":true,"ping":20}}`,
      `{"op":"playerUpdate","state":{"time":1700000000000,"position":0,"connected":false,"ping":-1},"guildId":"${guild}"}`,
      `{"guildId":"${guild}","op":"playerUpdate","state":{"time":1700000000000,"position":1234}}`,
      `{"op":"playerUpdate","guildId":"${guild}","state":{"time":1700000000000}}`,
      `{ "op": "playerUpdate", "guildId": "${guild}", "state": { "time": 1700000000000, "position": 12.5, "connected": true, "ping": 3 } }\n`,
    ]) {
      const fast = byteReader(text);
      assert.notEqual(fast, null, text);
      assert.deepEqual(fast, fullPath(text), text);
      assert.equal(fast!.guildId, guild);
    }
  });

  test('declines everything else: other ops, extra fields, escapes, non-ASCII, duplicates, broken JSON', () => {
    for (const text of [
      '{"op":"stats","players":1}',
      '{"op":"playerUpdate","guildId":"1","state":{"time":1,"filters":{}}}',
      '{"op":"playerUpdate","guildId":"1","state":{"time":1},"extra":true}',
      '{"op":"playerUpdate","guildId":"\\u0031","state":{"time":1}}',
      '{"op":"playerUpdate","guildId":"é","state":{"time":1}}',
      '{"op":"playerUpdate","op":"playerUpdate","guildId":"1","state":{"time":1}}',
      '{"op":"playerUpdate","guildId":"1","state":{"time":1,"time":2}}',
      '{"op":"playerUpdate","guildId":"1","state":{"position":1}}',
      '{"op":"playerUpdate","guildId":"1","state":{"time":1e400}}',
      '{"op":"playerUpdate","guildId":"1","state":{"time":1}',
      '{"op":"playerUpdate","guildId":"1","state":{"time":1}}}',
      '',
    ]) {
      assert.equal(byteReader(text), null, text);
    }
  });
});
