import { Injectable, Module } from '@nestjs/common';
import { Payload } from '../../../lib/nest/decorators/payload.decorator';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { OrderShipped } from './orders.messages';
import { TOPICS } from './topics';

/**
 * Handlers that fail on purpose: ids starting with 'bad' make the async one reject and ids
 * starting with 'throw' make the sync one throw; on the flaky topic the carrier says how many
 * attempts fail before one succeeds.
 */
@Injectable()
export class FailingConsumer {
  readonly handled: string[] = [];
  readonly attempts = new Map<string, number>();

  @Subscribe(TOPICS.fail)
  async onAsync(@Payload() shipped: OrderShipped): Promise<void> {
    await Promise.resolve();
    if (shipped.id.startsWith('bad')) throw new Error(`cannot ship ${shipped.id}`);
    this.handled.push(`async:${shipped.id}`);
  }

  @Subscribe(TOPICS.fail)
  onSync(@Payload() shipped: OrderShipped): void {
    if (shipped.id.startsWith('throw')) throw new TypeError(`sync failure on ${shipped.id}`);
    this.handled.push(`sync:${shipped.id}`);
  }

  @Subscribe(TOPICS.flaky, { retry: { retries: 3, delay: 5, factor: 2 } })
  async onFlaky(@Payload() shipped: OrderShipped): Promise<void> {
    const attempt = (this.attempts.get(shipped.id) ?? 0) + 1;
    this.attempts.set(shipped.id, attempt);
    if (attempt <= Number(shipped.carrier)) throw new Error(`attempt ${attempt} of ${shipped.id}`);
    this.handled.push(`flaky:${shipped.id}`);
  }
}

@Module({ providers: [FailingConsumer] })
export class FailingConsumerModule {}
