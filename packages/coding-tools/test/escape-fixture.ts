import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A workspace with a sibling folder holding a secret, as an attacker finds it. */
export interface EscapeFixture {
  readonly base: string;
  readonly workspace: string;
  readonly secretFile: string;
  readonly secret: string;
}

/** Creates `base/workspace` and `base/outside-dir/secret.txt` in a fresh temporary folder. */
export async function createEscapeFixture(): Promise<EscapeFixture> {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'reins-coding-tools-')));
  const workspace = join(base, 'workspace');
  await mkdir(workspace);
  await mkdir(join(base, 'outside-dir'));
  const secret = `secret-${Math.random().toString(36).slice(2)}`;
  const secretFile = join(base, 'outside-dir', 'secret.txt');
  await writeFile(secretFile, secret);
  await writeFile(join(workspace, 'README.md'), '# project\n');
  return { base, workspace, secretFile, secret };
}

/**
 * Host processes whose command line contains `text` (zombies excluded); with `except`, not
 * those whose program name (`/proc/<pid>/comm`) is `except`.
 */
export function hostProcessesMatching(text: string, except?: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state === 'Z' || state === 'X') continue;
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!commandLine.includes(text)) continue;
      if (except !== undefined && readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === except)
        continue;
      found.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

/**
 * Waits until no host process matches `text` (see {@link hostProcessesMatching}); fails after
 * `checks` checks 10 ms apart.
 */
export async function waitUntilNoProcessMatches(
  text: string,
  checks = 300,
  except?: string,
): Promise<void> {
  for (let check = 0; check < checks; check += 1) {
    if (hostProcessesMatching(text, except).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(
    `a process '${text}' is still running: ${hostProcessesMatching(text).join(', ')}`,
  );
}

/** Waits until `path` exists with non-empty content, and returns it. */
export async function waitForFile(path: string): Promise<string> {
  for (;;) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8').trim();
      if (text !== '') return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
