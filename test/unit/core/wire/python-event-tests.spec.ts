/**
 * The TypeScript counterparts of py-busline's tests/event_tests.py, test by test.
 */
import { Event } from '../../../../lib/core/event';
import { EventRegistry } from '../../../../lib/core/event.registry';
import type { BuslineMessage } from '../../../../lib/core/message';
import { Message } from '../../../../lib/core/message.decorator';
import { AvroMessage, type AvroRecordSchema } from '../../../../lib/core/messages/avro.message';
import { Float32Message } from '../../../../lib/core/messages/float32.message';
import { Int64Message } from '../../../../lib/core/messages/int64.message';
import { JsonMessage } from '../../../../lib/core/messages/json.message';
import { StringMessage } from '../../../../lib/core/messages/string.message';
import { RegistryPassthroughEvent } from '../../../../lib/core/wire/registry-passthrough.event';
import {
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
} from '../../../../lib/core/wire/registry-passthrough-event.json';

class CustomSerdableMessage1 implements BuslineMessage {
  constructor(readonly value: number) {}

  myValue1(): number {
    return this.value;
  }

  serialize(): [string, Uint8Array] {
    return ['raw', Uint8Array.of(this.value)];
  }

  static deserialize(_formatType: string, data: Uint8Array): CustomSerdableMessage1 {
    return new CustomSerdableMessage1(data[0]);
  }
}

@Message()
class CustomSerdableMessage2 implements BuslineMessage {
  constructor(readonly value: number) {}

  myValue2(): number {
    return this.value;
  }

  serialize(): [string, Uint8Array] {
    return ['raw', Uint8Array.of(this.value)];
  }

  static deserialize(_formatType: string, data: Uint8Array): CustomSerdableMessage2 {
    return new CustomSerdableMessage2(data[0]);
  }
}

class MockUserCreationMessage extends JsonMessage {
  email = '';
  password = '';
}

class MockUserCreationAvroPayload extends AvroMessage {
  static override schema: AvroRecordSchema = {
    type: 'record',
    name: 'MockUserCreationAvroPayload',
    fields: [
      { name: 'email', type: 'string' },
      { name: 'password', type: 'string' },
    ],
  };
  email = '';
  password = '';
}

describe('tests/event_tests.py TestEventRegistry', () => {
  it('test_raw_payload', () => {
    const [, serialized] = new CustomSerdableMessage1(1).serialize();
    expect(serialized).toBeInstanceOf(Uint8Array);
  });

  it('test_json_payload', () => {
    const message = Object.assign(new MockUserCreationMessage(), {
      email: 'email',
      password: 'password',
    });
    const [formatType, serialized] = message.serialize();
    expect(serialized).toBeInstanceOf(Uint8Array);
    expect(formatType).toBe('json');
    const received = MockUserCreationMessage.deserialize(formatType, serialized);
    expect(received.email).toBe(message.email);
    expect(received.password).toBe(message.password);
  });

  it('test_avro_payload', () => {
    const message = Object.assign(new MockUserCreationAvroPayload(), {
      email: 'email',
      password: 'password',
    });
    const [formatType, serialized] = message.serialize();
    expect(serialized).toBeInstanceOf(Uint8Array);
    expect(formatType).toBe('avro');
    const received = MockUserCreationAvroPayload.deserialize(formatType, serialized);
    expect(received.email).toBe(message.email);
    expect(received.password).toBe(message.password);
  });

  it('test_registry', () => {
    const registry = new EventRegistry(); // singleton
    const messageType = registry.add(CustomSerdableMessage1);
    // @Message() registered CustomSerdableMessage2 at definition; the wrappers are there from load.
    expect(registry.associations.get('CustomSerdableMessage1')).toBe(CustomSerdableMessage1);
    expect(registry.associations.get('CustomSerdableMessage2')).toBe(CustomSerdableMessage2);
    expect(new EventRegistry()).toBe(registry);

    const message = new CustomSerdableMessage1(1);
    const [formatType, serialized] = message.serialize();
    const classOfMessage = new EventRegistry().retrieveClass(messageType);
    const received = classOfMessage.deserialize(formatType, serialized);
    expect(received).toEqual(message);
    expect((received as CustomSerdableMessage1).myValue1()).toBe(1);
  });

  it('test_registry_based_event', () => {
    const message = new StringMessage('my message');
    const event = new Event({
      identifier: 'event-id',
      payload: message,
      publisherIdentifier: 'pub-id',
      timestamp: new Date(),
    });

    const registryBasedEvent = RegistryPassthroughEvent.fromEvent(event); // registers the class
    expect(registryBasedEvent.messageType).not.toBeNull();
    expect(registryBasedEvent.payloadFormatType).not.toBeNull();
    expect(registryBasedEvent.serializedPayload).not.toBeNull();
    expect(new EventRegistry().associations.has('StringMessage')).toBe(true);

    const serialized = registryPassthroughEventJsonSerializer(registryBasedEvent);
    const deserialized = registryPassthroughEventJsonDeserializer(serialized);
    const received = deserialized.toEvent();

    expect(received.identifier).toBe(event.identifier);
    expect(received.payload).toEqual(event.payload);
    expect(received.publisherIdentifier).toBe(event.publisherIdentifier);
    expect(received.timestamp).toEqual(event.timestamp);
  });

  it('test_serde_multi_format_type', () => {
    const int64Message = new Int64Message(42);
    let [formatType, data] = int64Message.serialize('avro');
    expect(formatType).toBe('avro');
    expect(Int64Message.deserialize(formatType, data)).toEqual(int64Message);

    [formatType, data] = int64Message.serialize('json');
    expect(formatType).toBe('json');
    expect(Int64Message.deserialize(formatType, data)).toEqual(int64Message);

    const float32Message = new Float32Message(3.14);
    [formatType, data] = float32Message.serialize('avro');
    expect(formatType).toBe('avro');
    expect(Float32Message.deserialize(formatType, data)).toEqual(float32Message);
  });
});
