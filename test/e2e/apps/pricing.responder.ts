import { Inject, Injectable, Module, Optional } from '@nestjs/common';
import type { StringMessage } from '../../../lib/core/messages/string.message';
import { Payload } from '../../../lib/nest/decorators/payload.decorator';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { PRICING, Quote, QuoteRequest } from './pricing.messages';

/** The name a responder app puts in its pool replies. */
export const RESPONDER_NAME = 'RESPONDER_NAME';

const PRICES: Record<string, number> = { apple: 30, pear: 45 };

/** Answers requests with the return values of its `@Subscribe` methods. */
@Injectable()
export class PricingResponder {
  readonly pooled: string[] = [];

  constructor(@Optional() @Inject(RESPONDER_NAME) private readonly name = 'responder') {}

  /** The reply is the returned message; an unknown product throws (an error reply). */
  @Subscribe(PRICING.quote)
  async quote(@Payload() request: QuoteRequest): Promise<Quote> {
    const price = PRICES[request.sku];
    if (price === undefined) throw new RangeError(`no price for '${request.sku}'`);
    return Object.assign(new Quote(), { sku: request.sku, cents: price * request.quantity });
  }

  /** Returns nothing: no reply. */
  @Subscribe(PRICING.silent)
  silent(): void {}

  /** One of a shared-subscription group: each request reaches one member. */
  @Subscribe(PRICING.pool, { group: 'pricing' })
  pool(@Payload() job: StringMessage): string {
    this.pooled.push(job.value);
    return `${this.name} did ${job.value}`;
  }
}

/** The responder app's module (BuslineModule is imported by the test, with its transport). */
@Module({ providers: [PricingResponder] })
export class PricingResponderModule {}

/** Several methods on one topic: the first result that is not undefined is the reply. */
@Injectable()
export class SharedFilterResponder {
  readonly calls: string[] = [];

  @Subscribe(PRICING.shared)
  audit(): void {
    this.calls.push('audit');
  }

  @Subscribe(PRICING.shared)
  answer(): string {
    this.calls.push('answer');
    return 'from answer';
  }

  @Subscribe(PRICING.shared)
  async late(): Promise<string> {
    this.calls.push('late');
    return 'from late';
  }
}
