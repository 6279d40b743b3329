import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../scripts/thrown-by.js';
import { createCostLedger } from './cost-ledger.js';

describe('createCostLedger', () => {
  it('takes a cap of $0 (nothing may be spent) and refuses anything but a finite number ≥ 0', () => {
    const zero = createCostLedger({ capUsd: 0 });
    expect(zero.capMicros).toBe(0);
    expect(zero.reserve('call', 1)).toBe(false);
    expect(zero.reserve('free', 0)).toBe(true);
    for (const capUsd of [-0.01, Number.NaN, Number.POSITIVE_INFINITY, '4', undefined]) {
      const error = thrownBy(() => createCostLedger({ capUsd } as never));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect((error as InvalidOptionsError).field).toBe('capUsd');
      expect((error as Error).message).toBe(
        `capUsd is ${String(capUsd)}; use a finite number of US dollars ≥ 0, e.g. createCostLedger({ capUsd: 4 }).`,
      );
    }
    // No options at all: the same typed error, not a TypeError.
    expect(thrownBy(() => createCostLedger(undefined as never))).toBeInstanceOf(
      InvalidOptionsError,
    );
  });

  it('replaces a reservation made again under the same key: $2 then $4 under a $5 cap', () => {
    const ledger = createCostLedger({ capUsd: 5 });
    expect(ledger.reserve('call-1', 2_000_000)).toBe(true);
    // The $2 is given back first: $4 outstanding, not $6.
    expect(ledger.reserve('call-1', 4_000_000)).toBe(true);
    expect(ledger.reservedMicros).toBe(4_000_000);
    expect(ledger.reservedUsd).toBe(4);
    // $4 outstanding + $1.5 > $5.
    expect(ledger.reserve('call-2', 1_500_000)).toBe(false);
    expect(ledger.reserve('call-2', 1_000_000)).toBe(true);
    expect(ledger.reservedUsd).toBe(5);
  });

  it('settles and releases only what was reserved; unknown keys change no reservation', () => {
    const ledger = createCostLedger({ capUsd: 3 });
    ledger.release('never-reserved');
    expect(ledger.reservedMicros).toBe(0);
    ledger.settle('never-reserved', 250_000);
    expect(ledger.spentMicros).toBe(250_000);
    expect(ledger.reservedMicros).toBe(0);
    expect(ledger.reserve('call-1', 2_500_000)).toBe(true);
    expect(ledger.reservedUsd).toBe(2.5);
    ledger.settle('call-1', 1_000_000);
    expect(ledger.spentUsd).toBe(1.25);
    expect(ledger.reservedMicros).toBe(0);
    // Settling the same key again spends again but frees nothing more.
    ledger.settle('call-1', 500_000);
    expect(ledger.spentMicros).toBe(1_750_000);
    expect(ledger.reservedMicros).toBe(0);
  });
});
