import { Event } from '../../../../lib/core/event';
import { EnvelopeDecodeError } from '../../../../lib/core/errors/envelope-decode.error';
import { StringMessage } from '../../../../lib/core/messages/string.message';
import {
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
} from '../../../../lib/core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../../../../lib/core/wire/registry-passthrough.event';

/*
 * Large JSON envelopes are read without JSON.parse over the payload's base64 (issue 14). These
 * check that the result is always that of parsing the whole text, including for envelopes that
 * are not written the way Busline writes them.
 */

const TEXT = 'x'.repeat(3000);
const BASE64 = Buffer.from(TEXT).toString('base64');

function envelopeText(headers?: Record<string, string>): string {
  const event = new Event({
    publisherIdentifier: 'pub',
    payload: new StringMessage(TEXT),
    headers,
  });
  const bytes = registryPassthroughEventJsonSerializer(RegistryPassthroughEvent.fromEvent(event));
  return Buffer.from(bytes).toString('latin1');
}

function read(text: string): RegistryPassthroughEvent {
  return registryPassthroughEventJsonDeserializer(Buffer.from(text, 'utf8'));
}

function payloadText(event: RegistryPassthroughEvent): string | null {
  const payload = event.serializedPayload;
  return payload === null ? null : Buffer.from(payload).toString('utf8');
}

describe('JSON envelope: large envelopes', () => {
  it('reads the payload and every member of an envelope as Busline writes it', () => {
    const text = envelopeText({ traceparent: 'abc' });
    expect(text.length).toBeGreaterThan(4000);
    const event = read(text);
    expect(payloadText(event)).toBe(TEXT);
    expect(event.publisherIdentifier).toBe('pub');
    expect(event.messageType).toBe('StringMessage');
    expect(event.payloadFormatType).toBe('utf-8');
    expect(event.headers).toEqual({ traceparent: 'abc' });
    expect(event.toEvent().payload).toEqual(new StringMessage(TEXT));
  });

  it('takes the last of two payload members, as JSON.parse does', () => {
    const text = envelopeText().replace(/}$/, ', "serialized_payload": null}');
    expect(payloadText(read(text))).toBeNull();
  });

  it('reads a payload member nested before the real one as part of its own member', () => {
    const nested = `{"serialized_payload": {"__type__": "bytes", "value": "${BASE64}"}}`;
    const text = envelopeText().replace('"identifier": ', `"extra": ${nested}, "identifier": `);
    expect(payloadText(read(text))).toBe(TEXT);
  });

  it('decodes JSON escapes inside the base64 text', () => {
    // "\u0052" is "R": the value reads "...QUJDRA==", the text then ends with "ABCD".
    const text = envelopeText().replace(`${BASE64}"`, `${BASE64}QUJD\\u0052A=="`);
    expect(payloadText(read(text))).toBe(`${TEXT}ABCD`);
  });

  it('refuses base64 that Python refuses, with the same reason as a small envelope', () => {
    const large = envelopeText().replace(`${BASE64}"`, `${BASE64}QUJ"`);
    expect(() => read(large)).toThrow(EnvelopeDecodeError);
    expect(() => read(large)).toThrow(/Incorrect padding/);
  });

  it('refuses invalid UTF-8 outside the payload', () => {
    const bytes = Buffer.from(envelopeText(), 'latin1');
    const at = bytes.indexOf('"pub"') + 1;
    bytes[at] = 0xff;
    expect(() => registryPassthroughEventJsonDeserializer(bytes)).toThrow(/not valid UTF-8/);
  });

  it('refuses text that is not JSON with the error of the whole text', () => {
    const text = envelopeText().replace(/}$/, '');
    expect(() => read(text)).toThrow(/the bytes are not JSON/);
  });
});
