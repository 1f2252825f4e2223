import { CloudEvent, MQTT } from 'cloudevents';
import * as fs from 'node:fs';
import * as path from 'node:path';
import 'reflect-metadata';
import { Event } from '../../../../lib/core/event';
import { EnvelopeDecodeError } from '../../../../lib/core/errors/envelope-decode.error';
import { ForeignEnvelopeError } from '../../../../lib/core/errors/foreign-envelope.error';
import { PayloadDecodeError } from '../../../../lib/core/errors/payload-decode.error';
import { Message } from '../../../../lib/core/message.decorator';
import { BytesMessage } from '../../../../lib/core/messages/bytes.message';
import { Int64Message } from '../../../../lib/core/messages/int64.message';
import { JsonMessage } from '../../../../lib/core/messages/json.message';
import { RawJsonMessage } from '../../../../lib/core/messages/raw-json.message';
import { StringMessage } from '../../../../lib/core/messages/string.message';
import { FOREIGN_PUBLISHER_IDENTIFIER } from '../../../../lib/core/envelopes/envelope';
import {
  anyEnvelopeDeserializer,
  decodeWithEnvelope,
  encodeWithEnvelope,
  toEvent,
  type DecodedEvent,
} from '../../../../lib/core/envelopes/envelope.codec';
import { registryPassthroughEventBinarySerializer } from '../../../../lib/core/wire/registry-passthrough-event.binary';
import {
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
} from '../../../../lib/core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../../../../lib/core/wire/registry-passthrough.event';
import { FIXTURES_DIR, manifest } from '../../../support/python-fixtures';

