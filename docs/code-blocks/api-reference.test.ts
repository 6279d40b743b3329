import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const docs = dirname(dirname(fileURLToPath(import.meta.url)));
const out = mkdtempSync(join(tmpdir(), 'reins-api-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the API reference', () => {
  it('is generated from the TSDoc of every package without errors', () => {
    const typedoc = join(dirname(docs), 'node_modules', '.bin', 'typedoc');
    const binary = existsSync(typedoc) ? typedoc : join(docs, 'node_modules', '.bin', 'typedoc');
    const output = execFileSync(binary, ['--out', out, '--logLevel', 'Warn'], {
      cwd: docs,
      encoding: 'utf8',
    });
    expect(output).not.toMatch(/\[error\]/);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    const modules = readdirSync(join(out, 'modules'));
    for (const name of [
      'core',
      'controller',
      'openai',
      'langchain',
      'early-exit',
      'trajectories',
      'serving-sim',
    ]) {
      expect(modules.some((file) => file.startsWith(name))).toBe(true);
    }
    expect(readdirSync(join(out, 'functions')).some((file) => file.includes('createAgent'))).toBe(
      true,
    );
  });
});
