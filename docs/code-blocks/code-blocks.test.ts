import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CodeBlock, extractCodeBlocks } from './extract-code-blocks.js';
import type { BlockRun } from './run-blocks.js';

const docs = dirname(dirname(fileURLToPath(import.meta.url)));
const repository = dirname(docs);
const folder = join(docs, 'code-blocks', '.generated');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

function markdownFiles(): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'api' || entry.name.startsWith('.'))
        continue;
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.md')) files.push(child);
    }
  };
  walk(docs);
  for (const group of ['packages', 'examples']) {
    for (const name of readdirSync(join(repository, group))) {
      const readme = join(repository, group, name, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  files.push(join(repository, 'README.md'));
  return files;
}

/** Where a block is in the docs, as `file:line`. */
const place = (block: CodeBlock) => `${relative(repository, block.file)}:${block.line}`;

// Every block becomes a module of its own (a `continued` block after the blocks it continues),
// in a folder under docs/ so that it imports the workspace packages as a user's file would.
const blocks = markdownFiles().flatMap((file) => extractCodeBlocks(file));
rmSync(folder, { recursive: true, force: true });
mkdirSync(folder, { recursive: true });
const modules = blocks.map((block, index) => {
  const name = `block-${index}.ts`;
  writeFileSync(join(folder, name), `${block.prefix}${block.code}\nexport {};\n`);
  return { name, block };
});
// Blocks run each in an empty folder of their own, beside a `shared` link, so that a path like
// `../shared/data` means what it means next to a checkout of the repository.
const sharedData = join(dirname(repository), 'shared');
if (existsSync(sharedData)) symlinkSync(sharedData, join(folder, 'shared'));

describe('code blocks in the guides and READMEs', () => {
  it('are many, and each is a complete program or continues the block before it', () => {
    expect(blocks.length).toBeGreaterThan(30);
  });

  it('type-check against the packages, with no names declared for them', () => {
    writeFileSync(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../tsconfig.base.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false, types: ['node'] },
        include: ['*.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [join(repository, 'node_modules/typescript/bin/tsc'), '-p', join(folder, 'tsconfig.json')],
        { cwd: docs, encoding: 'utf8' },
      );
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    const byName = new Map(modules.map((entry) => [entry.name, entry.block]));
    const problems = output
      .split('\n')
      .filter((line) => line.includes('error TS'))
      .map((line) => {
        const match = /block-(\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(line);
        if (match === null) return line;
        const block = byName.get(`block-${match[1]}.ts`) as CodeBlock;
        const lineInBlock = Number(match[2]) - block.prefix.split('\n').length + 1;
        return `${relative(repository, block.file)}:${block.line + lineInBlock - 1}: ${match[4]}`;
      });
    expect(problems).toEqual([]);
  });

  describe('run to the end', () => {
    // One process runs every block in turn: the packages load once, not once per block.
    let runs: ReadonlyMap<string, BlockRun> = new Map();
    beforeAll(async () => {
      const resultsFile = join(folder, 'runs.json');
      const {
        OPENAI_API_KEY: _key,
        OPENAI_BASE_URL: _url,
        REINS_MODEL: _model,
        ...env
      } = process.env;
      await promisify(execFile)(
        process.execPath,
        [
          tsxCli,
          '--conditions=@reins/source',
          join(docs, 'code-blocks', 'run-blocks.ts'),
          resultsFile,
          ...modules.map((entry) => join(folder, entry.name)),
        ],
        { cwd: folder, env, encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 << 20 },
      );
      const list = JSON.parse(readFileSync(resultsFile, 'utf8')) as BlockRun[];
      runs = new Map(list.map((run) => [run.name, run]));
    }, 15 * 60_000);

    for (const { name, block } of modules) {
      it(place(block), () => {
        const run = runs.get(name);
        expect(run, `${place(block)} did not run`).toBeDefined();
        expect(run?.error, `${place(block)} threw`).toBeUndefined();
      });
    }
  });
});
