/**
 * Hostile sequences of public calls (fast-check, model-free): 1 to 40 calls on the manager, its
 * sockets and its players, with plausible and hostile arguments (functions, symbols, promises,
 * BigInt, cycles, 20,000-deep objects, throwing getters and Proxies, NaN, huge strings, fake and
 * foreign sockets, destroyed players...), against live v4 and v3 simulators, through both
 * transports. Every call answers or fails with a LavalinkError, within a bound; nothing is left
 * pending once the manager is closed; a refused call changes nothing. See helpers/hostile-calls.ts.
 *
 * Knobs (environment):
 * - HOSTILE_RUNS: sequences per transport and protocol (default: 20 inline, 8 worker: a worker
 *   transport costs a thread start per sequence);
 * - HOSTILE_SEED: replay a seed (printed on failure and as a diagnostic);
 * - HOSTILE_PATH: with HOSTILE_SEED and --test-name-pattern, replay one counterexample (the
 *   `path` fast-check prints) without searching again;
 * - HOSTILE_BOUND_MS: how long a call may take to settle (default 15000);
 * - HOSTILE_SHRINK_MS: time given to shrinking a failure (default 20000);
 * - HOSTILE_SURVEY=1: never fail; run every sequence to its end and list each kind of broken rule
 *   found (a failing run stops at its first broken rule, so that shrinking keeps to it).
 */
import { describe, test } from '../helpers/node-test.js';
import fc from 'fast-check';
import { protocols, transports } from '../helpers/manager.js';
import { formatReport, loadTracks, runSequence, sequenceArb, type Violation } from '../helpers/hostile-calls.js';
import { startSimulator } from '../helpers/simulator.js';

const envNumber = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${raw}`);
  return value;
};

const RUNS = envNumber('HOSTILE_RUNS');
const SEED = envNumber('HOSTILE_SEED') ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
const CALL_BOUND_MS = envNumber('HOSTILE_BOUND_MS') ?? 15_000;
const SHRINK_MS = envNumber('HOSTILE_SHRINK_MS') ?? 20_000;
const SURVEY = process.env.HOSTILE_SURVEY === '1';
const PATH = process.env.HOSTILE_PATH;
/** Once close() resolved, what earlier promises get to show they settled (chained handlers). */
const GRACE_MS = 1000;

describe('hostile calls: fuzzed sequences of public calls', () => {
  for (const [i, transport] of transports.entries()) {
    for (const [j, protocol] of protocols.entries()) {
      // Each property explores its own sequences; HOSTILE_SEED replays all four.
      const seed = (SEED + 7919 * (i * protocols.length + j)) | 0;
      // A long run (HOSTILE_RUNS) gets time in proportion; the default fits the usual limit.
      const timeout = RUNS === undefined ? undefined : Math.max(60_000, RUNS * 2_000);
      test(`${transport} transport, v${protocol}: every call settles with a value or a LavalinkError, changes nothing when refused, and nothing outlives close()`, timeout === undefined ? {} : { timeout }, async (t) => {
        // v4 nodes serve the plugins, so their calls get past the plugin check; v3 refuses them.
        const sim = await startSimulator(t, { protocol, record: false, ...(protocol === 4 ? { plugins: ['lavasrc', 'lavasearch', 'sponsorblock', 'lavalyrics'] as const } : {}) });
        const tracks = await loadTracks(sim);
        const numRuns = RUNS ?? (transport === 'inline' ? 20 : 8);
        t.diagnostic(`seed ${seed}, ${numRuns} sequences (HOSTILE_SEED=${SEED} HOSTILE_RUNS=${numRuns} to replay)`);
        const found = new Map<string, { count: number; example: Violation }>();
        let shrinkingSince: number | null = null;
        /** The rule the first failure broke: shrinking keeps to it instead of sliding to another bug. */
        let target: string | null = null;
        try {
          await fc.assert(
            fc.asyncProperty(sequenceArb(40), async (calls) => {
              // Shrinking a failure that waits out the bound costs that bound per try: stop in time.
              if (shrinkingSince !== null && Date.now() - shrinkingSince > SHRINK_MS) return true;
              const report = await runSequence(calls, { transport, sim, tracks, callBoundMs: CALL_BOUND_MS, graceMs: GRACE_MS, stopAtFirst: !SURVEY });
              for (const violation of report.violations) {
                const seen = found.get(violation.kind);
                if (seen) seen.count++;
                else found.set(violation.kind, { count: 1, example: violation });
              }
              if (report.violations.length === 0 || SURVEY) return true;
              if (target !== null && !report.violations.some((v) => v.kind === target)) return true;
              target ??= report.violations[0]!.kind;
              shrinkingSince ??= Date.now();
              throw new Error(`${target}\n${formatReport(report)}`);
            }),
            { numRuns, seed, ...(PATH ? { path: PATH } : {}) },
          );
        } finally {
          for (const [kind, { count, example }] of found) t.diagnostic(`broken ${count}x: ${kind}\n    e.g. ${example.detail}`);
        }
      });
    }
  }
});
