import {
  CheckpointError,
  type Checkpointer,
  checkpointVersion,
  describeUnknown,
  type Message,
  messageSchema,
  type RunCheckpoint,
} from '@reins/core';
import type { Redis } from 'ioredis';
import { checkRunId, defaultFleetPrefix, fleetKeys } from './fleet-keys.js';
import { openRedis, type RedisConnection } from './redis-connection.js';

/** Settings of {@link createRedisCheckpointer}. */
export interface RedisCheckpointerSettings {
  /** The Redis to write to: a URL, ioredis options, or an open ioredis client (not closed here). */
  readonly connection: RedisConnection | Redis;
  /**
   * Prefix of every key.
   * @defaultValue `'reins'`
   */
  readonly prefix?: string;
  /**
   * The fencing token under which this process writes `runId`, if it holds the run for a
   * queue (the BullMQ job's lock token). A save whose token is not the run's current owner is
   * refused with a {@link CheckpointError}: a worker that lost its run to another cannot
   * overwrite it, nor start the tools of a step it could not save.
   */
  readonly ownerOf?: (runId: string) => string | undefined;
  /**
   * Hash fields to store with the checkpoint, in the same atomic write (a worker's control
   * cursor).
   * @internal
   */
  readonly fieldsOf?: (checkpoint: RunCheckpoint) => Readonly<Record<string, string>> | undefined;
}

/** A checkpointer in Redis; `close()` ends the connection it opened. */
export interface RedisCheckpointer extends Checkpointer {
  /** Closes the connection, unless it was passed in open. */
  close(): Promise<void>;
}

/**
 * Writes a checkpoint atomically: refuses a writer that is not the owner, appends the new
 * history messages (or rewrites the history when it was rewritten or is not as expected) and
 * replaces the state, in one script, so that no reader ever sees a torn checkpoint.
 *
 * KEYS: run hash, history list, runs set. ARGV: owner token ('' for none), run id, first
 * message index written, state JSON, message count, number of extra hash fields n, then n
 * field/value pairs, then the messages.
 * Returns 'ok', 'resend' (the stored history is shorter than the writer believes), or an
 * error 'owner <current>'.
 */
const saveScript = `
local owner = redis.call('HGET', KEYS[1], 'owner')
if ARGV[1] ~= '' and owner and owner ~= ARGV[1] then
  return redis.error_reply('owner ' .. owner)
end
local from = tonumber(ARGV[3])
if from == 0 then
  redis.call('DEL', KEYS[2])
else
  local length = redis.call('LLEN', KEYS[2])
  if length < from then return 'resend' end
  if length > from then redis.call('LTRIM', KEYS[2], 0, from - 1) end
end
local extra = tonumber(ARGV[6])
for index = 7 + 2 * extra, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[index]) end
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'count', ARGV[5])
for index = 7, 6 + 2 * extra, 2 do redis.call('HSET', KEYS[1], ARGV[index], ARGV[index + 1]) end
redis.call('SADD', KEYS[3], ARGV[2])
return 'ok'
`;

/** KEYS: run hash, history list. Returns nil, or { state JSON, messages… } (count of them). */
const loadScript = `
local stored = redis.call('HMGET', KEYS[1], 'state', 'count')
if not stored[1] then return nil end
local messages = redis.call('LRANGE', KEYS[2], 0, tonumber(stored[2]) - 1)
table.insert(messages, 1, stored[1])
return messages
`;

const stateFields = ['runId', 'task', 'status', 'turn', 'messageCount', 'usage'] as const;

/**
 * Keeps checkpoints in Redis, so that any process of a fleet can resume any run. Each save is
 * one Lua script, atomic: the run's history is a list that saves append to (rewritten whole
 * when compaction rewrote it), and its state a hash field counting the messages that belong to
 * it. `save` resolves once Redis has applied the write, so the loop's write-ahead holds: the
 * step that requests tools is stored before any of them starts, and its call ids are found
 * again by whichever worker resumes the run.
 *
 * How durable an acknowledged write is depends on the Redis you run: with `appendonly yes` and
 * `appendfsync always` it is on disk; with replicas, see the operating guide.
 *
 * Loading checks the state and every message (zod): damage is a {@link CheckpointError}
 * naming the run and the field.
 *
 * @param settings - connection, key prefix, and the fencing token of owned runs.
 * @returns a {@link Checkpointer} with `close()`.
 * @example
 * ```ts
 * const checkpointer = createRedisCheckpointer({ connection: 'redis://127.0.0.1:6379' });
 * const agent = createAgent({ backend, tools, checkpointer });
 * const handle = await agent.resume(runId); // in any process that reaches this Redis
 * ```
 */
