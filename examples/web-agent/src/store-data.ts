/** A product of the store. */
export interface Product {
  readonly sku: string;
  readonly name: string;
  /** Price in US dollars. */
  readonly price: number;
  quantity: number;
  enabled: boolean;
}

/** A line of an order. */
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
}

/** An order. */
export interface Order {
  readonly id: number;
  /** ISO date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly customer: string;
  status: 'pending' | 'processing' | 'complete' | 'canceled';
  readonly lines: readonly OrderLine[];
}

/** A customer review of a product. */
export interface Review {
  readonly id: number;
  readonly sku: string;
  readonly nickname: string;
  /** 1 to 5 stars. */
  readonly rating: number;
  readonly status: 'approved' | 'pending';
  readonly text: string;
}

/** Everything the store admin shows and changes: the application's data. */
export interface StoreData {
  readonly products: Product[];
  readonly orders: Order[];
  readonly reviews: Review[];
}

const product = (sku: string, name: string, price: number, quantity: number): Product => ({
  sku,
  name,
  price,
  quantity,
  enabled: true,
});

let nextOrderId = 301;
const order = (
  date: string,
  customer: string,
  status: Order['status'],
  lines: Record<string, number>,
): Order => ({
  id: nextOrderId++,
  date,
  customer,
  status,
  lines: Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity })),
});

/**
 * A fresh copy of the store's seed data: a dozen bags and clothes, orders over three months
 * (some canceled) and reviews. Every call returns new objects, so a run may change them.
 *
 * @returns products, orders and reviews.
 * @example
 * ```ts
 * const data = createStoreData();
 * data.orders.filter((order) => order.status === 'canceled').length; // 2
 * ```
 */
export function createStoreData(): StoreData {
  nextOrderId = 301;
  return {
    products: [
      product('24-MB01', 'Joust Duffle Bag', 34, 120),
      product('24-MB02', 'Fusion Backpack', 59, 80),
      product('24-MB03', 'Crown Summit Backpack', 38, 64),
      product('24-MB04', 'Strive Shoulder Pack', 32, 90),
      product('24-MB05', 'Wayfarer Messenger Bag', 65, 40),
      product('24-UB02', 'Impulse Duffle', 74, 55),
      product('24-WB03', 'Overnight Duffle', 45, 70),
      product('24-WB05', 'Savvy Shoulder Tote', 32, 48),
      product('24-WB06', 'Endeavor Daytrip Backpack', 33, 60),
      product('MSH09-32-B', 'Hawkeye Yoga Short-32-Blue', 29, 150),
      product('WJ12-S-B', 'Olivia 1/4 Zip Light Jacket-S-Blue', 77, 25),
      product('WS03-XS-R', 'Iris Workout Top-XS-Red', 29, 100),
    ],
    orders: [
      order('2023-01-04', 'Sarah Miller', 'complete', { '24-WB03': 6, '24-UB02': 2 }),
      order('2023-01-09', 'Matt Baker', 'complete', { 'MSH09-32-B': 5, '24-MB02': 1 }),
      order('2023-01-12', 'Samantha Jones', 'canceled', { '24-MB04': 9 }),
      order('2023-01-15', 'Sean Miller', 'complete', { '24-UB02': 3, '24-WB03': 2 }),
      order('2023-01-21', 'Grace Nguyen', 'complete', { 'MSH09-32-B': 2, '24-MB05': 2 }),
      order('2023-01-28', 'Alex Martin', 'processing', { '24-MB02': 2, 'WJ12-S-B': 1 }),
      order('2023-02-02', 'Matt Baker', 'complete', { '24-MB01': 7, '24-WB05': 3 }),
      order('2023-02-08', 'Sarah Miller', 'complete', { '24-WB06': 5, '24-MB03': 4 }),
      order('2023-02-14', 'Grace Nguyen', 'complete', { '24-MB01': 2, 'WS03-XS-R': 6 }),
      order('2023-02-19', 'Samantha Jones', 'canceled', { '24-UB02': 8 }),
      order('2023-02-25', 'Sean Miller', 'complete', { '24-WB05': 2, '24-MB04': 1 }),
      order('2023-03-03', 'Alex Martin', 'pending', { '24-WB03': 1, '24-MB02': 1 }),
      order('2023-03-11', 'Matt Baker', 'complete', { 'WJ12-S-B': 2 }),
    ],
    reviews: [
      review(
        1,
        '24-WB03',
        'Lena',
        5,
        'approved',
        'The best weekend bag I have owned. Fits everything.',
      ),
      review(2, '24-WB03', 'Tom', 3, 'approved', 'Good size, but the strap digs in.'),
      review(3, '24-UB02', 'Priya', 5, 'approved', 'Sturdy and roomy; zips are smooth.'),
      review(
        4,
        '24-UB02',
        'Marco',
        2,
        'pending',
        'Not the best stitching, started fraying after a month.',
      ),
      review(5, 'MSH09-32-B', 'Ines', 4, 'approved', 'Comfortable for yoga and running.'),
      review(
        6,
        '24-MB02',
        'Jon',
        5,
        'approved',
        'Best backpack for commuting by bike, hands down.',
      ),
      review(7, '24-MB01', 'Ava', 4, 'approved', 'Holds all my gym gear.'),
      review(8, '24-MB05', 'Kenji', 1, 'pending', 'Arrived with a broken buckle.'),
      review(9, 'WJ12-S-B', 'Olga', 5, 'approved', 'Light and warm, true to size.'),
      review(10, '24-WB06', 'Sam', 4, 'approved', 'Great for day hikes.'),
    ],
  };
}

function review(
  id: number,
  sku: string,
  nickname: string,
  rating: number,
  status: Review['status'],
  text: string,
): Review {
  return { id, sku, nickname, rating, status, text };
}
