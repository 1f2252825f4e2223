import { Injectable, Module, Scope } from '@nestjs/common';
import { Payload } from '../../../lib/nest/decorators/payload.decorator';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { deferred } from '../support/wait';
import { OrderShipped } from './orders.messages';
import { TOPICS } from './topics';

/** Receives what producers publish while the application starts. */
@Injectable()
export class BootConsumer {
  readonly ids: string[] = [];

  @Subscribe([TOPICS.boot, TOPICS.init])
  onBoot(@Payload('id') id: string): void {
    this.ids.push(id);
  }
}

/** A handler that holds each event until the test opens the gate. */
@Injectable()
export class SlowConsumer {
  readonly started: string[] = [];
  readonly finished: string[] = [];
  gate = deferred();

  @Subscribe(TOPICS.slow)
  async onSlow(@Payload() shipped: OrderShipped): Promise<void> {
    this.started.push(shipped.id);
    await this.gate.promise;
    this.finished.push(shipped.id);
  }
}

/** The same slow handler twice: one event at a time (the default), and two at once. */
@Injectable()
export class ConcurrentConsumer {
  readonly started: string[] = [];
  readonly gate = deferred();

  @Subscribe(`${TOPICS.slow}/serial`)
  async onSerial(@Payload() shipped: OrderShipped): Promise<void> {
    this.started.push(`serial:${shipped.id}`);
    await this.gate.promise;
  }

  @Subscribe(`${TOPICS.slow}/parallel`, { concurrency: 2 })
  async onParallel(@Payload() shipped: OrderShipped): Promise<void> {
    this.started.push(`parallel:${shipped.id}`);
    await this.gate.promise;
  }
}

@Module({ providers: [BootConsumer, SlowConsumer] })
export class LifecycleConsumerModule {}

/** A request-scoped provider cannot subscribe: there is no request when events arrive. */
@Injectable({ scope: Scope.REQUEST })
export class RequestScopedConsumer {
  @Subscribe(TOPICS.notes)
  onNote(): void {}
}

/** A transient provider cannot subscribe: it has no single instance. */
@Injectable({ scope: Scope.TRANSIENT })
export class TransientConsumer {
  @Subscribe(TOPICS.notes)
  onNote(): void {}
}
