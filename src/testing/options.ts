/** Options of {@link LavalinkSimulator}, with their defaults and validation. */
import { InvalidOptionError } from '../errors.js';
import type { CatalogueEntry } from './catalogue.js';
import type { HeartbeatOptions } from './heartbeat.js';
import { filterNames } from './player-patch.js';
import { resolvePlugins, type SimulatorPlugin } from './plugins.js';
import { resolveQuirks, type Flavour, type Quirks } from './quirks.js';
import { defaultRelease, releases, type ReleaseName } from './release.js';

/**
 * Options of a {@link LavalinkSimulator}; all optional.
 *
 * @example
 * ```ts
 * const sim = new LavalinkSimulator({ protocol: 4, release: '4.2', playerUpdateIntervalMs: 100, plugins: ['sponsorblock'] });
 * ```
 */
export interface SimulatorOptions {
  /**
   * Which protocol this instance speaks.
   * @default 4
   * @example { protocol: 3 }
   */
  protocol?: 3 | 4;
  /**
   * The Lavalink release to imitate: `'4.2'` or `'4.0'` (no `voice.channelId` rule) for protocol 4,
   * `'3.7'` or `'3.3'` (`Num-Shards` required, no `ready`, `equalizer` only) for protocol 3.
   * @default '4.2' for protocol 4, '3.7' for protocol 3
   */
  release?: ReleaseName;
  /**
   * Which server to imitate: `'lavalink'`, or `'nodelink'` (NodeLink 2.3, protocol 4 only), which
   * turns on every switch of {@link quirks}. Switches given in `quirks` override the flavour's.
   * @default 'lavalink'
   * @example { flavour: 'nodelink' }
   * @example { flavour: 'nodelink', quirks: { pauseNeedsVoice: false } }
   */
  flavour?: Flavour;
  /**
   * Behaviours of Lavalink-compatible servers that are not Lavalink, one switch each (see
   * {@link Quirks}); protocol 4 only. Left out, a switch is what the flavour says.
   * @default {} (the flavour's switches)
   * @example { quirks: { noResuming: true, updatesOnIntervalOnly: true } }
   */
  quirks?: Partial<Quirks>;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** @default 'youshallnotpass' */
  password?: string;
  /**
   * Milliseconds between `stats` frames (Lavalink: 60 s).
   * @default 60000
   */
  statsIntervalMs?: number;
  /**
   * Milliseconds between periodic `playerUpdate`s of a playing player (Lavalink: 5 s).
   * @default 5000
   * @example { playerUpdateIntervalMs: 50 }
   */
  playerUpdateIntervalMs?: number;
  /** Filters disabled in the "server config": a PATCH using one answers 400. @default [] */
  disabledFilters?: readonly string[];
  /** Serve a route planner (else status is 204 on v4, `{class: null}` on v3). @default false */
  routePlanner?: boolean;
  /** Extra tracks for the catalogue. @default [] */
  tracks?: readonly CatalogueEntry[];
  /** Ping clients and drop the ones that miss a pong. @default null (off) */
  heartbeat?: HeartbeatOptions | null;
  /** Keep every REST request and socket frame for inspection; turn off for long benchmarks. @default true */
  record?: boolean;
  /** Serve the control API under `/_simulator/` (for a simulator in its own process). @default false */
  control?: boolean;
  /** Serve https and wss with this key and certificate (PEM), for tests of `secure: true`. @default null */
  tls?: {
    /** The private key, PEM. */
    key: string;
    /** The certificate, PEM. */
    cert: string;
  } | null;
  /**
   * Lavalink plugins the node serves, with their routes, events and `/v4/info` entries (protocol 4
   * only): `'lavasrc'` (Spotify, Apple Music and Deezer searches and albums), `'lavasearch'`
   * (`/v4/loadsearch`), `'sponsorblock'` (categories, segments and chapters of YouTube tracks),
   * `'lavalyrics'` (lyrics, and live lyrics events).
   * @default []
   * @example { plugins: ['lavasrc', 'lavasearch'] }
   */
  plugins?: readonly SimulatorPlugin[];
}

export interface ResolvedOptions {
  readonly release: ReleaseName;
  readonly flavour: Flavour;
  /** Every switch, the flavour's with the overrides applied. */
  readonly quirks: Readonly<Quirks>;
  readonly host: string;
  readonly port: number;
  readonly password: string;
  readonly statsIntervalMs: number;
  readonly playerUpdateIntervalMs: number;
  readonly disabledFilters: ReadonlySet<string>;
  readonly routePlanner: boolean;
  readonly tracks: readonly CatalogueEntry[];
  readonly heartbeat: HeartbeatOptions | null;
  readonly record: boolean;
  readonly control: boolean;
  readonly tls: { readonly key: string; readonly cert: string } | null;
  readonly plugins: readonly SimulatorPlugin[];
}

function interval(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 2 ** 31 - 1) {
    throw new InvalidOptionError(name, 'a number of milliseconds from 1 to 2147483647', value);
  }
  return value;
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const protocol = options.protocol ?? 4;
  if (protocol !== 3 && protocol !== 4) throw new InvalidOptionError('protocol', '3 or 4', protocol);
  const release = options.release ?? defaultRelease[protocol];
  if (!Object.hasOwn(releases, release) || releases[release].protocol !== protocol) {
    const names = Object.values(releases).filter((r) => r.protocol === protocol).map((r) => `'${r.name}'`);
    throw new InvalidOptionError('release', `one of ${names.join(', ')} for protocol ${protocol}`, release);
  }
  const flavour = options.flavour ?? 'lavalink';
  const quirks = resolveQuirks(flavour, options.quirks ?? {}, protocol);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidOptionError('port', 'an integer from 0 to 65535', port);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new InvalidOptionError('host', 'a non-empty string', host);
  const password = options.password ?? 'youshallnotpass';
  if (typeof password !== 'string') throw new InvalidOptionError('password', 'a string', password);
  const disabled = options.disabledFilters ?? [];
  if (!Array.isArray(disabled) || !disabled.every((f: unknown) => (filterNames as readonly unknown[]).includes(f))) {
    throw new InvalidOptionError('disabledFilters', `an array of filter names (${filterNames.join(', ')})`, disabled);
  }
  const heartbeat = options.heartbeat ?? null;
  if (heartbeat !== null) {
    interval('heartbeat.intervalMs', heartbeat.intervalMs, 0);
    interval('heartbeat.timeoutMs', heartbeat.timeoutMs, 0);
  }
  return {
    release,
    flavour,
    quirks,
    host,
    port,
    password,
    statsIntervalMs: interval('statsIntervalMs', options.statsIntervalMs, 60_000),
    playerUpdateIntervalMs: interval('playerUpdateIntervalMs', options.playerUpdateIntervalMs, 5_000),
    disabledFilters: new Set(disabled),
    routePlanner: options.routePlanner ?? false,
    tracks: options.tracks ?? [],
    heartbeat,
    record: options.record ?? true,
    control: options.control ?? false,
    tls: options.tls ?? null,
    plugins: resolvePlugins(options.plugins, protocol),
  };
}
