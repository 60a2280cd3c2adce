/**
 * The README's code is code: every ```ts block type-checks against the package's own types (the
 * built dist/, through `lavathread` and `lavathread/testing` as a bot imports them), and the event
 * table names exactly the events ManagerEvents and PlayerEvents declare. A block says what it
 * assumes with `declare` lines; each is its own module.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, test } from '../helpers/node-test.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

interface Block {
  /** README line of the block's first line of code. */
  line: number;
  code: string;
}

/** The README's ```ts blocks, with where each starts. */
function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** Event names from the table under `## Events`: `[name, emitted by]` per row. */
function eventRows(markdown: string): [name: string, by: string][] {
  const section = markdown.split(/^## Events$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map((match) => [match[1]!, match[2]!.trim()]);
}

/** A module that compiles only when the table's names are exactly the events of each emitter. */
function eventCheck(rows: [string, string][]): string {
  const names = (by: string): string => rows.filter(([, emitters]) => emitters.includes(by)).map(([name]) => `'${name}'`).join(', ');
  return [
    "import type { ManagerEvents, PlayerEvents } from 'lavathread';",
    `const manager = [${names('Manager')}] as const satisfies readonly (keyof ManagerEvents)[];`,
    `const player = [${names('Player')}] as const satisfies readonly (keyof PlayerEvents)[];`,
    'type Missing<All, Listed> = Exclude<All, Listed>;',
    '// An event the table leaves out makes these types name it.',
    'export const everyManagerEvent: [Missing<keyof ManagerEvents, (typeof manager)[number]>] extends [never] ? true : Missing<keyof ManagerEvents, (typeof manager)[number]> = true;',
    'export const everyPlayerEvent: [Missing<keyof PlayerEvents, (typeof player)[number]>] extends [never] ? true : Missing<keyof PlayerEvents, (typeof player)[number]> = true;',
  ].join('\n');
}

/** Type-checks files as examples/tsconfig.json would (strict, NodeNext); answers the messages. */
function typeCheck(files: string[]): ts.Diagnostic[] {
  const configPath = join(root, 'examples/tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, join(root, 'examples'));
  const program = ts.createProgram(files, { ...options, rootDir: root, noEmit: true });
  return [...ts.getPreEmitDiagnostics(program)];
}

describe('README', () => {
  test('every ```ts block type-checks, and the event table names every event', { timeout: 120_000 }, (t) => {
    assert.ok(existsSync(join(root, 'dist/src/index.d.ts')), 'the blocks import the built package: run `npm run build` first');
    const blocks = tsBlocks(readme);
    assert.ok(blocks.length >= 8, `expected the README's code blocks, found ${blocks.length}`);
    const rows = eventRows(readme);
    assert.ok(rows.length >= 20, `expected the event table, found ${rows.length} rows`);

    // Inside the package (dist/ is ignored by git and lint), so `lavathread` resolves to itself.
    const dir = join(root, 'dist', `readme-check-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const files = new Map<string, number>();
    for (const block of blocks) {
      const file = join(dir, `line-${block.line}.ts`);
      writeFileSync(file, `${block.code}\nexport {};\n`);
      files.set(file, block.line);
    }
    const events = join(dir, 'event-table.ts');
    writeFileSync(events, eventCheck(rows));
    files.set(events, 0);

    const problems = typeCheck([...files.keys()]).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!diagnostic.file || diagnostic.start === undefined) return message;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      const first = files.get(diagnostic.file.fileName);
      if (first === undefined) return `${diagnostic.file.fileName}:${line + 1}: ${message}`;
      return first === 0 ? `the event table: ${message}` : `README.md:${first + line}: ${message}`;
    });
    assert.deepEqual(problems, []);
  });

  test('finds blocks and rows as written', () => {
    assert.deepEqual(tsBlocks('a\n```ts\nconst x = 1;\n```\n```sh\nls\n```\n```ts\nlet y;\nlet z;\n```'), [
      { line: 3, code: 'const x = 1;' },
      { line: 9, code: 'let y;\nlet z;' },
    ]);
    assert.deepEqual(eventRows('## Events\n\n| event | by |\n|---|---|\n| `move` | Player | x |\n\n## Next\n| `no` | Manager |'), [['move', 'Player']]);
  });
});
