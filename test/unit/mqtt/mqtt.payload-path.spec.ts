import { Event } from '../../../lib/core/event';
import { StringMessage } from '../../../lib/core/messages/string.message';
import { anyEnvelopeDeserializer, toEvent } from '../../../lib/core/envelopes/envelope.codec';
import { registryPassthroughEventBinarySerializer } from '../../../lib/core/wire/registry-passthrough-event.binary';
import { registryPassthroughEventJsonSerializer } from '../../../lib/core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../../../lib/core/wire/registry-passthrough.event';
import { encodeForMqtt } from '../../../lib/mqtt/mqtt.envelopes';

/** What the publisher sent before issue 14: the payload serialized, then the envelope. */
function generic(
  serializer: (event: RegistryPassthroughEvent) => Uint8Array,
  event: Event,
): Buffer {
  return Buffer.from(serializer(RegistryPassthroughEvent.fromEvent(event)));
}

function published(
  serializer: (event: RegistryPassthroughEvent) => Uint8Array,
  event: Event,
): Buffer {
  return Buffer.from(encodeForMqtt(serializer, 'orders/1', event, undefined, 4).payload);
}

class LoudMessage extends StringMessage {}

describe('MQTT payload path: a text payload in the binary envelope (issue 14)', () => {
  const texts: [string, string][] = [
    ['empty text', ''],
    ['ASCII', 'hello'],
    ['10 KB of ASCII', 'x'.repeat(10_000)],
    ['multi-byte UTF-8', 'prix: 12 € — 北京 🚀'.repeat(50)],
    ['a lone surrogate (written as U+FFFD, as before)', 'a\ud800b'],
  ];

  it.each(texts)('writes the same bytes as serializing the payload first: %s', (_, text) => {
    const event = new Event({ publisherIdentifier: 'pub', payload: new StringMessage(text) });
    const bytes = published(registryPassthroughEventBinarySerializer, event);
    expect(bytes.equals(generic(registryPassthroughEventBinarySerializer, event))).toBe(true);
    const back = toEvent(anyEnvelopeDeserializer(bytes));
    expect(back.payload).toBeInstanceOf(StringMessage);
    expect((back.payload as StringMessage).value).toBe(text.replace('\ud800', '\ufffd'));
    expect(back.identifier).toBe(event.identifier);
    expect(back.timestamp.getTime()).toBe(event.timestamp.getTime());
  });

  it('keeps the headers of the event (binary envelope version 2)', () => {
    const event = new Event({
      publisherIdentifier: 'pub',
      payload: new StringMessage('with headers'),
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    const bytes = published(registryPassthroughEventBinarySerializer, event);
    expect(bytes.equals(generic(registryPassthroughEventBinarySerializer, event))).toBe(true);
    expect(toEvent(anyEnvelopeDeserializer(bytes)).headers).toEqual(event.headers);
  });

  it('leaves subclasses of StringMessage, other payloads and the JSON envelope to the serializer', () => {
    for (const event of [
      new Event({ publisherIdentifier: 'pub', payload: new LoudMessage('subclass') }),
      new Event({ publisherIdentifier: 'pub', payload: null }),
    ]) {
      const bytes = published(registryPassthroughEventBinarySerializer, event);
      expect(bytes.equals(generic(registryPassthroughEventBinarySerializer, event))).toBe(true);
    }
    const text = new Event({ publisherIdentifier: 'pub', payload: new StringMessage('json') });
    const json = published(registryPassthroughEventJsonSerializer, text);
    expect(json.equals(generic(registryPassthroughEventJsonSerializer, text))).toBe(true);
  });
});
