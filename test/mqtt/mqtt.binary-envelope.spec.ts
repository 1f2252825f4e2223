import { Event } from '../../lib/core/event';
import { StringMessage } from '../../lib/core/messages/string.message';
import { registryPassthroughEventBinarySerializer } from '../../lib/core/wire/registry-passthrough-event.binary';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { capture, rawClient } from '../support/mqtt/raw-client';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/*
 * A publisher may opt into the binary envelope; a subscriber with the default deserializer reads
 * it and the JSON envelope alike, so Python publishers and TypeScript ones can share a topic.
 */

jest.setTimeout(30_000);

let broker: TestBroker;
const cleanup = new Cleanup();

beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(() => broker.close());
afterEach(() => cleanup.run());

it('one default subscriber takes JSON-envelope and binary-envelope events from one topic', async () => {
  const topic = `${uniquePrefix('envelopes')}/orders`;
  const subscriber = cleanup.connector(new MqttSubscriber({ url: broker.url }));
  const jsonPublisher = cleanup.connector(new MqttPublisher({ url: broker.url }));
  const binaryPublisher = cleanup.connector(
    new MqttPublisher({ url: broker.url, serializer: registryPassthroughEventBinarySerializer }),
  );
  await Promise.all([subscriber.connect(), jsonPublisher.connect(), binaryPublisher.connect()]);
  const got: Event[] = [];
  await subscriber.subscribe(topic, (_topic, event) => void got.push(event), { qos: 1 });

  const sentJson = await jsonPublisher.publish(topic, 'from json', { qos: 1 });
  const sentBinary = await binaryPublisher.publish(topic, 'from binary', { qos: 1 });
  await waitUntil(() => got.length === 2, { what: 'both events' });

  const byId = new Map(got.map((event) => [event.identifier, event]));
  for (const [sent, text] of [
    [sentJson, 'from json'],
    [sentBinary, 'from binary'],
  ] as const) {
    const event = byId.get(sent.identifier)!;
    expect(event.payload).toBeInstanceOf(StringMessage);
    expect((event.payload as StringMessage).value).toBe(text);
    expect(event.publisherIdentifier).toBe(sent.publisherIdentifier);
    expect(event.timestamp.getTime()).toBe(sent.timestamp.getTime());
  }
});

it('the binary envelope goes on the wire as such: marker byte, payload bytes without base64', async () => {
  const topic = `${uniquePrefix('envelopes')}/raw`;
  const raw = cleanup.add(await rawClient(broker.url), (client) => client.endAsync());
  const received = await capture(raw, topic);
  const publisher = cleanup.connector(
    new MqttPublisher({ url: broker.url, serializer: registryPassthroughEventBinarySerializer }),
  );
  await publisher.connect();
  const text = 'x'.repeat(1000);
  await publisher.publishEvent(
    topic,
    new Event({ publisherIdentifier: 'p', payload: new StringMessage(text) }),
    { qos: 1 },
  );
  await waitUntil(() => received.messages.length === 1, { what: 'the message' });
  const [bytes] = received.on(topic);
  expect(bytes[0]).toBe(0xb5);
  expect(bytes.includes(Buffer.from(text))).toBe(true);
  expect(bytes.length).toBeLessThan(text.length + 150);
});
