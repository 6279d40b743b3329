import { ReinsError } from '@reins/core';

/** The Redis cost ledger could not answer in time: no model call is let through unreserved. */
export class LedgerUnavailableError extends ReinsError {
  /** The ledger's name. */
  readonly ledger: string;

  constructor(ledger: string, message: string, options?: { cause?: unknown }) {
    super('ledger-unavailable', message, options);
    this.name = 'LedgerUnavailableError';
    this.ledger = ledger;
  }

  /** Whether `value` is a {@link LedgerUnavailableError}. */
  static override isInstance(value: unknown): value is LedgerUnavailableError {
    return ReinsError.isInstance(value) && value.code === 'ledger-unavailable';
  }
}
