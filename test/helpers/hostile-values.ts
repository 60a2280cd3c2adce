/**
 * Hostile arguments for the public API, as printable specs: a spec is plain data (fast-check
 * generates, shrinks and prints it); `materialise` builds a fresh value from it for each call, so
 * a Proxy, a promise or a 20,000-deep object is never shared between runs.
 */
import { Socket, type Manager, type Player, type Track } from '../../src/index.js';

export const HOSTILE = [
  'fn',
  'symbol',
  'promise',
  'bigint',
  'cycle',
  'deep',
  'getterThrows',
  'proxyThrows',
  'toPrimitiveThrows',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '1.5',
  'unsafeInt',
  'hugeString',
  'emptyString',
  'protoKeys',
  'nonDigitGuild',
  'numberGuild',
  'boxedString',
  'array',
  'date',
  'map',
  'fakeSocket',
  'protoSocket',
  'foreignSocket',
  'destroyedPlayer',
] as const;
export type HostileKind = (typeof HOSTILE)[number];

/** What a reference points at in the run's world. */
export type RefKind = 'socket0' | 'socket1' | 'track0' | 'track1' | 'userId';

/** An argument, as data. `omit` is a trailing argument left out. */
export type Arg =
  | { readonly k: 'lit'; readonly v: string | number | boolean }
  | { readonly k: 'hostile'; readonly h: HostileKind }
  | { readonly k: 'ref'; readonly r: RefKind }
  | { readonly k: 'obj'; readonly e: readonly (readonly [string, Arg])[] }
  | { readonly k: 'arr'; readonly a: readonly Arg[] }
  | { readonly k: 'omit' };

/** What references and some hostile values are made of: one run's manager and its surroundings. */
export interface HostileWorld {
  readonly manager: Manager;
  /** This manager's sockets, as created (two nodes on the same simulator). */
  readonly sockets: readonly Socket[];
  /** A socket of another manager (never started). */
  readonly foreignSocket: Socket;
  /** A player of this manager, destroyed before the sequence. */
  readonly destroyedPlayer: Player;
  readonly tracks: readonly Track[];
  readonly userId: string;
}

export const lit = (v: string | number | boolean): Arg => ({ k: 'lit', v });
export const hostile = (h: HostileKind): Arg => ({ k: 'hostile', h });
export const ref = (r: RefKind): Arg => ({ k: 'ref', r });
export const obj = (e: readonly (readonly [string, Arg])[]): Arg => ({ k: 'obj', e });
export const arr = (a: readonly Arg[]): Arg => ({ k: 'arr', a });
export const omit: Arg = { k: 'omit' };

/** A fresh value for `arg`. */
export function materialise(arg: Arg, world: HostileWorld): unknown {
  switch (arg.k) {
    case 'lit':
      return arg.v;
    case 'hostile':
      return hostileValue(arg.h, world);
    case 'ref':
      switch (arg.r) {
        case 'socket0':
          return world.sockets[0];
        case 'socket1':
          return world.sockets[1];
        case 'track0':
          return world.tracks[0];
        case 'track1':
          return world.tracks[1]?.encoded;
        case 'userId':
          return world.userId;
      }
      return undefined;
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of arg.e) out[key] = materialise(value, world);
      return out;
    }
    case 'arr':
      return arg.a.map((item) => materialise(item, world));
    case 'omit':
      return undefined;
  }
}

/** The arguments of a call: trailing `omit`s are left out (not passed as `undefined`). */
export function materialiseArgs(args: readonly Arg[], world: HostileWorld): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1]!.k === 'omit') end--;
  return args.slice(0, end).map((arg) => materialise(arg, world));
}

const boom = (what: string): never => {
  throw new Error(`hostile ${what} was read`);
};

