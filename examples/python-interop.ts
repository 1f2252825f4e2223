import {
  Event,
  JsonFloat,
  JsonMessage,
  Message,
  RegistryPassthroughEvent,
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
  type StringMessage,
} from 'busline';

// What Python Busline's publisher.publish(topic, StringMessage('hello')) put on the wire.
const fromPython =
  '{"identifier": {"__type__": "datetime", "value": "2026-11-25T13:06:24.001281"}, ' +
  '"publisher_identifier": "py-busline-fixtures", ' +
  '"serialized_payload": {"__type__": "bytes", "value": "aGVsbG8="}, ' +
  '"payload_format_type": "utf-8", "message_type": "StringMessage", ' +
  '"timestamp": {"__type__": "datetime", "value": "2026-11-25T13:06:24.001281"}}';

// On the Python side: a JsonMessageMixin dataclass Product with name: str and price: float.
@Message() // message type 'Product', the class name, as in Python
class Product extends JsonMessage {
  name = '';
  @JsonFloat() price = 0; // written 100.0, not 100: Python reads a float
}

export async function main(): Promise<void> {
  const received = registryPassthroughEventJsonDeserializer(new TextEncoder().encode(fromPython));
  const event = received.toEvent() as Event<StringMessage>;
  console.log(event.payload?.value); // hello
  console.log(event.identifier); // Python's publish() sends the time as the identifier
  console.log(event.timestamp.toISOString()); // no offset: read as UTC, to the millisecond

  const product = Object.assign(new Product(), { name: 'desk', price: 100 });
  console.log(Buffer.from(product.serialize()[1]).toString()); // {"name": "desk", "price": 100.0}

  // What we send: Python's envelope, the timestamp written as Python writes an aware UTC datetime.
  const ours = new Event({
    identifier: 'order-1',
    publisherIdentifier: 'shop-ts',
    payload: product,
    timestamp: new Date('2025-06-01T12:30:45.123Z'),
  });
  const bytes = registryPassthroughEventJsonSerializer(RegistryPassthroughEvent.fromEvent(ours));
  console.log(Buffer.from(bytes).toString());
}
