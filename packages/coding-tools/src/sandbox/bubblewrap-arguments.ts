import { lstatSync, readlinkSync } from 'node:fs';

/** What {@link toBubblewrapArguments} builds a sandbox from. */
export interface BubblewrapSettings {
  /** The workspace (a real path): mounted read-write at the same path, the only writable host path. */
  readonly workspace: string;
  /** Whether the sandbox shares the host's network; otherwise it has only its own loopback. */
  readonly network: boolean;
  /** The command's whole environment (nothing else is passed on). */
  readonly env: Readonly<Record<string, string>>;
  /** Host paths mounted read-only at the same path, besides the system folders. */
  readonly readOnlyPaths: readonly string[];
  /** Size of the private `/tmp`, in bytes. */
  readonly tmpBytes: number;
}

/** Top-level system folders; on merged-/usr systems most are links into /usr. */
const systemFolders = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/**
 * Files and folders of /etc that programs need (dynamic linker, users and groups, name
 * resolution, TLS roots, Debian's alternatives). The rest of /etc, `shadow` included, stays out.
 */
const etcEntries = [
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/etc/hosts',
  '/etc/host.conf',
  '/etc/resolv.conf',
  '/etc/localtime',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/mime.types',
];

function systemFolderArguments(): string[] {
  const args: string[] = [];
  for (const folder of systemFolders) {
    try {
      const stats = lstatSync(folder);
      if (stats.isSymbolicLink()) args.push('--symlink', readlinkSync(folder), folder);
      else if (stats.isDirectory()) args.push('--ro-bind', folder, folder);
    } catch {
      // Not on this system.
    }
  }
  return args;
}

/**
 * The bubblewrap arguments (before the command) for one sandboxed command: every namespace
 * unshared (user, mount, PID, IPC, UTS, cgroup, and network unless allowed), the command as
 * the PID namespace's init, the sandbox killed with its parent, a new session (no terminal injection), an environment of exactly
 * `env`, the system folders and a few files of /etc read-only, a fresh `/proc` of the new PID
 * namespace, a minimal `/dev`, a private size-capped `/tmp`, and the workspace read-write.
 *
 * @param settings - workspace, network, environment, extra read-only paths, `/tmp` size.
 * @returns the arguments, to be followed by the command.
 */
export function toBubblewrapArguments(settings: BubblewrapSettings): string[] {
  const args = ['--unshare-all'];
  if (settings.network) args.push('--share-net');
  // The command (`timeout`, see create-sandbox.ts) is the namespace's PID 1: when it exits,
  // the kernel kills every process left in the namespace, with or without bubblewrap.
  args.push('--as-pid-1', '--die-with-parent', '--new-session', '--clearenv');
  for (const [name, value] of Object.entries(settings.env)) args.push('--setenv', name, value);
  args.push(...systemFolderArguments());
  for (const entry of etcEntries) args.push('--ro-bind-try', entry, entry);
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--size', String(settings.tmpBytes), '--tmpfs', '/tmp');
  for (const path of settings.readOnlyPaths) args.push('--ro-bind', path, path);
  // After /tmp, so that a workspace under /tmp is mounted over the fresh tmpfs.
  args.push('--bind', settings.workspace, settings.workspace, '--chdir', settings.workspace);
  return args;
}
