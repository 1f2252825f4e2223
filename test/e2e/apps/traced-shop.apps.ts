import type { AddressInfo } from 'node:net';
import { Body, Controller, Injectable, Module, Post, type INestApplication } from '@nestjs/common';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { Message } from '../../../lib/core/message.decorator';
import { JsonMessage } from '../../../lib/core/messages/json.message';
import { PubSubClient } from '../../../lib/core/pubsub-client';
import { Payload } from '../../../lib/nest/decorators/payload.decorator';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { uniquePrefix } from '../../support/mqtt/topics';

/*
 * Two applications of a small shop, for the tracing tests: the storefront takes an HTTP order and
 * publishes it; the warehouse handles it and publishes a follow-up, which the storefront's mailer
 * takes. A failing handler with retries and a dead-letter topic shows failures in the trace.
 */

/** This file's topics, unique per run so a shared broker mixes nothing. */
export const SHOP = (() => {
  const prefix = uniquePrefix('traced-shop');
  return {
    placed: `${prefix}/orders/placed`,
    shipped: `${prefix}/orders/+/shipped`,
    shippedOf: (id: string) => `${prefix}/orders/${id}/shipped`,
    audit: `${prefix}/audit`,
    dead: `${prefix}/dead`,
  };
})();

@Message('traced.OrderPlaced')
export class OrderPlaced extends JsonMessage {
  id = '';
}

@Message('traced.OrderShipped')
export class OrderShippedNotice extends JsonMessage {
  id = '';
}

/**
 * The storefront's HTTP endpoint: starts a SERVER span for the request, as an HTTP
 * instrumentation would, and publishes the order inside it.
 */
@Controller('orders')
export class StorefrontController {
  constructor(private readonly bus: PubSubClient) {}

  @Post()
  async place(@Body() body: { id: string }): Promise<{ traceId: string }> {
    const span = trace.getTracer('test-http').startSpan('POST /orders', { kind: SpanKind.SERVER });
    try {
      await context.with(trace.setSpan(context.active(), span), () =>
        this.bus.publish(SHOP.placed, Object.assign(new OrderPlaced(), { id: body.id })),
      );
      return { traceId: span.spanContext().traceId };
    } finally {
      span.end();
    }
  }
}

/** The storefront's mailer: the third handler of the flow. */
@Injectable()
export class Mailer {
  readonly mailed: string[] = [];

  @Subscribe(SHOP.shipped)
  onShipped(@Payload() notice: OrderShippedNotice): void {
    this.mailed.push(notice.id);
  }
}

@Module({ controllers: [StorefrontController], providers: [Mailer] })
export class StorefrontModule {}

/** The warehouse: ships what is placed, and audits it with a handler that may fail. */
@Injectable()
export class Warehouse {
  readonly attempts = new Map<string, number>();

  constructor(private readonly bus: PubSubClient) {}

  @Subscribe(SHOP.placed)
  async onPlaced(@Payload() order: OrderPlaced): Promise<void> {
    await this.bus.publish(
      SHOP.shippedOf(order.id),
      Object.assign(new OrderShippedNotice(), { id: order.id }),
    );
  }

  /** Ids starting with 'flaky' fail once, with 'bad' always (two retries, then dead letter). */
  @Subscribe(SHOP.placed, { retry: { retries: 2, delay: 1 }, deadLetter: SHOP.dead })
  onAudit(@Payload() order: OrderPlaced): void {
    const attempt = (this.attempts.get(order.id) ?? 0) + 1;
    this.attempts.set(order.id, attempt);
    if (order.id.startsWith('bad') || (order.id.startsWith('flaky') && attempt === 1)) {
      throw new Error(`cannot audit ${order.id} (attempt ${attempt})`);
    }
  }
}

@Module({ providers: [Warehouse] })
export class WarehouseModule {}

/**
 * POST an order to the storefront (an application listening on 127.0.0.1); resolves with the
 * trace id its controller answers with.
 */
export async function placeOrder(storefront: INestApplication, id: string): Promise<string> {
  const { port } = storefront.getHttpServer().address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { traceId: string }).traceId;
}
