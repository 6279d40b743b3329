import { createHash } from 'node:crypto';

const reinsToolName = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Maps an MCP tool's name to a Reins tool name: the prefix, then the name with every character
 * other than letters, digits, `_` and `-` replaced by `_`; a name longer than 64 characters is
 * cut and ends with a hash of the whole, so that two long names stay apart.
 *
 * @param mcpName - the tool's name on the server (MCP allows `.` and `/`, and up to 128 characters).
 * @param prefix - put before every name of one server, e.g. `'fs_'`.
 * @returns a name that `createAgent` accepts.
 * @example
 * ```ts
 * toReinsToolName('files.read', 'fs_'); // 'fs_files_read'
 * ```
 */
export function toReinsToolName(mcpName: string, prefix: string): string {
  const name = `${prefix}${mcpName}`;
  if (reinsToolName.test(name)) return name;
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (cleaned.length > 0 && cleaned.length <= 64) return cleaned;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${cleaned.slice(0, 55)}_${hash}`;
}

/**
 * Makes `name` unique among `taken` by ending it with a hash of `key` (the MCP name), for two
 * MCP names that map to one Reins name (`a.b` and `a_b`).
 */
export function uniqueToolName(name: string, key: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `${name.slice(0, 55)}_${hash}`;
}
