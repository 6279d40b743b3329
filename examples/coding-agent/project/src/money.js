/**
 * Money is kept in integer cents to avoid floating-point drift.
 */

/** Converts an amount such as 12.5 to cents (1250), rounding half away from zero. */
export function toCents(amount) {
  return Math.sign(amount) * Math.round(Math.abs(amount) * 100);
}

/** Formats cents as a price, e.g. 1250 -> "$12.50". */
export function formatMoney(cents, symbol = '$') {
  const whole = Math.floor(Math.abs(cents) / 100);
  const fraction = String(Math.abs(cents) % 100).padStart(2, '0');
  return `${symbol}${whole}.${fraction}`;
}
