import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStoreData, type StoreData } from './store-data.js';
import { bestsellers, orderMonths, toMonthLabel } from './store-queries.js';

/** A running store admin. */
export interface StoreApp {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The application's data, live: what the pages show and what actions change. */
  readonly data: StoreData;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Options of {@link startStoreApp}. */
export interface StoreAppOptions {
  /** The data to serve. @defaultValue `createStoreData()` */
  readonly data?: StoreData;
  /** @defaultValue 0 (any free port) */
  readonly port?: number;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const money = (amount: number) => `$${amount.toFixed(2)}`;

function layout(title: string, body: string): string {
  const links = [
    ['Dashboard', '/admin'],
    ['Products', '/admin/products'],
    ['Orders', '/admin/orders'],
    ['Reviews', '/admin/reviews'],
    ['Reports', '/admin/reports'],
  ]
    .map(([label, href]) => `<a href="${href}">${label}</a>`)
    .join(' | ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><nav aria-label="Admin menu">${links}</nav><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function orderTotal(data: StoreData, lines: readonly { sku: string; quantity: number }[]): number {
  return lines.reduce(
    (sum, line) =>
      sum + (data.products.find((product) => product.sku === line.sku)?.price ?? 0) * line.quantity,
    0,
  );
}

/** The pages of the admin; returns status, HTML, or a redirect location. */
function route(
  data: StoreData,
  method: string,
  url: URL,
): { status: number; html?: string; location?: string } {
  const path = url.pathname.replace(/\/$/, '') || '/';
  if (path === '/' || path === '/admin') {
    const pending = data.reviews.filter((review) => review.status === 'pending').length;
    return {
      status: 200,
      html: layout(
        'Dashboard',
        `<p>${data.orders.length} orders, ${data.products.length} products, ${pending} reviews awaiting moderation.</p>`,
      ),
    };
  }
  if (path === '/admin/products') {
    const rows = data.products.map((product) => [
      escapeHtml(product.sku),
      escapeHtml(product.name),
      money(product.price),
      String(product.quantity),
      product.enabled ? 'Enabled' : 'Disabled',
    ]);
    return {
      status: 200,
      html: layout('Products', table(['SKU', 'Name', 'Price', 'Quantity', 'Status'], rows)),
    };
  }
  if (path === '/admin/orders') {
    const rows = data.orders.map((order) => [
      `<a href="/admin/orders/${order.id}">#000000${order.id}</a>`,
      order.date,
      escapeHtml(order.customer),
      order.status,
      money(orderTotal(data, order.lines)),
    ]);
    return {
      status: 200,
      html: layout('Orders', table(['Order', 'Date', 'Customer', 'Status', 'Total'], rows)),
    };
  }
  const orderPage = /^\/admin\/orders\/(\d+)(\/cancel)?$/.exec(path);
  if (orderPage !== null) {
    const order = data.orders.find((each) => each.id === Number(orderPage[1]));
    if (order === undefined) return { status: 404, html: layout('Order not found', '') };
    if (orderPage[2] !== undefined) {
      if (method !== 'POST') return { status: 405, html: layout('Use the Cancel button', '') };
      if (order.status === 'pending' || order.status === 'processing') order.status = 'canceled';
      return { status: 303, location: `/admin/orders/${order.id}` };
    }
    const lines = order.lines.map((line) => {
      const product = data.products.find((each) => each.sku === line.sku);
      return [escapeHtml(product?.name ?? line.sku), String(line.quantity)];
    });
    const cancel =
      order.status === 'pending' || order.status === 'processing'
        ? `<form method="post" action="/admin/orders/${order.id}/cancel"><button type="submit">Cancel order</button></form>`
        : '';
    return {
      status: 200,
      html: layout(
        `Order #000000${order.id}`,
        `<p>Customer: ${escapeHtml(order.customer)}. Date: ${order.date}. Status: ${order.status}.</p>${table(['Product', 'Quantity'], lines)}${cancel}`,
      ),
    };
  }
  if (path === '/admin/reviews') {
    const keyword = (url.searchParams.get('q') ?? '').trim();
    const found = data.reviews.filter(
      (review) => keyword === '' || review.text.toLowerCase().includes(keyword.toLowerCase()),
    );
    const rows = found.map((review) => [
      escapeHtml(data.products.find((product) => product.sku === review.sku)?.name ?? review.sku),
      escapeHtml(review.nickname),
      `${review.rating} stars`,
      review.status,
      escapeHtml(review.text),
    ]);
    const form = `<form method="get" action="/admin/reviews"><label>Keyword <input name="q" value="${escapeHtml(keyword)}"></label> <button type="submit">Search</button></form>`;
    const summary =
      keyword === ''
        ? `<p>${found.length} reviews found.</p>`
        : `<p>${found.length} reviews found containing "${escapeHtml(keyword)}".</p>`;
    return {
      status: 200,
      html: layout(
        'Reviews',
        form + summary + table(['Product', 'Nickname', 'Rating', 'Status', 'Review'], rows),
      ),
    };
  }
  if (path === '/admin/reports') {
    return {
      status: 200,
      html: layout(
        'Reports',
        '<ul><li><a href="/admin/reports/bestsellers">Bestsellers</a></li><li><a href="/admin/orders">Orders</a></li></ul>',
      ),
    };
  }
  if (path === '/admin/reports/bestsellers') {
    const months = orderMonths(data);
    const month = url.searchParams.get('month') ?? months.at(-1) ?? '';
    const label = toMonthLabel(month);
    const monthLinks = months
      .map((each) => `<a href="/admin/reports/bestsellers?month=${each}">${toMonthLabel(each)}</a>`)
      .join(' ');
    const rows = bestsellers(data, month).map((row, index) => [
      String(index + 1),
      escapeHtml(row.name),
      escapeHtml(row.sku),
      money(row.price),
      String(row.sold),
    ]);
    return {
      status: 200,
      html: layout(
        `Bestsellers report - ${label}`,
        `<p>Period: ${monthLinks}</p><p>Units sold in ${label}, canceled orders excluded.</p>${table(['Rank', 'Product', 'SKU', 'Price', 'Units sold'], rows)}`,
      ),
    };
  }
  return { status: 404, html: layout('Page not found', `<p>No page at ${escapeHtml(path)}.</p>`) };
}

/**
 * Starts the store admin on loopback: a dashboard, products, orders (with cancellation),
 * reviews with keyword search, and a monthly bestsellers report. Server-rendered HTML with
 * plain links and forms, so a browser agent can read and use every page.
 *
 * @param options - the data and the port.
 * @returns the app's URL, its live data, and `close()`.
 * @example
 * ```ts
 * const app = await startStoreApp();
 * await page.goto(`${app.url}/admin/reviews`);
 * await app.close();
 * ```
 */
export async function startStoreApp(options: StoreAppOptions = {}): Promise<StoreApp> {
  const data = options.data ?? createStoreData();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const answer = route(data, request.method ?? 'GET', url);
    request.resume();
    if (answer.location !== undefined) {
      response.writeHead(answer.status, { location: answer.location });
      response.end();
      return;
    }
    response.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8' });
    response.end(answer.html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    data,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
