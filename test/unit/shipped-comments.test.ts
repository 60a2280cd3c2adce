/**
 * The comments in src/ and workers/ ship (in the .js, the .d.ts and the sources themselves), so
 * none may send a reader to a file the package does not carry: no private design notes, no
 * protocol-notes sections, and no relative link to a file outside the tarball.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from '../helpers/node-test.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { files: packageFiles } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const shippedSources = [...sources('src'), ...sources('workers')];

/** Whether package.json `files` takes this repository path: a folder, a `folder/*.ext` glob, or the file itself. */
function packaged(path: string): boolean {
  return packageFiles.some((entry) => {
    if (entry.includes('*')) {
      const [folder, suffix] = entry.split('*') as [string, string];
      return path.startsWith(folder) && !path.slice(folder.length).includes('/') && path.endsWith(suffix);
    }
    return path === entry || path.startsWith(`${entry}/`);
  });
}

/** Relative targets of markdown links and `{@link ./x}` tags, as written. */
function relativeLinks(text: string): string[] {
  const markdown = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
  const tags = [...text.matchAll(/\{@link(?:code|plain)?\s+(\.{1,2}\/[^\s|}]+)/g)].map((match) => match[1]!);
  return [...markdown, ...tags].filter((target) => !/^[a-z][a-z+.-]*:/i.test(target) && !target.startsWith('#'));
}

/** A file name with a documentation extension (README.md, notes.txt), named anywhere in the text. */
const docFile = /[\w./-]+\.(?:md|markdown|txt|rst)\b/g;

describe('shipped comments', () => {
  test('finds the sources it checks', () => {
    assert.ok(shippedSources.includes('src/index.ts') && shippedSources.includes('workers/socket-worker.ts'));
  });

  test('no file under src/ or workers/ cites DESIGN.md or a spec section', () => {
    const found = shippedSources.flatMap((path) =>
      readFileSync(join(root, path), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/DESIGN\.md|spec\s*§|\bspec\/[\w-]+\.md/i.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(found, []);
  });

  test('every document named in src/ or workers/ is one the package ships', () => {
    const found = shippedSources.flatMap((path) =>
      [...readFileSync(join(root, path), 'utf8').matchAll(docFile)]
        .map((match) => match[0])
        .filter((name) => !packaged(name.replace(/^(\.\.?\/)+/, '')) || !existsSync(join(root, name.replace(/^(\.\.?\/)+/, ''))))
        .map((name) => `${path}: ${name}`),
    );
    assert.deepEqual(found, []);
  });

  test('every relative link in a comment resolves, from where the file ships, to a file the package ships', () => {
    const broken: string[] = [];
    for (const path of shippedSources) {
      for (const target of relativeLinks(readFileSync(join(root, path), 'utf8'))) {
        const file = target.split('#')[0]!;
        // The comment ships twice: in the source (src/x.ts) and in dist/src/x.{js,d.ts}. It must hold from both.
        for (const from of [posix.dirname(path), posix.join('dist', posix.dirname(path))]) {
          const resolved = posix.normalize(posix.join(from, file));
          const onDisk = existsSync(join(root, resolved)) || resolved.startsWith('dist/');
          if (resolved.startsWith('..') || !packaged(resolved) || !onDisk) broken.push(`${path}: ${target} (from ${from}: ${resolved})`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  test('the link check catches a link to a file outside the package', () => {
    assert.deepEqual(relativeLinks('/** See [the design](../DESIGN.md) and {@link ./other.ts} and [docs](https://x.dev). */'), ['../DESIGN.md', './other.ts']);
    assert.equal(packaged('src/index.ts'), true);
    assert.equal(packaged('docs/bundlers.md'), true);
    assert.equal(packaged('docs/api/index.html'), false);
    assert.equal(packaged('ARCHITECTURE.md'), false);
  });
});
