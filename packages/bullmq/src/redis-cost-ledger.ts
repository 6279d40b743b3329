import { randomUUID } from 'node:crypto';
import { type CostLedger, microsPerUsd } from '@reins/controller';
import { InvalidOptionsError } from '@reins/core';
import { createBlockingRedis } from './blocking-redis.js';
import { LedgerUnavailableError } from './errors/ledger-unavailable-error.js';
import { defaultFleetPrefix } from './fleet-keys.js';
import { type RedisConnection, toRedisOptions } from './redis-connection.js';

/** Settings of {@link createRedisCostLedger}. */
export interface RedisCostLedgerSettings {
  /** The fleet's Redis. */
  readonly connection: RedisConnection;
  /** The ledger's name: every process that names the same ledger shares its cap. */
  readonly name: string;
  /** The cap in US dollars. The first process to open the ledger sets it in Redis. */
  readonly capUsd: number;
  /**
   * Prefix of every key.
   * @defaultValue `'reins'`
   */
  readonly prefix?: string;
  /**
   * The longest one reservation may wait for Redis before the call fails with a
   * {@link LedgerUnavailableError} (no call is let through unreserved).
   * @defaultValue 2 000
   */
  readonly timeoutMs?: number;
}

/** How long the ledger's first call may wait for its thread to start and connect. */
const startTimeoutMs = 30_000;

/** Defaults of {@link RedisCostLedgerSettings}. */
export const defaultRedisCostLedgerSettings = Object.freeze({ timeoutMs: 2_000 });

/** A cost ledger in Redis; `close()` ends its connection. */
export interface RedisCostLedger extends CostLedger {
  /** The ledger's name. */
  readonly name: string;
  /** Ends the connection (the ledger's figures stay in Redis). */
  close(): Promise<void>;
}

/**
 * Creates the ledger's figures if missing. KEYS: totals hash. ARGV: cap micros.
 * Returns the cap in force.
 */
const openScript = `
if redis.call('HSETNX', KEYS[1], 'cap', ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'spent', '0', 'reserved', '0')
end
return redis.call('HGET', KEYS[1], 'cap')
`;

/** Shared by the scripts: the totals, and a reservation's amount and holder. */
const scriptPrelude = `
local function number(key, field) return tonumber(redis.call('HGET', key, field) or '0') end
local function text(value) return string.format('%.0f', value) end
local function holding(key, field)
  local held = redis.call('HGET', key, field)
  if not held then return nil, nil end
  local amount, holder = string.match(held, '^(%d+) (.*)$')
  return tonumber(amount), holder
end
`;

/**
 * KEYS: totals hash, reservations hash. ARGV: key, micros, holder.
 * A reservation held under the key by another process (one that lost the run, e.g. killed) is
 * charged in full: its call may have been made. Returns { granted, spent, reserved }.
 */
const reserveScript = `${scriptPrelude}
local spent, reserved, cap = number(KEYS[1], 'spent'), number(KEYS[1], 'reserved'), number(KEYS[1], 'cap')
local previous = 0
local amount, holder = holding(KEYS[2], ARGV[1])
if amount then
  if holder == ARGV[3] then previous = amount
  else
    spent = spent + amount
    reserved = reserved - amount
    redis.call('HDEL', KEYS[2], ARGV[1])
  end
end
local micros = tonumber(ARGV[2])
local granted = 0
if spent + reserved - previous + micros <= cap then
  granted = 1
  redis.call('HSET', KEYS[2], ARGV[1], text(micros) .. ' ' .. ARGV[3])
  reserved = reserved + micros - previous
end
redis.call('HSET', KEYS[1], 'spent', text(spent), 'reserved', text(reserved))
return { granted, text(spent), text(reserved) }
`;

/**
 * KEYS: totals hash, reservations hash. ARGV: key, micros spent ('' to release), holder.
 * Ends the holder's own reservation only; what it spent is counted either way.
 */
const settleScript = `${scriptPrelude}
local spent, reserved = number(KEYS[1], 'spent'), number(KEYS[1], 'reserved')
local amount, holder = holding(KEYS[2], ARGV[1])
if amount and holder == ARGV[3] then
  reserved = reserved - amount
  redis.call('HDEL', KEYS[2], ARGV[1])
end
if ARGV[2] ~= '' then spent = spent + tonumber(ARGV[2]) end
redis.call('HSET', KEYS[1], 'spent', text(spent), 'reserved', text(reserved))
return { text(spent), text(reserved) }
`;

/** KEYS: totals hash. Returns { spent, reserved }. */
const readScript = `return redis.call('HMGET', KEYS[1], 'spent', 'reserved')`;

function checkMicros(field: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new InvalidOptionsError(
      field,
      `${field} is ${String(value)}; ledger amounts are whole micro-dollars ≥ 0 (1 USD = 1 000 000), e.g. Math.ceil(usd * 1e6).`,
    );
  }
}

