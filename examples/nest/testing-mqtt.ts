import { Test } from '@nestjs/testing';
import { BUSLINE_MODULE_OPTIONS, BuslineClient } from 'busline/nest';
import { startEmbeddedBroker } from 'busline/testing';
import { AppModule, OrderCreated, OrdersRepository } from './testing';

// The same test against MQTT, on a broker started in the test process.
export async function main(): Promise<void> {
  const broker = await startEmbeddedBroker();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(BUSLINE_MODULE_OPTIONS)
    .useValue({ mqtt: { url: broker.url } })
    .compile();
  const app = await moduleRef.createNestApplication().init();
  try {
    const bus = app.get(BuslineClient);
    const repository = app.get(OrdersRepository);
    await bus.publish('orders/created', Object.assign(new OrderCreated(), { id: '42' }));

    // drain() cannot see what is still on the wire: wait for the effect instead.
    const deadline = Date.now() + 5_000;
    while (repository.find('42') === undefined) {
      if (Date.now() > deadline) throw new Error('order 42 was not stored');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    console.log(`order 42 stored: ${repository.find('42') !== undefined}`);
  } finally {
    await app.close();
    await broker.close();
  }
}