@Message('com.example.sensor.Reading')
class Reading extends JsonMessage {
  room = '';
  celsius = 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function reading(room: string, celsius: number): Reading {
  return Object.assign(new Reading(), { room, celsius });
}

function sent(payload: Reading | StringMessage | Int64Message | null = reading('kitchen', 21.5)) {
  return new Event({
    publisherIdentifier: 'thermostat-7',
    payload,
    identifier: 'a1b2',
    timestamp: new Date('2026-01-02T03:04:05.678Z'),
  });
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const bytesOf = (value: string): Buffer => Buffer.from(value, 'utf8');
const decoded = (value: DecodedEvent): Event => toEvent(value);

describe('the default deserializer keeps reading every Python fixture as before', () => {
  it.each(manifest.cases.map((c) => [c.name, c] as const))('%s', (_name, fixture) => {
    const bytes = fs.readFileSync(path.join(FIXTURES_DIR, fixture.file));
    const before = registryPassthroughEventJsonDeserializer(bytes);
    const now = anyEnvelopeDeserializer(bytes, { topic: 'fixtures' });
    expect(now).toBeInstanceOf(RegistryPassthroughEvent);
    const after = now as RegistryPassthroughEvent;
    expect({ ...after, timestamp: undefined }).toEqual({ ...before, timestamp: undefined });
    // Apart from a timestamp that Python's publish() left out (decoded as "now"), the same instant.
    if (Math.abs(before.timestamp.getTime() - Date.now()) > 60_000) {
      expect(after.timestamp.getTime()).toBe(before.timestamp.getTime());
    }
  });
});

describe('anyEnvelopeDeserializer tells the envelopes apart by themselves', () => {
  it('reads the JSON and the binary Busline envelopes', () => {
    const event = sent();
    for (const bytes of [
      registryPassthroughEventJsonSerializer(RegistryPassthroughEvent.fromEvent(event)),
      registryPassthroughEventBinarySerializer(RegistryPassthroughEvent.fromEvent(event)),
    ]) {
      const got = decoded(anyEnvelopeDeserializer(bytes));
      expect(got.identifier).toBe('a1b2');
      expect(got.payload).toEqual(reading('kitchen', 21.5));
    }
  });

  it('reads a structured CloudEvent by its specversion', () => {
    const { payload } = encodeWithEnvelope('t', sent(), 'cloudevents');
    const got = decoded(anyEnvelopeDeserializer(payload));
    expect(got.identifier).toBe('a1b2');
    expect(got.publisherIdentifier).toBe('thermostat-7');
    expect(got.payload).toEqual(reading('kitchen', 21.5));
  });

  it('reads a binary-mode CloudEvent by its specversion user property', () => {
    const encoded = encodeWithEnvelope('t', sent(), 'cloudevents-binary');
    const got = decoded(
      anyEnvelopeDeserializer(encoded.payload, {
        topic: 't',
        contentType: encoded.contentType,
        userProperties: encoded.userProperties,
      }),
    );
    expect(got.identifier).toBe('a1b2');
    expect(got.payload).toEqual(reading('kitchen', 21.5));
  });

  it('reads a @nestjs/microservices packet as a RawJsonMessage', () => {
    const got = decoded(
      anyEnvelopeDeserializer(bytesOf('{"pattern":"orders/created","data":{"id":42}}')),
    );
    expect(got.payload).toEqual(new RawJsonMessage({ id: 42 }));
    expect(got.identifier).toMatch(UUID);
    expect(got.publisherIdentifier).toBe(FOREIGN_PUBLISHER_IDENTIFIER);
  });

  it.each([
    ['plain JSON of no known envelope', '{"celsius": 21.5}'],
    ['a JSON array', '[1, 2]'],
    ['text that is not JSON', 'hello'],
    ['an object with pattern and other members', '{"pattern": "a", "data": 1, "extra": 2}'],
  ])('refuses %s with the JSON envelope error', (_what, input) => {
    expect(() => anyEnvelopeDeserializer(bytesOf(input))).toThrow(EnvelopeDecodeError);
  });
});

describe('CloudEvents 1.0 round trips with the cloudevents SDK', () => {
  it('structured mode: what Busline writes is a valid CloudEvent for the SDK', () => {
    const { payload, contentType } = encodeWithEnvelope('t', sent(), 'cloudevents');
    expect(contentType).toBe('application/cloudevents+json');
    const event = new CloudEvent(JSON.parse(text(payload)) as object, true);
    expect(event.id).toBe('a1b2');
    expect(event.source).toBe('thermostat-7');
    expect(event.type).toBe('com.example.sensor.Reading');
    expect(event.specversion).toBe('1.0');
    expect(new Date(event.time!).toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(event.datacontenttype).toBe('application/json');
    expect(event.data).toEqual({ room: 'kitchen', celsius: 21.5 });
  });

  it('structured mode: what the SDK writes reaches Busline as the registered class', () => {
    const event = new CloudEvent({
      id: 'evt-1',
      source: 'urn:sensor:kitchen',
      type: 'com.example.sensor.Reading',
      time: '2026-05-06T07:08:09.100Z',
      datacontenttype: 'application/json',
      data: { room: 'kitchen', celsius: 19 },
    });
    const got = decoded(decodeWithEnvelope(bytesOf(JSON.stringify(event)), 'cloudevents'));
    expect(got.payload).toBeInstanceOf(Reading);
    expect(got.payload).toEqual(reading('kitchen', 19));
    expect(got.identifier).toBe('evt-1');
    expect(got.publisherIdentifier).toBe('urn:sensor:kitchen');
    expect(got.timestamp.toISOString()).toBe('2026-05-06T07:08:09.100Z');
  });

  it('structured mode: text and binary payloads travel as data and data_base64', () => {
    const stringEvent = sent(new StringMessage('hello'));
    const written = JSON.parse(text(encodeWithEnvelope('t', stringEvent, 'cloudevents').payload));
    expect(written).toMatchObject({ type: 'StringMessage', data: 'hello' });
    expect(new CloudEvent(written as object, true).data).toBe('hello');
    const back = decoded(
      decodeWithEnvelope(bytesOf(JSON.stringify(new CloudEvent(written))), 'cloudevents'),
    );
    expect(back.payload).toEqual(new StringMessage('hello'));

    const numberEvent = sent(new Int64Message(-5));
    const sdk = new CloudEvent(
      JSON.parse(text(encodeWithEnvelope('t', numberEvent, 'cloudevents').payload)) as object,
      true,
    );
    expect(sdk.data_base64).toBeDefined();
    const number = decoded(decodeWithEnvelope(bytesOf(JSON.stringify(sdk)), 'cloudevents'));
    expect(number.payload).toEqual(new Int64Message(-5));
  });

  it('binary mode: the SDK reads what Busline writes, and Busline what the SDK writes', () => {
    const encoded = encodeWithEnvelope('t', sent(), 'cloudevents-binary');
    const read = MQTT.toEvent({
      body: JSON.parse(text(encoded.payload)) as object,
      headers: { ...encoded.userProperties },
      PUBLISH: { 'Content Type': encoded.contentType },
    } as never) as CloudEvent;
    expect(read.validate()).toBe(true);
    expect(read).toMatchObject({
      id: 'a1b2',
      source: 'thermostat-7',
      type: 'com.example.sensor.Reading',
    });
    expect(read.data).toEqual({ room: 'kitchen', celsius: 21.5 });

    const message = MQTT.binary(
      new CloudEvent({
        id: 'evt-2',
        source: 'urn:sensor:hall',
        type: 'com.example.sensor.Reading',
        datacontenttype: 'application/json',
        data: { room: 'hall', celsius: 17.5 },
      }),
    );
    const got = decoded(
      decodeWithEnvelope(bytesOf(JSON.stringify(message.body)), 'cloudevents', {
        topic: 't',
        contentType: message.PUBLISH!['Content Type'],
        userProperties: message['User Properties'] as Record<string, string>,
      }),
    );
    expect(got.identifier).toBe('evt-2');
    expect(got.payload).toEqual(reading('hall', 17.5));
  });

  it.each([
    ['a missing id', { specversion: '1.0', source: 's', type: 'StringMessage' }, /"id"/],
    ['another specversion', { specversion: '0.3', id: 'i', source: 's', type: 't' }, /0\.3/],
    ['a bad time', { specversion: '1.0', id: 'i', source: 's', type: 't', time: 'noon' }, /time/],
  ])('refuses a CloudEvent with %s', (_what, document, reason) => {
    const attempt = () => decodeWithEnvelope(bytesOf(JSON.stringify(document)), 'cloudevents');
    expect(attempt).toThrow(ForeignEnvelopeError);
    expect(attempt).toThrow(reason);
  });
});

describe('the @nestjs/microservices envelope', () => {
  it('writes what ClientMqtt.emit(topic, data) writes: pattern and data', () => {
    expect(JSON.parse(text(encodeWithEnvelope('orders/created', sent(), 'nest').payload))).toEqual({
      pattern: 'orders/created',
      data: { room: 'kitchen', celsius: 21.5 },
    });
    const plain = encodeWithEnvelope('greetings', sent(new StringMessage('hi')), 'nest').payload;
    expect(JSON.parse(text(plain))).toEqual({ pattern: 'greetings', data: 'hi' });
    const none = encodeWithEnvelope('pings', sent(null), 'nest').payload;
    expect(JSON.parse(text(none))).toEqual({ pattern: 'pings' });
  });

  it('maps data onto the class a subscription names, keeping a request id', () => {
    const got = decoded(
      decodeWithEnvelope(
        bytesOf('{"pattern":"r","data":{"room":"attic","celsius":30},"id":"req-9"}'),
        { nest: Reading },
      ),
    );
    expect(got.payload).toEqual(reading('attic', 30));
    expect(got.identifier).toBe('req-9');
  });

  it('refuses what is not a packet, and a payload that is not JSON', () => {
    expect(() => decodeWithEnvelope(bytesOf('{"data": 1}'), 'nest')).toThrow(ForeignEnvelopeError);
    expect(() => decodeWithEnvelope(bytesOf('nope'), 'nest')).toThrow(/not JSON/);
    const bytes = new Event({ publisherIdentifier: 'p', payload: new BytesMessage(bytesOf('x')) });
    expect(() => encodeWithEnvelope('t', bytes, 'nest')).toThrow(/JSON only/);
  });
});

describe('raw payloads', () => {
  it.each([
    [{ raw: Reading }, '{"room": "cellar", "celsius": 11}', reading('cellar', 11)],
    [{ raw: 'json' as const }, '[1, {"a": null}]', new RawJsonMessage([1, { a: null }])],
    [{ raw: 'text' as const }, 'plain text', new StringMessage('plain text')],
    [{ raw: 'bytes' as const }, '\u0000\u0001', new BytesMessage(Buffer.from([0, 1]))],
  ])('%p reads its payload', (envelope, input, expected) => {
    const got = decoded(decodeWithEnvelope(bytesOf(input), envelope));
    expect(got.payload).toEqual(expected);
    expect(got.identifier).toMatch(UUID);
    expect(got.publisherIdentifier).toBe(FOREIGN_PUBLISHER_IDENTIFIER);
  });

  it('invalid JSON for a class or for json is a PayloadDecodeError naming it', () => {
    expect(() => decodeWithEnvelope(bytesOf('{"room": '), { raw: Reading })).toThrow(
      PayloadDecodeError,
    );
    expect(() => decodeWithEnvelope(bytesOf('{"room": '), { raw: Reading })).toThrow(/Reading/);
    expect(() => decodeWithEnvelope(bytesOf('{'), { raw: 'json' })).toThrow(PayloadDecodeError);
    expect(() => decodeWithEnvelope(Buffer.from([0xff]), { raw: 'text' })).toThrow(
      PayloadDecodeError,
    );
  });

  it('a raw publish is the payload in its default format, and nothing without payload', () => {
    expect(JSON.parse(text(encodeWithEnvelope('t', sent(), 'raw').payload))).toEqual({
      room: 'kitchen',
      celsius: 21.5,
    });
    expect(text(encodeWithEnvelope('t', sent(new StringMessage('on')), 'raw').payload)).toBe('on');
    expect(encodeWithEnvelope('t', sent(null), 'raw').payload).toHaveLength(0);
  });
});