export function hostileValue(kind: HostileKind, world: HostileWorld): unknown {
  switch (kind) {
    case 'fn':
      return () => 1;
    case 'symbol':
      return Symbol('hostile');
    case 'promise':
      return new Promise(() => {});
    case 'bigint':
      return 10n;
    case 'cycle': {
      const cycle: Record<string, unknown> = { a: 1 };
      cycle.self = cycle;
      return cycle;
    }
    case 'deep': {
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 20_000; i++) deep = { a: deep };
      return deep;
    }
    case 'getterThrows': {
      const target = { id: '1000000000000000001', guildId: '1000000000000000001' };
      Object.defineProperty(target, 'x', { enumerable: true, get: () => boom('getter') });
      return target;
    }
    case 'proxyThrows':
      return new Proxy(
        {},
        {
          get: () => boom('proxy get'),
          has: () => boom('proxy has'),
          ownKeys: () => boom('proxy ownKeys'),
          getOwnPropertyDescriptor: () => boom('proxy getOwnPropertyDescriptor'),
          getPrototypeOf: () => boom('proxy getPrototypeOf'),
        },
      );
    case 'toPrimitiveThrows':
      return { [Symbol.toPrimitive]: () => boom('toPrimitive'), toString: () => boom('toString'), valueOf: () => boom('valueOf') };
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-1':
      return -1;
    case '1.5':
      return 1.5;
    case 'unsafeInt':
      return 2 ** 53 + 2;
    case 'hugeString':
      return 'x'.repeat(200_000);
    case 'emptyString':
      return '';
    case 'protoKeys':
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"id":"1000000000000000001"}') as unknown;
    case 'nonDigitGuild':
      return '10000000000000000a1';
    case 'numberGuild':
      return Number('1000000000000000001'); // a guild id as a number (it cannot even hold its digits)
    case 'boxedString':
      return new String('1000000000000000001');
    case 'array':
      return [1, '2', null];
    case 'date':
      return new Date(0);
    case 'map':
      return new Map([['id', '1000000000000000001']]);
    case 'fakeSocket':
      // Looks like a Socket from outside: the fields a bot would read, and a send that "works".
      return { id: 'main', host: '127.0.0.1', port: '2333', manager: world.manager, ready: true, connected: true, version: 4, penalties: 0, send: () => Promise.resolve(), toString: () => 'main' };
    case 'protoSocket':
      // instanceof Socket, but never constructed: its private fields do not exist.
      return Object.create(Socket.prototype) as unknown;
    case 'foreignSocket':
      return world.foreignSocket;
    case 'destroyedPlayer':
      return world.destroyedPlayer;
  }
}

const HOSTILE_TEXT: Record<HostileKind, string> = {
  fn: '() => 1',
  symbol: 'Symbol()',
  promise: 'new Promise(() => {})',
  bigint: '10n',
  cycle: '<cycle: o.self = o>',
  deep: '<object 20000 deep>',
  getterThrows: '<object whose getter x throws>',
  proxyThrows: '<Proxy whose every trap throws>',
  toPrimitiveThrows: '<object whose toPrimitive/toString throw>',
  null: 'null',
  undefined: 'undefined',
  NaN: 'NaN',
  Infinity: 'Infinity',
  '-Infinity': '-Infinity',
  '-1': '-1',
  '1.5': '1.5',
  unsafeInt: '2 ** 53 + 2',
  hugeString: "'x'.repeat(200000)",
  emptyString: "''",
  protoKeys: 'JSON.parse(\'{"__proto__":{...},"constructor":{...}}\')',
  nonDigitGuild: "'10000000000000000a1'",
  numberGuild: '1000000000000000001 (a number)',
  boxedString: "new String('1000000000000000001')",
  array: "[1, '2', null]",
  date: 'new Date(0)',
  map: 'new Map()',
  fakeSocket: '<object that looks like a Socket>',
  protoSocket: 'Object.create(Socket.prototype)',
  foreignSocket: '<a Socket of another Manager>',
  destroyedPlayer: '<a destroyed Player>',
};

const REF_TEXT: Record<RefKind, string> = {
  socket0: 'sockets[0]',
  socket1: 'sockets[1]',
  track0: 'track',
  track1: 'track.encoded',
  userId: 'USER_ID',
};

/** JS-like text of an argument, for counterexamples and reports. */
export function render(arg: Arg): string {
  switch (arg.k) {
    case 'lit':
      return typeof arg.v === 'string' ? `'${arg.v}'` : String(arg.v);
    case 'hostile':
      return HOSTILE_TEXT[arg.h];
    case 'ref':
      return REF_TEXT[arg.r];
    case 'obj':
      return `{ ${arg.e.map(([key, value]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`}: ${render(value)}`).join(', ')} }`;
    case 'arr':
      return `[${arg.a.map(render).join(', ')}]`;
    case 'omit':
      return '';
  }
}

export function renderArgs(args: readonly Arg[]): string {
  let end = args.length;
  while (end > 0 && args[end - 1]!.k === 'omit') end--;
  return args.slice(0, end).map(render).join(', ');
}
