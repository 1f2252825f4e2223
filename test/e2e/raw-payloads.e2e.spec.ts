import type { MqttClient } from 'mqtt';
import type { Event } from '../../lib/core/event';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { InboundDecodeError } from '../../lib/mqtt/errors/inbound-decode.error';
import { MessageValidationError } from '../../lib/nest/errors/message-validation.error';
import { DeadLetterMessage } from '../../lib/nest/messages/dead-letter.message';
import { rawClient } from '../support/mqtt/raw-client';
import {
  Reading,
  SENSOR_TOPICS,
  SensorsConsumer,
  SensorsConsumerModule,
} from './apps/sensors.consumer';
import { TOPICS } from './apps/topics';
import { closeApps } from './support/harness';
import { reportingApp } from './support/reporting-app';
import { localProfile, mqttProfile } from './support/transports';
import { waitFor } from './support/wait';

/*
 * A sensor that knows nothing of Busline publishes plain JSON; a NestJS app takes it with
 * `@Subscribe(..., { envelope: { raw: Reading } })`, validated like any payload.
 */

jest.setTimeout(30_000);

const profile = mqttProfile();
let sensor: MqttClient;

beforeAll(async () => {
  await profile.setup();
  const { url } = profile.options().mqtt as { url: string };
  sensor = await rawClient(url);
});
afterAll(async () => {
  await sensor.endAsync();
  await profile.teardown();
});
afterEach(() => closeApps());

const { reported, start } = reportingApp(profile, SensorsConsumerModule);

it('a plain JSON reading reaches the handler as a Reading, with its room from the topic', async () => {
  const { app, logger } = await start();
  await sensor.publishAsync(SENSOR_TOPICS.of('kitchen'), '{"celsius": 21.5}', { qos: 1 });

  const consumer = app.get(SensorsConsumer);
  await waitFor(() => consumer.readings.length === 1, 'the reading');
  const [{ room, reading }] = consumer.readings;
  expect(room).toBe('kitchen');
  expect(reading).toBeInstanceOf(Reading);
  expect(reading.celsius).toBe(21.5);
  expect(reported).toEqual([]);
  // Both handlers of the filter, which ask for the same envelope: no warning about options.
  await waitFor(() => consumer.rooms.length === 1, 'the second handler');
  expect(consumer.rooms).toEqual(['kitchen']);
  expect(logger.busline('warn')).toEqual([]);
});

it('invalid JSON and an invalid reading are reported (the invalid reading dead-lettered) and the next reading arrives', async () => {
  const { app } = await start({ deadLetter: TOPICS.dead });
  const letters: Event<DeadLetterMessage>[] = [];
  await app.get(PubSubClient).subscribe<DeadLetterMessage>(TOPICS.dead, (_topic, event) => {
    letters.push(event);
  });
  await sensor.publishAsync(SENSOR_TOPICS.of('hall'), '{"celsius": ', { qos: 1 });
  await sensor.publishAsync(SENSOR_TOPICS.of('hall'), '{"celsius": 999}', { qos: 1 });
  await sensor.publishAsync(SENSOR_TOPICS.of('hall'), '{"celsius": 18}', { qos: 1 });

  const consumer = app.get(SensorsConsumer);
  await waitFor(() => consumer.readings.length === 1, 'the valid reading');
  expect(consumer.readings[0]).toMatchObject({ room: 'hall', reading: { celsius: 18 } });
  await waitFor(() => reported.length === 2, 'both reports');
  const [notJson, invalid] = reported.map((r) => r.error);
  expect(notJson).toBeInstanceOf(InboundDecodeError);
  expect((notJson as InboundDecodeError).topic).toBe(SENSOR_TOPICS.of('hall'));
  expect(invalid).toBeInstanceOf(MessageValidationError);
  expect((invalid as MessageValidationError).violations).toEqual([
    'celsius: celsius must not be greater than 60',
  ]);
  await waitFor(() => letters.length === 1, 'the dead letter');
  expect(letters[0].payload).toMatchObject({
    topic: SENSOR_TOPICS.of('hall'),
    handler: 'SensorsConsumer.onReading',
    error: 'MessageValidationError',
    messageType: 'e2e.Reading',
  });
});

describe('on the local transport, which carries the published object itself', () => {
  const local = reportingApp(localProfile, SensorsConsumerModule);

  it('a raw subscription and a raw publish work as any other, validation included', async () => {
    const { app } = await local.start();
    const bus = app.get(PubSubClient);
    const reading = (celsius: number) => Object.assign(new Reading(), { celsius });
    await bus.publish(SENSOR_TOPICS.of('porch'), reading(99), { envelope: 'raw' });
    await bus.publish(SENSOR_TOPICS.of('porch'), reading(8), { envelope: 'raw' });

    const consumer = app.get(SensorsConsumer);
    await waitFor(() => consumer.readings.length === 1, 'the valid reading');
    expect(consumer.readings[0]).toMatchObject({ room: 'porch', reading: { celsius: 8 } });
    await waitFor(() => local.reported.length === 1, 'the invalid reading reported');
    expect(local.reported[0].error).toBeInstanceOf(MessageValidationError);
  });
});
