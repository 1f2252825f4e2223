import type { Order } from '../orders/order.messages';

/** `Keyboard 49.99, Mouse 19.99`: an order's products, for log lines. */
export function describeProducts(order: Order): string {
  return order.products.map((product) => `${product.name} ${product.price.toFixed(2)}`).join(', ');
}

/** The first characters of an event identifier, enough to tell events apart in log lines. */
export function shortId(identifier: string): string {
  return identifier.slice(0, 8);
}
