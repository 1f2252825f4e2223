import { Event } from '../../../../lib/core/event';
import { CORRELATION_ID_HEADER, REPLY_TO_HEADER } from '../../../../lib/core/event-headers';
import { createEvent } from '../../../../lib/core/publisher';
import { RegistryPassthroughEvent } from '../../../../lib/core/wire/registry-passthrough.event';
import {
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
} from '../../../../lib/core/wire/registry-passthrough-event.json';
import {
  registryPassthroughEventBinaryDeserializer,
  registryPassthroughEventBinarySerializer,
} from '../../../../lib/core/wire/registry-passthrough-event.binary';
import { fixtureBytes, instantOf, manifest, pythonUtcText } from '../../../support/python-fixtures';
import { itWithPython, pythonDecodedMembers } from '../../../support/python-decoder';

/*
 * Request/reply on the wire: an event that asks for no reply is byte for byte what Python
 * Busline writes; one that asks for a reply only adds a seventh member, "headers", which
 * py-busline's decoder (RegistryPassthroughEvent.from_dict, reading six named members) ignores.
 */

const REQUEST = { [REPLY_TO_HEADER]: 'busline/replies/abc', [CORRELATION_ID_HEADER]: 'c-1' };

/** Deterministic fixtures with a datetime timestamp: we can write their exact bytes. */
const exact = manifest.cases.filter(
  (c) => c.deterministic && typeof c.expected.timestamp !== 'string' && c.kind !== 'envelope',
);

/** The fixture's bytes with the timestamp as Python writes the same instant in aware UTC. */
function pythonBytes(bytes: Buffer, timestamp: string): string {
  return bytes
    .toString('latin1')
    .replace(`"value": "${timestamp}"}}`, `"value": "${pythonUtcText(instantOf(timestamp))}"}}`);
}

const json = (event: Event): string =>
  Buffer.from(
    registryPassthroughEventJsonSerializer(RegistryPassthroughEvent.fromEvent(event)),
  ).toString('latin1');

describe.each(exact.map((c) => [c.name, c] as const))('fixture %s', (_name, fixture) => {
  const bytes = fixtureBytes(fixture);
  const timestamp = (fixture.expected.timestamp as { value: string }).value;
  const decoded = registryPassthroughEventJsonDeserializer(bytes).toEvent();

  it('an event that asks for no reply (no headers, or empty ones) is byte-identical to Python', () => {
    expect(decoded.headers).toEqual({});
    expect(json(decoded)).toBe(pythonBytes(bytes, timestamp));
    expect(json(decoded.withHeaders({}))).toBe(pythonBytes(bytes, timestamp));
    // Built the way publish() builds it, with no headers option or an empty one.
    for (const headers of [undefined, {}]) {
      const published = createEvent(decoded.publisherIdentifier, decoded.payload, {
        identifier: decoded.identifier,
        timestamp: decoded.timestamp,
        headers,
      });
      expect(json(published)).toBe(pythonBytes(bytes, timestamp));
    }
  });

  it('a request adds only a "headers" member after the six Python members, and round-trips', () => {
    const request = decoded.withHeaders(REQUEST);
    const text = json(request);
    const plain = pythonBytes(bytes, timestamp);
    expect(text).toBe(
      `${plain.slice(0, -1)}, "headers": {"busline-reply-to": "busline/replies/abc", "busline-correlation-id": "c-1"}}`,
    );
    const again = registryPassthroughEventJsonDeserializer(Buffer.from(text, 'latin1')).toEvent();
    expect(again.headers).toEqual(REQUEST);
    expect(again.identifier).toBe(decoded.identifier);
    const binary = registryPassthroughEventBinaryDeserializer(
      registryPassthroughEventBinarySerializer(RegistryPassthroughEvent.fromEvent(request)),
    ).toEvent();
    expect(binary.headers).toEqual(REQUEST);
  });
});

itWithPython("Python's decoder reads a request as the same event as a plain one", () => {
  const lines = exact.flatMap((fixture) => {
    const event = registryPassthroughEventJsonDeserializer(fixtureBytes(fixture)).toEvent();
    return [json(event), json(event.withHeaders(REQUEST))];
  });
  const decoded = pythonDecodedMembers(lines);
  expect(decoded).toHaveLength(lines.length);
  for (let i = 0; i < decoded.length; i += 2) expect(decoded[i + 1]).toBe(decoded[i]);
});

it('refuses a "headers" member that is not an object of strings', () => {
  const plain = json(new Event({ publisherIdentifier: 'p', identifier: 'i' }));
  for (const bad of ['[]', '"x"', '{"a": 1}']) {
    const text = `${plain.slice(0, -1)}, "headers": ${bad}}`;
    expect(() => registryPassthroughEventJsonDeserializer(Buffer.from(text))).toThrow(/"headers"/);
  }
  const none = `${plain.slice(0, -1)}, "headers": null}`;
  expect(registryPassthroughEventJsonDeserializer(Buffer.from(none)).toEvent().headers).toEqual({});
});
