import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CommandTimeoutError, createSandbox, type Sandbox } from '../src/index.js';
import {
  createEscapeFixture,
  type EscapeFixture,
  hostProcessesMatching,
  waitUntilNoProcessMatches,
} from './escape-fixture.js';

let fixture: EscapeFixture;
let sandbox: Sandbox;
const run = (command: string, timeoutMs = 20_000) =>
  sandbox.run(command, { timeoutMs, outputLimit: 20_000 });

/** Variables the sandbox's processes may have: those it sets, and those the shell adds. */
const sandboxVariables = new Set(['PATH', 'HOME', 'TMPDIR', 'LANG', 'NO_COLOR', 'PWD', 'OLDPWD']);

beforeEach(async () => {
  fixture = await createEscapeFixture();
  sandbox = await createSandbox({ workspace: fixture.workspace, limits: { processes: 64 } });
  // The attacks below that signal every process are only safe to try in a real sandbox.
  expect(sandbox.isolation).toBe('bubblewrap');
});

describe('the shell cannot read outside the workspace', () => {
  it("refuses 'cd .? && cat outside-dir/secret.txt' (in dash '.?' matches '..')", async () => {
    const result = await run('cd .? && ls && cat outside-dir/secret.txt');
    expect(result.output).not.toContain(fixture.secret);
    expect(result.output).toContain('No such file or directory');
    expect(result.exitCode).not.toBe(0);
  });

  it('refuses ../ and absolute paths to the secret', async () => {
    const result = await run(`cat ../outside-dir/secret.txt; cat ${fixture.secretFile}`);
    expect(result.output).not.toContain(fixture.secret);
    expect(result.exitCode).not.toBe(0);
    // Above the workspace there is nothing but the way down to it.
    const listing = await run(`ls ${fixture.base}`);
    expect(listing.output.trim()).toBe('workspace');
  });

  it('follows no link made inside the sandbox out of it', async () => {
    const result = await run(
      `ln -s ../outside-dir up && ln -s ${fixture.base}/outside-dir abs && cat up/secret.txt abs/secret.txt`,
    );
    expect(result.output).not.toContain(fixture.secret);
    expect(result.exitCode).not.toBe(0);
  });

  it('shows no environment but its own in any /proc/*/environ, the parent secret included', async () => {
    // The test process's real environment has variables the sandbox must not see.
    const parentVariables = readFileSync('/proc/self/environ', 'utf8')
      .split('\0')
      .map((entry) => entry.split('=')[0] ?? '')
      .filter((name) => name !== '' && !sandboxVariables.has(name));
    expect(parentVariables.length).toBeGreaterThan(0);
    const result = await run(
      "cat /proc/*/environ | tr '\\0' '\\n'; cd .? && cat proc/*/environ | tr '\\0' '\\n'",
    );
    const seen = result.output
      .split('\n')
      .filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line))
      .map((line) => line.split('=')[0] as string);
    expect(seen).toContain('PATH');
    expect(seen.filter((name) => !sandboxVariables.has(name))).toEqual([]);
  });

  it('sees only its own processes in /proc, and no host file but the system folders', async () => {
    const result = await run(
      `ls /proc | grep -c '^[0-9]'; test -e /proc/${process.pid}/environ && echo HOST-PID-VISIBLE; cat /etc/shadow; ls /root /work /home`,
    );
    expect(Number(result.output.split('\n')[0])).toBeLessThanOrEqual(5);
    expect(result.output).not.toContain('HOST-PID-VISIBLE');
    expect(result.output).toContain('/etc/shadow: No such file or directory');
  });
});

