import type { MqttClient } from 'mqtt';
import { Event } from '../../lib/core/event';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import {
  expectFixturePayload,
  fixtureBytes,
  fixtureFiles,
  fixturePayload,
  instantOf,
  manifest,
  pythonUtcText,
  splitTimestamp,
  type FixtureCase,
  type Tagged,
} from '../support/python-fixtures';
import { capture, rawClient } from '../support/mqtt/raw-client';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/*
 * A Python Busline service and this library on one broker: the bytes MqttPublisher puts on the
 * wire are py-busline's (test/fixtures/py-busline-wire, captured from the Python library), and
 * MqttSubscriber reads every file py-busline wrote, delivered through a real broker.
 */

jest.setTimeout(30_000);

let broker: TestBroker;
let raw: MqttClient;
const cleanup = new Cleanup();

beforeAll(async () => {
  broker = await startTestBroker();
  raw = await rawClient(broker.url);
});
afterAll(async () => {
  await raw.endAsync();
  await broker.close();
});
afterEach(() => cleanup.run());

const eventCases = manifest.cases.filter((c) => c.kind === 'event');

it('the manifest describes every fixture file', () => {
  expect(manifest.cases.map((c) => c.file).sort()).toEqual(fixtureFiles().sort());
  expect(eventCases.length).toBe(13);
});

it('MqttPublisher puts the bytes py-busline puts on the wire for the same events', async () => {
  const prefix = uniquePrefix('interop-out');
  const received = await capture(raw, `${prefix}/#`);
  const publisher = cleanup.connector(new MqttPublisher({ url: broker.url }));
  await publisher.connect();

  for (const fixture of eventCases) {
    const timestamp = (fixture.expected.timestamp as Tagged).value;
    const event = new Event({
      identifier: fixture.expected.identifier as string,
      publisherIdentifier: fixture.expected.publisher_identifier,
      payload: fixturePayload(fixture),
      timestamp: new Date(instantOf(timestamp)),
    });
    await publisher.publishEvent(`${prefix}/${fixture.name}`, event, { qos: 1 });
  }
  await waitUntil(() => received.messages.length === eventCases.length, {
    what: 'every published fixture event',
  });

  for (const fixture of eventCases) {
    const [ours] = received.on(`${prefix}/${fixture.name}`);
    const theirs = fixtureBytes(fixture);
    const mine = splitTimestamp(ours.toString('latin1'));
    const python = splitTimestamp(theirs.toString('latin1'));
    // Everything but the timestamp's text is byte for byte py-busline's...
    expect({ fixture: fixture.name, bytes: mine.rest }).toEqual({
      fixture: fixture.name,
      bytes: python.rest,
    });
    // ...and the timestamp is the same instant (to the millisecond), written as Python writes an
    // aware UTC datetime (py-busline's own publish() writes naive local time).
    expect(mine.timestamp).toBe(pythonUtcText(instantOf(python.timestamp!)));
    expect(ours.every((byte) => byte < 0x80)).toBe(true);
  }
});

it('MqttSubscriber decodes every py-busline fixture delivered through the broker', async () => {
  const prefix = uniquePrefix('interop-in');
  const events = new Map<string, Event>();
  const errors: Error[] = [];
  const subscriber = cleanup.connector(
    new MqttSubscriber({ url: broker.url, onError: (error) => errors.push(error) }),
  );
  await subscriber.subscribe(`${prefix}/#`, (topic, event) => {
    events.set(topic.slice(prefix.length + 1), event);
  });
  await subscriber.connect();

  const before = Date.now();
  for (const fixture of manifest.cases) {
    await raw.publishAsync(`${prefix}/${fixture.name}`, fixtureBytes(fixture), { qos: 1 });
  }
  await waitUntil(() => events.size + errors.length === manifest.cases.length, {
    what: 'every fixture decoded',
  });
  const after = Date.now();

  expect(errors).toEqual([]);
  for (const fixture of manifest.cases) {
    const event = events.get(fixture.name)!;
    expectDecoded(fixture, event, before, after);
  }
});

function expectDecoded(fixture: FixtureCase, event: Event, before: number, after: number): void {
  const { identifier, publisher_identifier: publisherIdentifier, timestamp } = fixture.expected;
  // py-busline's publish() sends datetime.now() as identifier: it arrives as its ISO text.
  expect(event.identifier).toBe(typeof identifier === 'string' ? identifier : identifier.value);
  expect(event.publisherIdentifier).toBe(publisherIdentifier);
  if (typeof timestamp === 'string') {
    // publish()'s other defect: a timestamp that is the identifier text. It has no instant, so
    // the event is stamped with its arrival.
    expect(event.timestamp.getTime()).toBeGreaterThanOrEqual(before);
    expect(event.timestamp.getTime()).toBeLessThanOrEqual(after);
  } else {
    expect(event.timestamp.getTime()).toBe(instantOf(timestamp.value));
  }
  expectFixturePayload(fixture, event.payload);
}
