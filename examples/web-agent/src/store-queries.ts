import type { StoreData } from './store-data.js';

/** One row of the bestsellers report. */
export interface BestsellerRow {
  readonly sku: string;
  readonly name: string;
  readonly price: number;
  /** Units sold in the month, canceled orders excluded. */
  readonly sold: number;
}

/**
 * The bestsellers of a month: units sold per product in orders that were not canceled, most
 * sold first (ties by name).
 *
 * @param data - the store's data.
 * @param month - `YYYY-MM`.
 * @returns every product sold that month, ranked.
 * @example
 * ```ts
 * bestsellers(createStoreData(), '2023-01')[0]?.name; // 'Overnight Duffle'
 * ```
 */
export function bestsellers(data: StoreData, month: string): BestsellerRow[] {
  const sold = new Map<string, number>();
  for (const order of data.orders) {
    if (order.status === 'canceled' || !order.date.startsWith(`${month}-`)) continue;
    for (const line of order.lines) sold.set(line.sku, (sold.get(line.sku) ?? 0) + line.quantity);
  }
  return data.products
    .filter((product) => sold.has(product.sku))
    .map((product) => ({
      sku: product.sku,
      name: product.name,
      price: product.price,
      sold: sold.get(product.sku) ?? 0,
    }))
    .sort((a, b) => b.sold - a.sold || a.name.localeCompare(b.name));
}

/** The months that have orders, `YYYY-MM`, oldest first. */
export function orderMonths(data: StoreData): string[] {
  return [...new Set(data.orders.map((order) => order.date.slice(0, 7)))].sort();
}

/** `2023-01` → `Jan 2023`. */
export function toMonthLabel(month: string): string {
  const [year, number] = month.split('-');
  const name = new Date(Date.UTC(Number(year), Number(number) - 1, 1)).toLocaleString('en-US', {
    month: 'short',
    timeZone: 'UTC',
  });
  return `${name} ${year}`;
}
