import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createInvoice, renderInvoice } from '../src/invoice.js';

const items = [
  { name: 'Notebook', unitPrice: 4.5, quantity: 4 },
  { name: 'Pen', unitPrice: 1.25, quantity: 8 },
];

test('subtotal without discount or tax', () => {
  assert.equal(createInvoice(items).total, 2800);
});

test('a 10% discount, then 20% tax', () => {
  const invoice = createInvoice(items, { discountPercent: 10, taxRate: 0.2 });
  assert.equal(invoice.discounted, 2520);
  assert.equal(invoice.tax, 504);
  assert.equal(invoice.total, 3024);
});

test('rendering', () => {
  const text = renderInvoice(createInvoice(items, { discountPercent: 10, taxRate: 0.2 }));
  assert.match(text, /Total: \$30\.24/);
});
