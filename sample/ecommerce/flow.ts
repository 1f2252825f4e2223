import type { PlacedOrder } from './backend/orders.controller';
import { shortId } from './common/describe-order';
import type { Ecommerce } from './ecommerce';

/** The body of `POST /orders`. */
export interface OrderRequest {
  user: string;
  products: { name: string; price: number }[];
}

/** The orders `npm run sample` places: the Python example's first, then two more. */
export const DEMO_ORDERS: readonly OrderRequest[] = [
  {
    user: 'john.doe@email.com',
    products: [
      { name: 'Keyboard', price: 49.99 },
      { name: 'Mouse', price: 19.99 },
    ],
  },
  { user: 'ada@example.com', products: [{ name: 'Monitor', price: 189.5 }] },
  {
    user: 'grace@example.com',
    products: [
      { name: 'Laptop stand', price: 35 },
      { name: 'USB-C hub', price: 42.9 },
      { name: 'Webcam', price: 64.99 },
    ],
  },
];

/** How long one HTTP request to the backend may take. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Place an order through the backend's `POST /orders`; throws unless it is accepted (202). */
export async function placeOrder(backendUrl: string, order: OrderRequest): Promise<PlacedOrder> {
  const response = await fetch(`${backendUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(order),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await response.text();
  if (response.status !== 202) {
    throw new Error(`POST /orders answered ${response.status} ${response.statusText}: ${body}`);
  }
  return JSON.parse(body) as PlacedOrder;
}

/**
 * What is still missing for every service to have got every order in `placed`, one line per
 * service and order; empty when the flow is complete. The e-mail sender, the supplier notifier
 * and the data processor record the event of each order. The AI model receives a sample (the
 * product count) per order, not the order itself, so it must hold at least one sample per order
 * with that count. Other orders on the broker (say, from a backend run by hand) do not count.
 */
export function missingDeliveries(shop: Ecommerce, placed: readonly PlacedOrder[]): string[] {
  const missing: string[] = [];
  const byEvent = [
    ['ConfirmationEmailSender', shop.emailSender?.outbox],
    ['SupplierNotifier', shop.supplierNotifier?.notices],
    ['DataProcessor', shop.dataProcessor?.forwarded],
  ] as const;
  for (const [service, records] of byEvent) {
    const seen = new Set(records?.map((record) => record.eventId));
    for (const order of placed) {
      if (!seen.has(order.event)) {
        missing.push(`${service} has not got order ${shortId(order.event)} of ${order.user}`);
      }
    }
  }
  const samples = new Map<number, number>();
  for (const value of shop.aiModel?.samples ?? [])
    samples.set(value, (samples.get(value) ?? 0) + 1);
  for (const order of placed) {
    const left = samples.get(order.products) ?? 0;
    if (left > 0) samples.set(order.products, left - 1);
    else {
      missing.push(
        `AIModel has not trained on order ${shortId(order.event)} of ${order.user} (${order.products} products)`,
      );
    }
  }
  return missing;
}

/**
 * Resolves with what is still missing (see {@link missingDeliveries}) once nothing is, or when
 * `timeoutMs` has passed.
 */
export async function waitForDeliveries(
  shop: Ecommerce,
  placed: readonly PlacedOrder[],
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let missing = missingDeliveries(shop, placed);
  while (missing.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    missing = missingDeliveries(shop, placed);
  }
  return missing;
}
