import { Controller, Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, EventPattern, Transport, type ClientProxy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { Payload } from '../../../lib/nest/decorators/payload.decorator';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import type { RawJsonMessage } from '../../../lib/core/messages/raw-json.message';
import { OrderCreated } from './orders.messages';
import { NS } from './topics';

/*
 * A service still on `@nestjs/microservices` MQTT (`ClientMqtt.emit()`, `@EventPattern`) and a
 * Busline service on the same broker, exchanging events both ways while a team moves one service
 * at a time. Only APIs NestJS 11 and 12 both have.
 */

export const LEGACY_TOPICS = {
  /** Emitted by the legacy service, taken by Busline as OrderCreated. */
  created: `${NS}/legacy/orders/created`,
  /** Emitted by the legacy service, taken by a Busline handler without envelope option. */
  noted: `${NS}/legacy/notes`,
  /** Published by Busline in the nest envelope, taken by `@EventPattern`. */
  shipped: `${NS}/legacy/orders/shipped`,
} as const;

export const LEGACY_CLIENT = 'LEGACY_MQTT';

/** The legacy side: an `@EventPattern` handler, and a client that emits. */
@Controller()
export class LegacyController {
  readonly shipped: unknown[] = [];

  constructor(@Inject(LEGACY_CLIENT) private readonly client: ClientProxy) {}

  @EventPattern(LEGACY_TOPICS.shipped)
  onShipped(data: unknown): void {
    this.shipped.push(data);
  }

  /** What the legacy service does: `ClientMqtt.emit(pattern, data)`. */
  emit(pattern: string, data: unknown): Promise<unknown> {
    return lastValueFrom(this.client.emit(pattern, data), { defaultValue: undefined });
  }
}

/** The legacy application's module, its MQTT client pointed at `url`. */
export function legacyModule(url: string): DynamicModule {
  @Module({})
  class LegacyModule {}
  return {
    module: LegacyModule,
    imports: [
      ClientsModule.register([
        { name: LEGACY_CLIENT, transport: Transport.MQTT, options: { url } },
      ]),
    ],
    controllers: [LegacyController],
  };
}

/** The Busline side: takes what the legacy service emits. */
@Injectable()
export class MigratedConsumer {
  readonly created: OrderCreated[] = [];
  readonly noted: RawJsonMessage[] = [];

  @Subscribe(LEGACY_TOPICS.created, { envelope: { nest: OrderCreated } })
  onCreated(@Payload() order: OrderCreated): void {
    this.created.push(order);
  }

  /** No envelope option: the default tells the Nest packet apart by itself. */
  @Subscribe(LEGACY_TOPICS.noted)
  onNoted(@Payload() note: RawJsonMessage): void {
    this.noted.push(note);
  }
}

@Module({ providers: [MigratedConsumer] })
export class MigratedConsumerModule {}
