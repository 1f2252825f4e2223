import { Controller, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientProxyFactory,
  EventPattern,
  Transport,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import { JsonMessage, Message } from 'busline';
import { BuslineClient, BuslineModule, Payload, Subscribe } from 'busline/nest';
import { startEmbeddedBroker } from 'busline/testing';
import { lastValueFrom } from 'rxjs';

@Message('billing.InvoicePaid')
export class InvoicePaid extends JsonMessage {
  invoice = '';
  amount = 0;
}

/** The service already on Busline: takes what the legacy service emits. */
@Injectable()
export class LedgerService {
  readonly paid: string[] = [];

  // What ClientMqtt.emit('invoices/paid', data) sends: { "pattern": ..., "data": ... }.
  @Subscribe('invoices/paid', { envelope: { nest: InvoicePaid } })
  onPaid(@Payload() paid: InvoicePaid): void {
    this.paid.push(`ledger: ${paid.invoice} paid ${paid.amount}`);
  }
}

/** The service still on @nestjs/microservices. */
@Controller()
export class LegacyController {
  readonly reminders: string[] = [];

  @EventPattern('invoices/reminded')
  onReminded(data: { invoice: string }): void {
    this.reminders.push(`legacy: reminder for ${data.invoice}`);
  }
}

export async function main(): Promise<void> {
  // An MQTT broker in this process, for the example; yours has a URL like mqtt://127.0.0.1:1883.
  const broker = await startEmbeddedBroker();

  @Module({
    imports: [BuslineModule.forRoot({ mqtt: { url: broker.url, qos: 1 } })],
    providers: [LedgerService],
  })
  class BuslineAppModule {}
  @Module({ controllers: [LegacyController] })
  class LegacyAppModule {}

  const busline = await NestFactory.createApplicationContext(BuslineAppModule, { logger: false });
  const legacy = await NestFactory.createMicroservice<MicroserviceOptions>(LegacyAppModule, {
    transport: Transport.MQTT,
    options: { url: broker.url },
    logger: false,
  });
  await legacy.listen();
  const legacyClient = ClientProxyFactory.create({
    transport: Transport.MQTT,
    options: { url: broker.url },
  });

  // Legacy -> Busline: ClientMqtt.emit().
  await lastValueFrom(legacyClient.emit('invoices/paid', { invoice: 'F-17', amount: 120 }), {
    defaultValue: undefined,
  });
  const ledger = busline.get(LedgerService);
  await until(() => ledger.paid.length === 1);
  console.log(ledger.paid[0]);

  // Busline -> legacy: the nest envelope is what an @EventPattern handler reads.
  const reminders = legacy.get(LegacyController).reminders;
  const bus = busline.get(BuslineClient);
  const reminder = Object.assign(new InvoicePaid(), { invoice: 'F-18' });
  // (The legacy server subscribes without waiting for the broker's answer: send until it is in.)
  await until(
    () => reminders.length > 0,
    5_000,
    () => bus.publish('invoices/reminded', reminder, { envelope: 'nest' }),
  );
  console.log(reminders[0]);

  legacyClient.close();
  await legacy.close();
  await busline.close();
  await broker.close();
}

/** Resolves once `condition()` holds, calling `retry` every 200 ms meanwhile; rejects after `timeout` ms. */
async function until(
  condition: () => boolean,
  timeout = 5_000,
  retry?: () => Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let next = 0;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeout} ms`);
    if (retry !== undefined && Date.now() >= next) {
      next = Date.now() + 200;
      await retry();
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