describe('the shell cannot change or kill anything outside', () => {
  it("'rm -rf .?/*' and writes to system folders leave the outside untouched", async () => {
    const result = await run(
      `rm -rf .?/* ; rm -rf ${fixture.base}/outside-dir; touch /usr/reins-probe; echo x > /etc/passwd`,
    );
    expect(readFileSync(fixture.secretFile, 'utf8')).toBe(fixture.secret);
    expect(existsSync('/usr/reins-probe')).toBe(false);
    expect(result.output).toMatch(/Read-only file system/);
  });

  it("survives 'kill -9 -1' and 'pkill node': processes outside keep running", async () => {
    // A process of the host, as the attack's target: a Node process like the agent itself.
    const marker = `reins-sentinel-${Math.random().toString(36).slice(2)}`;
    const sentinel = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], {
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => sentinel.once('spawn', resolve));
      // First prove the namespace is private, so the attack cannot hit this machine.
      const check = await run(`ls /proc | grep -c '^[0-9]'`);
      expect(Number(check.output.trim())).toBeLessThanOrEqual(5);
      const result = await run('kill -9 -1; pkill node; pkill -9 -f reins-sentinel; echo after');
      expect(result.exitCode === 0 || result.signal === 'SIGKILL' || result.exitCode === 137).toBe(
        true,
      );
      expect(hostProcessesMatching(marker)).toEqual([sentinel.pid]);
      expect(sentinel.exitCode).toBeNull();
    } finally {
      sentinel.kill('SIGKILL');
    }
  });

  it("kills 'setsid -f sleep 47' when the command returns", async () => {
    const marker = '47.4711';
    const result = await run(`setsid -f sleep ${marker}; nohup sleep ${marker} & echo started`);
    expect(result.output).toContain('started');
    await waitUntilNoProcessMatches(`sleep ${marker}`);
  });

  it('kills a detached child and the whole tree at the timeout', async () => {
    const marker = '47.4712';
    const error = await run(`setsid -f sleep ${marker}; echo started; sleep 1000`, 1_000).catch(
      (caught: unknown) => caught,
    );
    expect(CommandTimeoutError.isInstance(error)).toBe(true);
    expect((error as CommandTimeoutError).output).toContain('started');
    await waitUntilNoProcessMatches(`sleep ${marker}`);
  });

  it('kills the whole tree, detached children included, when the signal aborts', async () => {
    const marker = '47.4713';
    const controller = new AbortController();
    const running = sandbox.run(`setsid -f sleep ${marker}; sleep 1000`, {
      timeoutMs: 60_000,
      outputLimit: 1_000,
      signal: controller.signal,
    });
    for (let check = 0; hostProcessesMatching(`sleep ${marker}`).length === 0; check += 1) {
      if (check > 500) throw new Error('the command did not start');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    controller.abort(new Error('user interrupt'));
    await expect(running).rejects.toThrow('user interrupt');
    await waitUntilNoProcessMatches(`sleep ${marker}`);
  });
});

describe('the shell has no network unless allowed', () => {
  let server: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      connections += 1;
      socket.end('hello from the host\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    return () => new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const connect = () =>
    `node -e "require('net').connect(${port}, '127.0.0.1').on('data', (d) => { process.stdout.write('RECEIVED ' + d); process.exit(0); }).on('error', (e) => { console.log('FAILED', e.code); process.exit(3); })"`;

  it('cannot connect to a server on the host loopback', async () => {
    const before = connections;
    const result = await run(connect());
    expect(result.output).toContain('FAILED');
    expect(result.output).not.toContain('RECEIVED');
    expect(connections).toBe(before);
  });

  it('connects when network is allowed (the same command, so the refusal above is real)', async () => {
    const open = await createSandbox({ workspace: fixture.workspace, network: true });
    const result = await open.run(connect(), { timeoutMs: 20_000, outputLimit: 1_000 });
    expect(result.output).toContain('RECEIVED hello from the host');
  });
});

describe('the shell is bounded', () => {
  it('contains a fork loop at the process limit and leaves nothing running', async () => {
    expect(sandbox.processLimit).not.toBe('none');
    const result = await run('f() { f | f & }; f; sleep 1; echo survived', 15_000).catch(
      (error: unknown) => error,
    );
    // Either the shell finished or the timeout killed it; forks past the limit failed.
    const output = CommandTimeoutError.isInstance(result)
      ? result.output
      : (result as { output: string }).output;
    expect(output).toMatch(/Cannot fork|Resource temporarily unavailable/);
    const after = await run(`ls /proc | grep -c '^[0-9]'`);
    expect(Number(after.output.trim())).toBeLessThanOrEqual(5);
  });

  it('truncates 50 MB of output and kills the command', async () => {
    const result = await sandbox.run('head -c 52428800 /dev/zero | tr "\\0" x; echo END', {
      timeoutMs: 20_000,
      outputLimit: 1_000,
    });
    expect(result.killedFor).toBe('output-limit');
    expect(result.output).toHaveLength(1_000);
    expect(result.output).not.toContain('END');
    expect(result.outputBytes).toBeLessThan(52_428_800);
  });

  it('kills a process past its CPU time', async () => {
    const limited = await createSandbox({
      workspace: fixture.workspace,
      limits: { cpuSeconds: 1 },
    });
    const result = await limited.run('while :; do :; done', {
      timeoutMs: 20_000,
      outputLimit: 1_000,
    });
    expect(result.exitCode === 137 || result.exitCode === 152 || result.signal !== null).toBe(true);
  });

  it('refuses memory past its limit', async () => {
    const limited = await createSandbox({
      workspace: fixture.workspace,
      limits: { memoryBytes: 2 * 1024 ** 3 },
    });
    const result = await limited.run(
      `node -e "const a = new Uint8Array(3 * 1024 ** 3); a.fill(1); console.log('ALLOC' + 'ATED')"`,
      { timeoutMs: 20_000, outputLimit: 2_000 },
    );
    expect(result.output).not.toContain('ALLOCATED');
    expect(result.exitCode).not.toBe(0);
  });
});
