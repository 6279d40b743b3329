import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A `pids` cgroup that bounds how many processes one sandboxed command may have at once. */
export interface PidsCgroup {
  /** The `cgroup.procs` file: writing a pid there moves the process in. */
  readonly procsFile: string;
  /** Kills every process still in the cgroup, then removes it. */
  remove(): Promise<void>;
}

/** Where new pids cgroups go: this process's own pids cgroup, on v1 or v2. */
function pidsCgroupBase(): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  } catch {
    return undefined;
  }
  for (const line of lines) {
    const [, controllers, path] = line.split(':');
    if (controllers?.split(',').includes('pids') && path !== undefined) {
      const base = join('/sys/fs/cgroup/pids', path);
      if (existsSync(join(base, 'cgroup.procs'))) return base;
    }
  }
  const unified = lines.find((line) => line.startsWith('0::'));
  if (unified === undefined) return undefined;
  for (const mount of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    const base = join(mount, unified.slice(3));
    try {
      if (readFileSync(join(base, 'cgroup.subtree_control'), 'utf8').split(' ').includes('pids'))
        return base;
    } catch {
      // Not this mount.
    }
  }
  return undefined;
}

let counter = 0;

/** Kills every process in a cgroup and removes it, retrying while the processes are reaped. */
async function killAndRemove(folder: string): Promise<void> {
  const procsFile = join(folder, 'cgroup.procs');
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const pids = (await readFile(procsFile, 'utf8').catch(() => ''))
      .split('\n')
      .filter((pid) => pid !== '');
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    try {
      await rmdir(folder);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reclaims the cgroups of sandboxes whose owning process died without removing them, killing
 * whatever is left in them. Only a process killed in the milliseconds while bubblewrap sets a
 * sandbox up leaves one (bubblewrap's setup then waits forever for its dead parent).
 */
export async function removeOrphanedPidsCgroups(): Promise<void> {
  const base = pidsCgroupBase();
  if (base === undefined) return;
  const entries = await readdir(base).catch(() => [] as string[]);
  for (const entry of entries) {
    const owner = /^reins-sandbox-(\d+)-\d+$/.exec(entry)?.[1];
    if (owner !== undefined && !isAlive(Number(owner))) await killAndRemove(join(base, entry));
  }
}

/**
 * Creates a `pids` cgroup with `pids.max` set, under this process's own, or returns
 * `undefined` when none can be created here (no pids controller, or no permission).
 *
 * @param maxProcesses - processes and threads allowed at once.
 * @returns the cgroup, or `undefined`.
 */
export async function createPidsCgroup(maxProcesses: number): Promise<PidsCgroup | undefined> {
  const base = pidsCgroupBase();
  if (base === undefined) return undefined;
  counter += 1;
  const folder = join(base, `reins-sandbox-${process.pid}-${counter}`);
  try {
    await mkdir(folder);
  } catch {
    return undefined;
  }
  try {
    await writeFile(join(folder, 'pids.max'), String(maxProcesses));
  } catch {
    await rmdir(folder).catch(() => undefined);
    return undefined;
  }
  const procsFile = join(folder, 'cgroup.procs');
  return {
    procsFile,
    remove: () => killAndRemove(folder),
  };
}
