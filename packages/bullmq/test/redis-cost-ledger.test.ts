import { randomUUID } from 'node:crypto';
import { InvalidOptionsError } from '@reins/core';
import { describe, expect, inject, it } from 'vitest';
import { createRedisCostLedger } from '../src/redis-cost-ledger.js';

const url = inject('redisUrl');

describe('createRedisCostLedger', () => {
  it('holds two processes’ worth of ledgers under one cap', async () => {
    const name = `cap-${randomUUID()}`;
    const first = createRedisCostLedger({ connection: url, name, capUsd: 5 });
    const second = createRedisCostLedger({ connection: url, name, capUsd: 5 });
    expect(first.reserve('a', 3_000_000)).toBe(true);
    expect(second.reserve('b', 3_000_000)).toBe(false);
    expect(second.reservedMicros).toBe(3_000_000);
    first.settle('a', 1_000_000);
    expect(second.reserve('b', 3_000_000)).toBe(true);
    expect(second.spentMicros).toBe(1_000_000);
    second.release('b');
    expect(first.reservedMicros).toBe(0);
    await Promise.all([first.close(), second.close()]);
  });

  it('charges in full a reservation left by a process that lost the run', async () => {
    const name = `orphan-${randomUUID()}`;
    const killed = createRedisCostLedger({ connection: url, name, capUsd: 1 });
    const next = createRedisCostLedger({ connection: url, name, capUsd: 1 });
    expect(killed.reserve('run#3', 400_000)).toBe(true);
    await killed.close();
    // The resumed run reserves the same call again: the first reservation counts as spent.
    expect(next.reserve('run#3', 400_000)).toBe(true);
    expect(next.spentMicros).toBe(400_000);
    expect(next.reservedMicros).toBe(400_000);
    expect(next.reserve('run#4', 300_000)).toBe(false);
    await next.close();
  });

  it('refuses a cap that differs from the one in Redis, and bad amounts', async () => {
    const name = `mismatch-${randomUUID()}`;
    const ledger = createRedisCostLedger({ connection: url, name, capUsd: 2 });
    expect(() => createRedisCostLedger({ connection: url, name, capUsd: 3 })).toThrow(
      /already has a cap of \$2/,
    );
    let error: unknown;
    try {
      ledger.reserve('x', 1.5);
    } catch (caught) {
      error = caught;
    }
    expect(InvalidOptionsError.isInstance(error)).toBe(true);
    await ledger.close();
  });
});
