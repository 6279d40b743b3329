import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CodeBlock, extractCodeBlocks } from './extract-code-blocks.js';
import { ambientExports } from './write-ambient-exports.js';

const docs = dirname(dirname(fileURLToPath(import.meta.url)));
const repository = dirname(docs);

function markdownFiles(): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'api' || entry.name.startsWith('.'))
        continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk(docs);
  for (const group of ['packages', 'examples']) {
    for (const name of readdirSync(join(repository, group)))
      files.push(join(repository, group, name, 'README.md'));
  }
  files.push(join(repository, 'README.md'));
  return files.filter((file) => {
    try {
      return readdirSync(dirname(file)).includes('README.md') || file.endsWith('.md');
    } catch {
      return false;
    }
  });
}

describe('code blocks in the guides and READMEs', () => {
  it('all type-check against the packages', () => {
    const blocks: CodeBlock[] = markdownFiles().flatMap((file) => {
      try {
        return extractCodeBlocks(file);
      } catch {
        return [];
      }
    });
    expect(blocks.length).toBeGreaterThan(10);
    const folder = join(docs, 'code-blocks', '.generated');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const origin = new Map<string, CodeBlock>();
    blocks.forEach((block, index) => {
      const name = `block-${index}.ts`;
      origin.set(name, block);
      // `export {}` makes every block a module of its own.
      writeFileSync(join(folder, name), `${block.prefix}${block.code}\nexport {};\n`);
    });
    writeFileSync(join(folder, 'exports.d.ts'), ambientExports(repository));
    writeFileSync(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../tsconfig.base.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false, types: ['node'] },
        include: ['*.ts', '../ambient.d.ts'],
        exclude: [],
      }),
    );
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [join(repository, 'node_modules/typescript/bin/tsc'), '-p', join(folder, 'tsconfig.json')],
        {
          cwd: docs,
          encoding: 'utf8',
        },
      );
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    const problems = output
      .split('\n')
      .filter((line) => line.includes('error TS'))
      .map((line) => {
        const match = /block-(\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(line);
        if (match === null) return line;
        const block = origin.get(`block-${match[1]}.ts`) as CodeBlock;
        const lineInBlock = Number(match[2]) - block.prefix.split('\n').length + 1;
        return `${relative(repository, block.file)}:${block.line + lineInBlock - 1}: ${match[4]}`;
      });
    expect(problems).toEqual([]);
  });
});
