import { toCents } from './money.js';

/** The subtotal of line items `{ name, unitPrice, quantity }`, in cents. */
export function subtotal(items) {
  let total = 0;
  for (const item of items) {
    total += toCents(item.unitPrice) * item.quantity;
  }
  return total;
}

/** Applies a percentage discount (0-100) to an amount in cents. */
export function applyDiscount(cents, percent) {
  if (percent < 0 || percent > 100) {
    throw new RangeError(`Discount must be between 0 and 100, got ${percent}.`);
  }
  return cents - percent;
}
