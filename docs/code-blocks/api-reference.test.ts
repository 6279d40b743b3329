import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
    // Each package is named as it is imported, on a landing page that lists them all.
    const landing = readFileSync(join(out, 'index.html'), 'utf8');
    expect(landing).toContain('Reins API reference');
    const modules = readFileSync(join(out, 'modules.html'), 'utf8');
    for (const name of [
      '@reins/core',
      '@reins/core/testing',
      '@reins/controller',
      '@reins/openai',
      '@reins/openai/testing',
      '@reins/langchain',
      '@reins/mcp',
      '@reins/early-exit',
      '@reins/coding-tools',
      '@reins/otel',
      '@reins/trajectories',
      '@reins/serving-sim',
      '@reins/bullmq',
      '@reins/bullmq/testing',
    ]) {
      expect(modules).toContain(`>${name}<`);
    }
    expect(modules).not.toMatch(/\w\/src/);
    expect(readdirSync(join(out, 'functions')).some((file) => file.includes('createAgent'))).toBe(
      true,
    );
  }, 300_000);
});
