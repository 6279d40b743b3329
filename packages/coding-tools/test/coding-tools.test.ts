import { mkdir, mkdtemp, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tool, ToolExecuteContext } from '@reins/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createCodingTools,
  EditMatchError,
  FileExistsError,
  FileNotFoundError,
  WorkspaceEscapeError,
} from '../src/index.js';

let outside: string;
let root: string;
let tools: Map<string, Tool<unknown, string>>;

const context = (): ToolExecuteContext => ({
  signal: new AbortController().signal,
  runId: 'run',
  callId: 'call',
});

async function call(name: string, input: Record<string, unknown>): Promise<string> {
  const tool = tools.get(name);
  if (tool === undefined) throw new Error(`no tool ${name}`);
  return tool.execute(tool.input.parse(input), context());
}

beforeEach(async () => {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'reins-tools-test-')));
  outside = join(base, 'outside');
  root = join(base, 'workspace');
  await mkdir(outside);
  await mkdir(join(root, 'src'), { recursive: true });
  await writeFile(join(outside, 'secret.txt'), 'the secret\n');
  await writeFile(join(root, 'src', 'a.js'), 'const a = 1;\nconst b = 2;\nconst a2 = 1;\n');
  const created = await createCodingTools({ root, commandTimeoutMs: 10_000 });
  tools = new Map(created.tools.map((tool) => [tool.name, tool]));
});

describe('paths that leave the workspace are refused', () => {
  const escapes: [string, Record<string, unknown>][] = [
    ['read_file', { path: '../outside/secret.txt' }],
    ['read_file', { path: 'src/../../outside/secret.txt' }],
    ['list_files', { path: '..' }],
    ['search', { pattern: 'secret', path: '../outside' }],
    ['write_file', { path: '../outside/new.txt', content: 'x' }],
    ['edit_file', { path: '../outside/secret.txt', old: 'the', new: 'a' }],
  ];
  it.each(escapes)('%s %j (..)', async (name, input) => {
    await expect(call(name, input)).rejects.toSatisfy(WorkspaceEscapeError.isInstance);
  });

  it('refuses absolute paths, even ones inside the workspace', async () => {
    for (const path of [join(outside, 'secret.txt'), join(root, 'src', 'a.js'), '/etc/passwd']) {
      await expect(call('read_file', { path })).rejects.toSatisfy(WorkspaceEscapeError.isInstance);
    }
    await expect(call('read_file', { path: '~/.bashrc' })).rejects.toThrow(/absolute paths/);
  });

  it('refuses a symbolic link to a file outside, and writing through a linked folder', async () => {
    await symlink(join(outside, 'secret.txt'), join(root, 'link.txt'));
    await symlink(outside, join(root, 'linked-folder'));
    await expect(call('read_file', { path: 'link.txt' })).rejects.toThrow(/symbolic link/);
    await expect(
      call('edit_file', { path: 'link.txt', old: 'the secret', new: 'changed' }),
    ).rejects.toSatisfy(WorkspaceEscapeError.isInstance);
    await expect(
      call('write_file', { path: 'linked-folder/planted.txt', content: 'x' }),
    ).rejects.toSatisfy(WorkspaceEscapeError.isInstance);
    await expect(call('list_files', { path: 'linked-folder' })).rejects.toSatisfy(
      WorkspaceEscapeError.isInstance,
    );
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('the secret\n');
  });

  it('allows a symbolic link that stays inside', async () => {
    await symlink(join(root, 'src', 'a.js'), join(root, 'alias.js'));
    expect(await call('read_file', { path: 'alias.js', startLine: 2, endLine: 2 })).toBe(
      '2  const b = 2;',
    );
  });
});

