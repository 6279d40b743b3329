import { applyDiscount, subtotal } from './cart.js';
import { formatMoney } from './money.js';

/**
 * Builds an invoice. `taxRate` is a fraction (0.2 for 20%); tax is charged on the discounted
 * amount and rounded to the nearest cent.
 */
export function createInvoice(items, { discountPercent = 0, taxRate = 0 } = {}) {
  const gross = subtotal(items);
  const net = applyDiscount(gross, discountPercent);
  const tax = Math.round(net * taxRate);
  return { subtotal: gross, discounted: net, tax, total: net + tax };
}

/** One line per amount, for printing. */
export function renderInvoice(invoice) {
  return [
    `Subtotal: ${formatMoney(invoice.subtotal)}`,
    `After discount: ${formatMoney(invoice.discounted)}`,
    `Tax: ${formatMoney(invoice.tax)}`,
    `Total: ${formatMoney(invoice.total)}`,
  ].join('\n');
}
