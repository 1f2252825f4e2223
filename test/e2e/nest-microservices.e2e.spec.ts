import type { INestApplication } from '@nestjs/common';
import { Transport } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { RawJsonMessage } from '../../lib/core/messages/raw-json.message';
import { MessageValidationError } from '../../lib/nest/errors/message-validation.error';
import {
  LEGACY_TOPICS,
  LegacyController,
  legacyModule,
  MigratedConsumer,
  MigratedConsumerModule,
} from './apps/legacy.microservice';
import { OrderCreated, OrderShipped } from './apps/orders.messages';
import { closeApps } from './support/harness';
import { RecordingLogger } from './support/recording-logger';
import { reportingApp } from './support/reporting-app';
import { mqttProfile } from './support/transports';
import { waitFor } from './support/wait';

/*
 * A @nestjs/microservices MQTT app and a Busline app on one broker: what `ClientMqtt.emit()`
 * sends reaches `@Subscribe` handlers, and what Busline publishes with `envelope: 'nest'` reaches
 * `@EventPattern` handlers.
 */

jest.setTimeout(30_000);

const profile = mqttProfile();
let legacy: INestApplication | undefined;

beforeAll(() => profile.setup());
afterAll(() => profile.teardown());
afterEach(async () => {
  await closeApps();
  await legacy?.close();
  legacy = undefined;
});

const { reported, start: migratedApp } = reportingApp(profile, MigratedConsumerModule);

/** Call `attempt` until `done()` turns true within 250 ms of one of them (at most 40 times). */
async function untilTrue(
  attempt: () => Promise<unknown>,
  done: () => boolean,
  what: string,
): Promise<void> {
  for (let attempts = 0; attempts < 40; attempts++) {
    await attempt();
    try {
      await waitFor(done, what, 250);
      return;
    } catch {
      // Not there yet: try again.
    }
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The legacy app: `connectMicroservice` with the MQTT transport, and its MQTT client. */
async function legacyApp(): Promise<LegacyController> {
  const { url } = profile.options().mqtt as { url: string };
  const moduleRef = await Test.createTestingModule({ imports: [legacyModule(url)] })
    .setLogger(new RecordingLogger())
    .compile();
  legacy = moduleRef.createNestApplication();
  legacy.connectMicroservice({ transport: Transport.MQTT, options: { url } });
  await legacy.startAllMicroservices();
  await legacy.init();
  return legacy.get(LegacyController);
}

it('what ClientMqtt.emit() sends reaches @Subscribe handlers, validated as their class', async () => {
  const { app } = await migratedApp();
  const legacyService = await legacyApp();

  await legacyService.emit(LEGACY_TOPICS.created, { id: '', lines: [] });
  await legacyService.emit(LEGACY_TOPICS.created, {
    id: 'o-7',
    lines: [{ sku: 'lamp', quantity: 2 }],
  });
  await legacyService.emit(LEGACY_TOPICS.noted, { text: 'gift wrap', priority: 2 });

  const consumer = app.get(MigratedConsumer);
  await waitFor(() => consumer.created.length === 1 && consumer.noted.length === 1, 'both events');
  expect(consumer.created[0]).toEqual(OrderCreated.of('o-7', ['lamp', 2]));
  expect(consumer.noted[0]).toEqual(new RawJsonMessage({ text: 'gift wrap', priority: 2 }));
  await waitFor(() => reported.length === 1, 'the invalid order reported');
  expect(reported[0].error).toBeInstanceOf(MessageValidationError);
  expect(reported[0].context).toMatchObject({ binding: 'MigratedConsumer.onCreated' });
});

it("what Busline publishes with envelope 'nest' reaches an @EventPattern handler", async () => {
  const { app } = await migratedApp();
  const legacyService = await legacyApp();
  const bus = app.get(PubSubClient);

  // ServerMqtt does not wait for its SUBACK before reporting itself started: send a probe until
  // one arrives, each after the previous one had a while to do so.
  await untilTrue(
    () => bus.publish(LEGACY_TOPICS.shipped, OrderShipped.of('probe'), { envelope: 'nest' }),
    () => legacyService.shipped.length > 0,
    'the @EventPattern subscription',
  );
  const before = legacyService.shipped.length;
  await bus.publish(LEGACY_TOPICS.shipped, OrderShipped.of('o-8', 'bike courier'), {
    envelope: 'nest',
    qos: 1,
  });

  await waitFor(
    () => legacyService.shipped.some((data) => (data as { id?: string }).id === 'o-8'),
    'the shipment at the legacy service',
  );
  expect(legacyService.shipped.slice(before)).toContainEqual({
    id: 'o-8',
    carrier: 'bike courier',
  });
});
