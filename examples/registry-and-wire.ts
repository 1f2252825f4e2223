import {
  Event,
  EventRegistry,
  JsonMessage,
  RegistryPassthroughEvent,
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
} from 'busline';

class Ping extends JsonMessage {
  sequence = 0;
}

export async function main(): Promise<void> {
  const registry = new EventRegistry(); // the process-wide registry
  console.log(registry === new EventRegistry()); // true
  console.log(registry.add(Ping, 'ping')); // ping

  const event = new Event({
    publisherIdentifier: 'sensor-1',
    payload: Object.assign(new Ping(), { sequence: 7 }),
  });

  // Sending: event -> passthrough event -> bytes (the Python JSON envelope).
  const bytes = registryPassthroughEventJsonSerializer(RegistryPassthroughEvent.fromEvent(event));
  console.log(Buffer.from(bytes).toString().startsWith('{"identifier": "')); // true

  // Receiving: bytes -> passthrough event -> event, the class found in the registry by 'ping'.
  const received = registryPassthroughEventJsonDeserializer(bytes).toEvent();
  console.log(received.identifier === event.identifier, received.payload instanceof Ping); // true true
  console.log((received.payload as Ping).sequence); // 7
}
