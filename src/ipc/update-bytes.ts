/**
 * Plain playerUpdates read straight from a frame's bytes. Most of what a node sends is this one
 * small shape; for it, decoding the bytes to a string, `JSON.parse`, the depth check and reading
 * the object back cost the worker 2.1–2.2 µs a frame in a microbenchmark here, this 1.3–1.5 µs
 * (JavaScript reading bytes one by one is no match for the native parser; skipping the string, the
 * objects and the depth check is the saving), and it leaves no garbage but the guild id. Anything it is not sure of (another op, another key, an escape, a
 * byte past ASCII, a duplicate key, a number JSON would not write) it leaves to the full path
 * (protocol/frames.ts then updates.ts `appendUpdate`), which is the definition it must agree with:
 * a unit test holds the two together on generated frames.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const BACKSLASH = 0x5c;

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** Top-level keys, then the state's, each with its bit in the `seen` masks. */
const OP = ascii('op');
const GUILD_ID = ascii('guildId');
const STATE = ascii('state');
const TIME = ascii('time');
const POSITION = ascii('position');
const CONNECTED = ascii('connected');
const PING = ascii('ping');
const PLAYER_UPDATE = ascii('playerUpdate');
const TRUE = ascii('true');
const FALSE = ascii('false');

/** Where the reader is in the bytes; -1 once it gave up. Module state: the reader never yields. */
let at = 0;
let bytes: Buffer = Buffer.alloc(0);
/** The last string read: its bounds in `bytes`. */
let start = 0;
let end = 0;

/**
 * Appends the update's FIELDS values (ipc/updates.ts) to `values` (time, position, connected as 1/0, ping;
 * NaN for an absent optional field) and
 * answers its guild id; or answers null, appending nothing, when `frame` is not surely a plain
 * playerUpdate.
 */
export function readUpdateBytes(frame: Buffer, values: number[]): string | null {
  bytes = frame;
  at = 0;
  let guildId: string | null = null;
  let op = false;
  let state = false;
  let time = NaN;
  let position = NaN;
  let connected = NaN;
  let ping = NaN;
  let seen = 0;
  if (!expect(OPEN)) return null;
  do {
    if (!string()) return null;
    if (!expect(COLON)) return null;
    if (is(OP) && !(seen & 1)) {
      seen |= 1;
      op = string() && is(PLAYER_UPDATE);
      if (!op) return null;
    } else if (is(GUILD_ID) && !(seen & 2)) {
      seen |= 2;
      if (!string()) return null;
      guildId = frame.toString('latin1', start, end);
    } else if (is(STATE) && !(seen & 4)) {
      seen |= 4;
      if (!expect(OPEN)) return null;
      let fields = 0;
      do {
        if (!string()) return null;
        if (!expect(COLON)) return null;
        if (is(TIME) && !(fields & 1)) {
          fields |= 1;
          time = number();
        } else if (is(POSITION) && !(fields & 2)) {
          fields |= 2;
          position = number();
        } else if (is(CONNECTED) && !(fields & 4)) {
          fields |= 4;
          connected = boolean();
        } else if (is(PING) && !(fields & 8)) {
          fields |= 8;
          ping = number();
        } else {
          return null;
        }
        if (at < 0) return null;
      } while (expect(COMMA));
      state = (fields & 1) !== 0 && expect(CLOSE);
      if (!state) return null;
    } else {
      return null;
    }
  } while (expect(COMMA));
  if (!expect(CLOSE) || !op || !state || guildId === null) return null;
  space();
  // JSON has no Infinity: a number too big for a double is one the full path refuses too.
  if (at !== bytes.length || !Number.isFinite(time) || Math.abs(position) === Infinity || Math.abs(ping) === Infinity) return null;
  values.push(time, position, connected, ping);
  return guildId;
}

/** Skips JSON whitespace. */
function space(): void {
  for (let c = bytes[at]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = bytes[++at]);
}

/** Takes `char` (after whitespace) if it is next. */
function expect(char: number): boolean {
  space();
  if (bytes[at] !== char) return false;
  at++;
  return true;
}

/** Reads a string of plain ASCII (no escapes) into start/end. */
function string(): boolean {
  if (!expect(QUOTE)) return false;
  start = at;
  for (let c = bytes[at]; c !== QUOTE; c = bytes[++at]) {
    if (c === undefined || c === BACKSLASH || c < 0x20 || c >= 0x80) return false;
  }
  end = at++;
  return true;
}

/** Whether the last string read is `key`. */
function is(key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (bytes[start + i] !== key[i]) return false;
  return true;
}

/** Reads a number as JSON writes it; NaN (and at = -1) for anything else. */
function number(): number {
  space();
  const from = at;
  let whole = true;
  if (bytes[at] === MINUS) at++;
  if (bytes[at] === ZERO) at++;
  else if (!digits()) return fail();
  if (bytes[at] === DOT) {
    whole = false;
    at++;
    if (!digits()) return fail();
  }
  if ((bytes[at]! | 0x20) === 0x65) {
    whole = false;
    at++;
    if (bytes[at] === PLUS || bytes[at] === MINUS) at++;
    if (!digits()) return fail();
  }
  // Up to 15 digits a whole number is exact as summed; anything else goes through Number().
  if (whole && at - from <= 15) {
    let value = 0;
    for (let i = bytes[from] === MINUS ? from + 1 : from; i < at; i++) value = value * 10 + bytes[i]! - ZERO;
    return bytes[from] === MINUS ? -value : value;
  }
  return Number(bytes.toString('latin1', from, at));
}

function digits(): boolean {
  const from = at;
  for (let c = bytes[at]; c !== undefined && c >= ZERO && c <= NINE; c = bytes[++at]);
  return at > from;
}

/** Reads true (1) or false (0); NaN (and at = -1) for anything else. */
function boolean(): number {
  space();
  if (word(TRUE)) return 1;
  if (word(FALSE)) return 0;
  return fail();
}

function word(expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  at += expected.length;
  return true;
}

function fail(): number {
  at = -1;
  return NaN;
}