describe('run_command', () => {
  it('runs an ordinary command in the workspace with a clean environment', async () => {
    const output = await call('run_command', { command: 'ls src && env' });
    expect(output).toMatch(/^exit code: 0\na\.js\n/);
    expect(output).toContain(`HOME=${root}`);
    expect(output).not.toMatch(/OPENAI_API_KEY|VITEST/);
  });

  it('reports a non-zero exit code as an observation', async () => {
    expect(await call('run_command', { command: 'ls missing-file' })).toMatch(/^exit code: 2\n/);
  });

  it('caps the output and says how much was dropped', async () => {
    const capped = new Map(
      (await createCodingTools({ root, outputLimit: 100 })).tools.map((tool) => [tool.name, tool]),
    );
    const tool = capped.get('run_command') as Tool<unknown, string>;
    const output = await tool.execute({ command: 'seq 1 1000' }, context());
    expect(output).toMatch(/\[3793 more characters of output not shown\]$/);
  });
});

describe('file tools', () => {
  it('reads line ranges with numbers', async () => {
    expect(await call('read_file', { path: 'src/a.js', startLine: 2 })).toBe(
      '2  const b = 2;\n3  const a2 = 1;',
    );
    await expect(call('read_file', { path: 'src/a.js', startLine: 9 })).rejects.toThrow(
      /startLine 9 is past the end of 'src\/a.js', which has 3 lines/,
    );
  });

  it('edits an exact, unique match and explains a missing or ambiguous one', async () => {
    await expect(call('edit_file', { path: 'src/a.js', old: 'nothing', new: 'x' })).rejects.toThrow(
      /not found in 'src\/a.js'/,
    );
    const ambiguous = call('edit_file', { path: 'src/a.js', old: ' = 1;', new: ' = 3;' });
    await expect(ambiguous).rejects.toSatisfy(
      (error: unknown) => EditMatchError.isInstance(error) && error.matches === 2,
    );
    await expect(ambiguous).rejects.toThrow(/occurs 2 times .* \(lines 1, 3\)/);
    expect(await call('edit_file', { path: 'src/a.js', old: 'const b = 2;', new: 'let b;' })).toBe(
      [
        'Edited src/a.js at line 2.',
        '--- a/src/a.js',
        '+++ b/src/a.js',
        '@@ -1,3 +1,3 @@',
        ' const a = 1;',
        '-const b = 2;',
        '+let b;',
        ' const a2 = 1;',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(root, 'src', 'a.js'), 'utf8')).toBe(
      'const a = 1;\nlet b;\nconst a2 = 1;\n',
    );
  });

  it('writes new files with their folders, and refuses to overwrite without asking', async () => {
    await call('write_file', { path: 'test/new/b.test.js', content: 'x\ny\n' });
    expect(await readFile(join(root, 'test/new/b.test.js'), 'utf8')).toBe('x\ny\n');
    await expect(call('write_file', { path: 'src/a.js', content: '' })).rejects.toSatisfy(
      FileExistsError.isInstance,
    );
    expect(await readFile(join(root, 'src/a.js'), 'utf8')).toContain('const b = 2;');
    await call('write_file', { path: 'src/a.js', content: 'new', overwrite: true });
    expect(await readFile(join(root, 'src/a.js'), 'utf8')).toBe('new');
  });

  it('names a missing file and how to find or create one', async () => {
    for (const [name, args] of [
      ['read_file', { path: 'src/missing.js' }],
      ['edit_file', { path: 'src/missing.js', old: 'a', new: 'b' }],
    ] as const) {
      const error = await call(name, args).catch((caught: unknown) => caught);
      expect(FileNotFoundError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/'src\/missing.js' does not exist. Use list_files/);
    }
  });

  it('lists and searches, skipping node_modules', async () => {
    await mkdir(join(root, 'node_modules', 'dep'), { recursive: true });
    await writeFile(join(root, 'node_modules', 'dep', 'index.js'), 'const a = 1;');
    expect(await call('list_files', {})).toBe('src/a.js');
    expect(await call('search', { pattern: 'const a' })).toBe(
      'src/a.js:1: const a = 1;\nsrc/a.js:3: const a2 = 1;',
    );
    expect(await call('search', { pattern: 'a\\d', regex: true })).toBe(
      'src/a.js:3: const a2 = 1;',
    );
  });
});
