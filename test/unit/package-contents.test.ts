/**
 * What `npm pack` ships is what the package's own pointers need: every `exports`, `main`, `types`
 * and `bin` target, every file a source map or declaration map names in `sources`, and every map a
 * `sourceMappingURL` comment names. Reads `dist/`, which `npm test` builds first.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, test } from '../helpers/node-test.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  types: string;
  exports: unknown;
  bin: Record<string, string>;
};

/** The paths `npm pack` would put in the tarball, as npm lists them (no leading `./`). */
async function packedFiles(): Promise<Set<string>> {
  assert.ok(existsSync(join(root, 'dist/src/index.js')), 'dist/ is missing: run `npm run build` first');
  // --ignore-scripts: packing runs `prepare` (a full tsc build) otherwise.
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const [report] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  return new Set(report.files.map((file) => file.path));
}

/** Every string leaf of a conditional `exports` map. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

const clean = (path: string): string => posix.normalize(path).replace(/^\.\//, '');

describe('package contents', () => {
  let files: Set<string>;
  const packed = async (): Promise<Set<string>> => (files ??= await packedFiles());

  test('every exports, main, types and bin target is in the tarball', async () => {
    const shipped = await packed();
    const targets = [...exportTargets(pkg.exports), pkg.main, pkg.types, ...Object.values(pkg.bin)];
    assert.ok(targets.length > 8);
    const missing = targets.map(clean).filter((target) => !shipped.has(target));
    assert.deepEqual(missing, [], 'package.json points at files the tarball does not have');
  });

  test('every source a .js.map or .d.ts.map names is in the tarball', async () => {
    const shipped = await packed();
    const maps = [...shipped].filter((path) => path.endsWith('.js.map') || path.endsWith('.d.ts.map'));
    assert.ok(maps.length > 0, 'no maps in the tarball');
    const missing: string[] = [];
    for (const map of maps) {
      const { sources, sourceRoot = '' } = JSON.parse(readFileSync(join(root, map), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const target = posix.join(posix.dirname(map), sourceRoot, source);
        if (!shipped.has(target)) missing.push(`${map} → ${target}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('every sourceMappingURL of a shipped .js or .d.ts names a shipped map', async () => {
    const shipped = await packed();
    const missing: string[] = [];
    for (const path of shipped) {
      if (!path.endsWith('.js') && !path.endsWith('.d.ts')) continue;
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, path), 'utf8'))?.[1];
      if (url === undefined) continue;
      const target = posix.join(posix.dirname(path), url);
      if (!shipped.has(target)) missing.push(`${path} → ${target}`);
    }
    assert.deepEqual(missing, []);
  });
});
