import { Injectable } from '@nestjs/common';
import type { Event } from '../../../lib/core/event';
import type { StringMessage } from '../../../lib/core/messages/string.message';
import { BuslineClient } from '../../../lib/nest/busline.client';
import { PRICING, Quote, QuoteRequest } from './pricing.messages';

/** Makes requests through the injected client. */
@Injectable()
export class PricingRequester {
  constructor(private readonly bus: BuslineClient) {}

  /** The price of `quantity` units of `sku`, from whichever app answers. */
  async quote(sku: string, quantity: number, timeout = 10_000): Promise<Quote> {
    const reply = await this.bus.request(PRICING.quote, QuoteRequest.of(sku, quantity), {
      timeout,
    });
    return reply.payload as Quote;
  }

  /** A request on a topic whose handler returns nothing. */
  silent(timeout: number): Promise<Event> {
    return this.bus.request(PRICING.silent, 'anyone?', { timeout });
  }

  /** A job for the shared pool. */
  async pool(job: string): Promise<string> {
    const reply = await this.bus.request(PRICING.pool, job, { timeout: 10_000 });
    return (reply.payload as StringMessage).value;
  }

  /** Requests that reached no handler so far and whose replies came after all. */
  get lateReplies(): number {
    return this.bus.lateReplies;
  }
}