/**
 * Creates a {@link CostLedger} kept in Redis, so that one cap binds every run of a fleet, in
 * every process. Pass it as `createCostBudget({ ledger })` in each worker's agent factory.
 *
 * Every reservation is one Lua script, atomic in Redis: granted only if the fleet's spent +
 * reserved + amount stays within the cap. The `CostLedger` interface is synchronous (the
 * controller decides between two model calls without awaiting), so each call blocks the
 * calling thread for one Redis round trip (a worker thread holds the connection); on loopback
 * that is a fraction of a millisecond per model call.
 *
 * A reservation outlives a process killed during its call: it stays reserved (the cap is never
 * crossed by money a dead worker may have spent), and when the run is resumed elsewhere and
 * reserves the same call again, the old reservation is charged in full.
 *
 * @param settings - connection, ledger name, cap, key prefix, timeout.
 * @returns a ledger with `close()`.
 * @throws {InvalidOptionsError} for a bad cap or name, or a cap that differs from the one
 *   already in Redis under that name.
 * @example
 * ```ts
 * const ledger = createRedisCostLedger({ connection: 'redis://127.0.0.1:6379', name: 'sweep', capUsd: 50 });
 * const controller = createController({
 *   budget: createCostBudget({ ledger, prices, maxTokensPerCall: 4096 }),
 * });
 * ```
 */
export function createRedisCostLedger(settings: RedisCostLedgerSettings): RedisCostLedger {
  const { name, capUsd } = settings;
  if (!(typeof capUsd === 'number' && capUsd >= 0 && Number.isFinite(capUsd))) {
    throw new InvalidOptionsError(
      'capUsd',
      `capUsd is ${String(capUsd)}; use a finite number of US dollars ≥ 0, e.g. createRedisCostLedger({ capUsd: 50, … }).`,
    );
  }
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(name)) {
    throw new InvalidOptionsError(
      'name',
      `Ledger name ${JSON.stringify(name)} is invalid; use 1–128 letters, digits, '_', '.', ':' or '-'.`,
    );
  }
  const timeoutMs = settings.timeoutMs ?? defaultRedisCostLedgerSettings.timeoutMs;
  const prefix = settings.prefix ?? defaultFleetPrefix;
  const totals = `${prefix}:ledger:{${name}}`;
  const reservations = `${prefix}:ledger:{${name}}:reservations`;
  const holder = randomUUID();
  const capMicros = Math.round(capUsd * microsPerUsd);
  const redis = createBlockingRedis(toRedisOptions(settings.connection), timeoutMs);
  let spentMicros = 0;
  let reservedMicros = 0;

  const call = (script: string, keys: string[], args: string[], callTimeoutMs?: number) => {
    try {
      return redis.evalBlocking(script, keys, args, callTimeoutMs);
    } catch (error) {
      throw new LedgerUnavailableError(
        name,
        `The cost ledger '${name}' in Redis could not be reached: ${(error as Error).message} No model call is made without a reservation. Check Redis, or raise timeoutMs.`,
        { cause: error },
      );
    }
  };
  const remember = (spent: unknown, reserved: unknown) => {
    spentMicros = Number(spent ?? 0);
    reservedMicros = Number(reserved ?? 0);
  };

  // The first call also waits for the thread to start and connect.
  const stored = Number(
    call(openScript, [totals], [String(capMicros)], Math.max(timeoutMs, startTimeoutMs)),
  );
  if (stored !== capMicros) {
    void redis.close();
    throw new InvalidOptionsError(
      'capUsd',
      `The ledger '${name}' already has a cap of $${stored / microsPerUsd} in Redis; this process asked for $${capUsd}. Use the same cap in every process, or another ledger name.`,
    );
  }
  const refresh = () => {
    const [spent, reserved] = call(readScript, [totals], []) as [string, string];
    remember(spent, reserved);
  };

  return {
    name,
    capUsd,
    capMicros,
    get spentMicros() {
      refresh();
      return spentMicros;
    },
    get reservedMicros() {
      refresh();
      return reservedMicros;
    },
    get spentUsd() {
      refresh();
      return spentMicros / microsPerUsd;
    },
    get reservedUsd() {
      refresh();
      return reservedMicros / microsPerUsd;
    },
    reserve(key, micros) {
      checkMicros('micros', micros);
      const [granted, spent, reserved] = call(
        reserveScript,
        [totals, reservations],
        [key, String(micros), holder],
      ) as [number, string, string];
      remember(spent, reserved);
      return granted === 1;
    },
    settle(key, actualMicros) {
      checkMicros('actualMicros', actualMicros);
      const [spent, reserved] = call(
        settleScript,
        [totals, reservations],
        [key, String(actualMicros), holder],
      ) as [string, string];
      remember(spent, reserved);
    },
    release(key) {
      const [spent, reserved] = call(settleScript, [totals, reservations], [key, '', holder]) as [
        string,
        string,
      ];
      remember(spent, reserved);
    },
    close: () => redis.close(),
  };
}
