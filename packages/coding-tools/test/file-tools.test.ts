import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Tool } from '@reins/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createCodingTools,
  EditMatchError,
  NotRegularFileError,
  SearchPatternError,
  WorkspaceEscapeError,
} from '../src/index.js';
import { createEscapeFixture, type EscapeFixture } from './escape-fixture.js';

let fixture: EscapeFixture;
let tools: Tool<unknown, string>[];

/** Calls a tool as the agent loop does: the input parsed by its schema, then `execute`. */
async function call(name: string, args: Record<string, unknown>): Promise<string> {
  const tool = tools.find((candidate) => candidate.name === name);
  if (tool === undefined) throw new Error(`no tool ${name}`);
  return tool.execute(tool.input.parse(args), {
    signal: new AbortController().signal,
    runId: 'run-1',
    callId: 'call-1',
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

beforeEach(async () => {
  fixture = await createEscapeFixture();
  await mkdir(join(fixture.workspace, 'src'));
  await writeFile(
    join(fixture.workspace, 'src', 'money.js'),
    'export function formatMoney(cents) {\n  const sign = "";\n  return sign + "$" + (cents / 100).toFixed(2);\n}\n',
  );
  ({ tools } = await createCodingTools({ root: fixture.workspace }));
});

describe('file tools stay in the workspace', () => {
  it.each([
    ['../outside-dir/secret.txt', "'..' leads to"],
    ['src/../../outside-dir/secret.txt', "'..' leads to"],
    ['/etc/passwd', 'absolute paths'],
    ['~/.bashrc', 'absolute paths'],
  ])('refuses %s', async (path, detail) => {
    for (const [name, args] of [
      ['read_file', { path }],
      ['write_file', { path, content: 'x', overwrite: true }],
      ['edit_file', { path, old: 'a', new: 'b' }],
      ['list_files', { path }],
      ['search', { pattern: 'secret', path }],
    ] as const) {
      const error = await failure(call(name, args));
      expect(WorkspaceEscapeError.isInstance(error), `${name} ${path}`).toBe(true);
      expect((error as Error).message).toContain(detail);
    }
  });

  it('refuses links made in the workspace (by the shell, say) that lead out', async () => {
    await call('run_command', {
      command: `ln -s ../outside-dir up && ln -s ${fixture.base}/outside-dir abs && ln -s ${fixture.secretFile} secret-link`,
    });
    for (const path of ['up/secret.txt', 'abs/secret.txt', 'secret-link', 'abs/new.txt']) {
      expect(WorkspaceEscapeError.isInstance(await failure(call('read_file', { path })))).toBe(
        true,
      );
      expect(
        WorkspaceEscapeError.isInstance(
          await failure(call('write_file', { path, content: 'pwned', overwrite: true })),
        ),
      ).toBe(true);
    }
    expect(readFileSync(fixture.secretFile, 'utf8')).toBe(fixture.secret);
    expect(existsSync(join(fixture.base, 'outside-dir', 'new.txt'))).toBe(false);
    expect(await call('search', { pattern: fixture.secret })).toMatch(/^No line matches/);
  });
});

describe('file tools refuse FIFOs, sockets and devices before opening', () => {
  it('refuses a FIFO for every tool, more times than libuv has threads, and still works after', async () => {
    spawnSync('mkfifo', [join(fixture.workspace, 'pipe')]);
    // Eight reads at once: a blocking open would hold all four of libuv's threads.
    const reads = await Promise.all(
      Array.from({ length: 8 }, () => failure(call('read_file', { path: 'pipe' }))),
    );
    for (const error of reads) {
      expect(NotRegularFileError.isInstance(error)).toBe(true);
      expect((error as NotRegularFileError).kind).toBe('fifo');
    }
    for (const [name, args] of [
      ['write_file', { path: 'pipe', content: 'x', overwrite: true }],
      ['edit_file', { path: 'pipe', old: 'a', new: 'b' }],
    ] as const) {
      expect(NotRegularFileError.isInstance(await failure(call(name, args)))).toBe(true);
    }
    // The thread pool is free: file operations (and a search past the FIFO) go on.
    expect(await call('read_file', { path: 'src/money.js' })).toContain('formatMoney');
    expect(await call('search', { pattern: 'formatMoney' })).toContain('src/money.js:1');
    expect(await readFile(join(fixture.workspace, 'README.md'), 'utf8')).toBe('# project\n');
  });

  it('refuses a socket and a device', async () => {
    const server = createServer();
    const socketPath = join(fixture.workspace, 'server.sock');
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const error = await failure(call('read_file', { path: 'server.sock' }));
      expect((error as NotRegularFileError).kind).toBe('socket');
    } finally {
      server.close();
    }
    // A device node in the workspace (only root can make one).
    if (process.getuid?.() === 0) {
      spawnSync('mknod', [join(fixture.workspace, 'zero-device'), 'c', '1', '5']);
      const device = await failure(call('read_file', { path: 'zero-device' }));
      expect((device as NotRegularFileError).kind).toBe('character device');
      const written = await failure(
        call('write_file', { path: 'zero-device', content: 'x', overwrite: true }),
      );
      expect(NotRegularFileError.isInstance(written)).toBe(true);
    }
    await symlink('/dev/zero', join(fixture.workspace, 'zero'));
    expect(
      WorkspaceEscapeError.isInstance(await failure(call('read_file', { path: 'zero' }))),
    ).toBe(true);
  });
});

describe('edit_file', () => {
  it('answers with a unified diff that patch(1) applies to the old file', async () => {
    const path = join(fixture.workspace, 'src', 'money.js');
    const before = await readFile(path, 'utf8');
    const result = await call('edit_file', {
      path: 'src/money.js',
      old: '  const sign = "";',
      new: '  const sign = cents < 0 ? "-" : "";\n  cents = Math.abs(cents);',
    });
    expect(result).toContain('Edited src/money.js at line 2.');
    const diff = result.slice(result.indexOf('--- a/'));
    expect(diff).toContain('@@ -1,4 +1,5 @@');
    expect(diff).toContain('-  const sign = "";\n+  const sign = cents < 0 ? "-" : "";\n');
    // Apply the diff to a copy of the old file: it must give exactly the new one.
    const copy = join(fixture.base, 'copy');
    await mkdir(join(copy, 'src'), { recursive: true });
    await writeFile(join(copy, 'src', 'money.js'), before);
    const patched = spawnSync('patch', ['-p1'], { cwd: copy, input: diff, encoding: 'utf8' });
    expect(patched.status, patched.stdout + patched.stderr).toBe(0);
    expect(await readFile(join(copy, 'src', 'money.js'), 'utf8')).toBe(
      await readFile(path, 'utf8'),
    );
  });

  it('fails clearly on a missing or repeated match and leaves the file alone', async () => {
    const path = join(fixture.workspace, 'src', 'money.js');
    const before = await readFile(path, 'utf8');
    const missing = await failure(
      call('edit_file', { path: 'src/money.js', old: 'nope', new: '' }),
    );
    expect(EditMatchError.isInstance(missing) && missing.matches).toBe(0);
    const repeated = await failure(
      call('edit_file', { path: 'src/money.js', old: 'cents', new: '' }),
    );
    expect((repeated as EditMatchError).message).toMatch(/occurs 2 times .* \(lines 1, 3\)/);
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});

describe('search', () => {
  it('runs a catastrophic regular expression in linear time, without holding the event loop', async () => {
    // With a backtracking engine each of these lines takes seconds: ^(x+x+)+y$ on 31 x's.
    const line = 'x'.repeat(31);
    for (let file = 0; file < 20; file += 1)
      await writeFile(join(fixture.workspace, `f${file}.txt`), `${line}\n`.repeat(50));
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await call('search', { pattern: '^(x+x+)+y$', regex: true });
    ticking = false;
    expect(result).toBe("No line matches '^(x+x+)+y$'.");
    expect(ticks).toBeGreaterThan(0);
    expect(await call('search', { pattern: '^(x+x+)+$', regex: true })).toContain('f0.txt:1:');
  });

  it('refuses backtracking-only syntax with a typed error', async () => {
    const error = await failure(call('search', { pattern: '(a)\\1', regex: true }));
    expect(SearchPatternError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Backreferences and lookarounds');
  });
});