export function createRedisCheckpointer(settings: RedisCheckpointerSettings): RedisCheckpointer {
  const ownsConnection = !isRedisClient(settings.connection);
  const redis = isRedisClient(settings.connection)
    ? settings.connection
    : openRedis(settings.connection);
  const keys = fleetKeys(settings.prefix ?? defaultFleetPrefix);
  /** Messages this process knows to be stored for each run, with the history they belong to. */
  const written = new Map<string, { generation: number; count: number }>();

  async function write(checkpoint: RunCheckpoint, from: number): Promise<unknown> {
    const { messages, tornLine: _torn, ...state } = checkpoint;
    const fields = Object.entries(settings.fieldsOf?.(checkpoint) ?? {}).flat();
    const lines: string[] = [];
    for (let index = from; index < checkpoint.messageCount; index++)
      lines.push(JSON.stringify(messages[index]));
    return await redis.eval(
      saveScript,
      3,
      keys.run(checkpoint.runId),
      keys.history(checkpoint.runId),
      keys.runs(),
      settings.ownerOf?.(checkpoint.runId) ?? '',
      checkpoint.runId,
      String(from),
      JSON.stringify(state),
      String(checkpoint.messageCount),
      String(fields.length / 2),
      ...fields,
      ...lines,
    );
  }

  return {
    async save(checkpoint) {
      checkRunIdFor(checkpoint.runId);
      const known = written.get(checkpoint.runId);
      const from =
        known === undefined ||
        known.generation !== checkpoint.historyGeneration ||
        known.count > checkpoint.messageCount
          ? 0
          : known.count;
      try {
        let answer = await write(checkpoint, from);
        if (answer === 'resend') answer = await write(checkpoint, 0);
        written.set(checkpoint.runId, {
          generation: checkpoint.historyGeneration,
          count: checkpoint.messageCount,
        });
      } catch (error) {
        written.delete(checkpoint.runId);
        const text = describeUnknown(error);
        const owner = /owner (\S+)/.exec(text);
        throw new CheckpointError(
          checkpoint.runId,
          owner === null
            ? `Could not write the checkpoint of run '${checkpoint.runId}' to Redis: ${text}. Check that Redis is reachable and has memory left.`
            : `Run '${checkpoint.runId}' is now held by another worker (owner '${owner[1]}'), so this one may no longer write it. Its lock expired (a stalled worker): raise lockDuration, or keep the event loop free.`,
          { cause: error },
        );
      }
    },

    async load(runId) {
      checkRunIdFor(runId);
      let stored: string[] | null;
      try {
        stored = (await redis.eval(loadScript, 2, keys.run(runId), keys.history(runId))) as
          | string[]
          | null;
      } catch (error) {
        throw new CheckpointError(
          runId,
          `Could not read the checkpoint of run '${runId}' from Redis: ${describeUnknown(error)}.`,
          { cause: error },
        );
      }
      if (stored === null) return undefined;
      const [stateText = '', ...lines] = stored;
      const checkpoint = parseCheckpoint(runId, keys.run(runId), stateText, lines);
      written.set(runId, { generation: checkpoint.historyGeneration, count: lines.length });
      return checkpoint;
    },

    async list() {
      return (await redis.smembers(keys.runs())).sort();
    },

    async delete(runId) {
      checkRunIdFor(runId);
      written.delete(runId);
      await redis
        .multi()
        .del(keys.run(runId), keys.history(runId), keys.events(runId), keys.control(runId))
        .srem(keys.runs(), runId)
        .exec();
    },

    async close() {
      if (ownsConnection) await redis.quit().catch(() => undefined);
    },
  };
}

function checkRunIdFor(runId: string): void {
  try {
    checkRunId(runId);
  } catch (error) {
    throw new CheckpointError(
      describeUnknown(runId),
      `Run id '${describeUnknown(runId)}' cannot name a checkpoint in Redis. Use 1–128 letters, digits, '_' or '-' (createAgent's default ids do).`,
      { cause: error },
    );
  }
}

/** Whether `value` is an open ioredis client rather than connection settings. */
export function isRedisClient(value: unknown): value is Redis {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { eval?: unknown }).eval === 'function' &&
    typeof (value as { duplicate?: unknown }).duplicate === 'function'
  );
}

/** The stored state and history as a checkpoint, checked field by field. */
function parseCheckpoint(
  runId: string,
  key: string,
  stateText: string,
  lines: readonly string[],
): RunCheckpoint {
  const fail = (field: string, problem: string, cause?: unknown): never => {
    throw new CheckpointError(
      runId,
      `The checkpoint of run '${runId}' in Redis key '${key}' is damaged: ${field} ${problem}. Delete the run (checkpointer.delete) or restore the key from a backup.`,
      { file: key, field, ...(cause === undefined ? {} : { cause }) },
    );
  };
  let state: Record<string, unknown>;
  try {
    state = JSON.parse(stateText) as Record<string, unknown>;
  } catch (error) {
    return fail('state', 'is not JSON', error);
  }
  if (typeof state !== 'object' || state === null) return fail('state', 'is not an object');
  if (state.version !== checkpointVersion)
    fail('version', `is ${describeUnknown(state.version)}, expected ${checkpointVersion}`);
  for (const field of stateFields) if (state[field] === undefined) fail(field, 'is missing');
  if (state.runId !== runId) fail('runId', `is '${describeUnknown(state.runId)}'`);
  if (state.messageCount !== lines.length)
    fail(
      'messageCount',
      `is ${describeUnknown(state.messageCount)} but the history holds ${lines.length} messages`,
    );
  const messages: Message[] = lines.map((line, index) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      return fail(`history[${index}]`, 'is not JSON', error);
    }
    const parsed = messageSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(
        `history[${index}]${issue === undefined ? '' : `.${issue.path.join('.')}`}`,
        issue?.message ?? 'is not a message',
      );
    }
    return parsed.data as Message;
  });
  return { ...(state as unknown as RunCheckpoint), messages, messageCount: messages.length };
}
