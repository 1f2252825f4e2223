import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type BuslineError, JsonMessage, Message } from 'busline';
import {
  BUSLINE_MODULE_OPTIONS,
  BuslineClient,
  BuslineModule,
  type BuslineModuleOptions,
  Payload,
  Subscribe,
} from 'busline/nest';
import { IsNotEmpty } from 'class-validator';

// The application, as it runs in production: on an MQTT broker.
@Message('orders.OrderCreated')
export class OrderCreated extends JsonMessage {
  @IsNotEmpty() id = '';
}

@Injectable()
export class OrdersRepository {
  private readonly orders = new Map<string, OrderCreated>();

  save(order: OrderCreated): void {
    this.orders.set(order.id, order);
  }

  find(id: string): OrderCreated | undefined {
    return this.orders.get(id);
  }
}

@Injectable()
export class OrdersService {
  constructor(private readonly repository: OrdersRepository) {}

  @Subscribe('orders/created')
  onCreated(@Payload() order: OrderCreated): void {
    this.repository.save(order);
  }
}

@Module({
  imports: [BuslineModule.forRoot({ mqtt: { url: 'mqtt://mqtt.example.com:1883', qos: 1 } })],
  providers: [OrdersRepository, OrdersService],
})
export class AppModule {}

// A test of it, on the local transport: in jest, this is the body of an it(...).
export async function main(): Promise<void> {
  const errors: BuslineError[] = [];
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(BUSLINE_MODULE_OPTIONS)
    .useValue({
      local: true,
      onError: (error) => errors.push(error),
    } satisfies BuslineModuleOptions)
    .compile();
  const app = await moduleRef.createNestApplication({ logger: false }).init();
  try {
    const bus = app.get(BuslineClient);
    await bus.publish('orders/created', Object.assign(new OrderCreated(), { id: '42' }));
    await bus.publish('orders/created', new OrderCreated()); // no id: invalid
    await bus.drain();

    // In jest: expect(app.get(OrdersRepository).find('42')).toBeDefined(), and so on.
    console.log(`order 42 stored: ${app.get(OrdersRepository).find('42') !== undefined}`);
    console.log(`errors: ${errors.map((error) => error.name).join(', ')}`);
  } finally {
    await app.close(); // in jest: afterEach(() => app.close())
  }
}
