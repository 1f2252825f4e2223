import type { BuslineMessage } from '../../../lib/core/message';
import { Float32Message } from '../../../lib/core/messages/float32.message';
import { Float64Message } from '../../../lib/core/messages/float64.message';
import { Int32Message } from '../../../lib/core/messages/int32.message';
import { Int64Message } from '../../../lib/core/messages/int64.message';
import { StringMessage } from '../../../lib/core/messages/string.message';
import { registryPassthroughEventJsonSerializer } from '../../../lib/core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../../../lib/core/wire/registry-passthrough.event';
import { fixtureBytes, manifest } from '../python-fixtures';
import { sampleOrder, sampleUser } from './test-messages';

/** A small seeded PRNG (mulberry32): the same seed gives the same inputs on every run. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** `length` random bytes. */
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
}

function envelope(message: BuslineMessage | null, format?: string, messageType?: string): Buffer {
  const [formatType, bytes] = message ? message.serialize(format) : [null, null];
  return Buffer.from(
    registryPassthroughEventJsonSerializer(
      new RegistryPassthroughEvent({
        identifier: 'fuzz-base',
        publisherIdentifier: 'fuzz',
        serializedPayload: bytes,
        payloadFormatType: formatType,
        messageType: message ? (messageType ?? message.constructor.name) : null,
        timestamp: new Date(Date.UTC(2025, 5, 1, 12, 30, 45, 123)),
      }),
    ),
  );
}

/** Valid envelopes of every kind, ours and py-busline's: what the mutations start from. */
export function validEnvelopes(): Buffer[] {
  const wrappers: [BuslineMessage, string[]][] = [
    [new StringMessage('héllo ✓ 😀'), ['utf-8', 'json', 'avro']],
    [new Int64Message(2n ** 62n), ['bytes', 'json', 'avro']],
    [new Int32Message(-7), ['bytes', 'json', 'avro']],
    [new Float32Message(0.5), ['bytes', 'json', 'avro']],
    [new Float64Message(3.14), ['bytes', 'json', 'avro']],
  ];
  const out = [envelope(null), envelope(sampleUser()), envelope(sampleOrder())];
  for (const [message, formats] of wrappers) {
    for (const format of formats) out.push(envelope(message, format));
  }
  for (const fixture of manifest.cases) out.push(fixtureBytes(fixture));
  return out;
}

const MESSAGE_TYPES = [
  'StringMessage',
  'Int64Message',
  'Int32Message',
  'Float32Message',
  'Float64Message',
  'UserRegistered',
  'OrderPlaced',
  'NoSuchMessage',
  '__proto__',
  'constructor',
  'toString',
  '',
];
const FORMATS = ['utf-8', 'json', 'avro', 'bytes', 'xml', '', null];
const KEYS = [
  'identifier',
  'publisher_identifier',
  'serialized_payload',
  'payload_format_type',
  'message_type',
  'timestamp',
];

function randomJsonValue(random: Random, depth = 0): unknown {
  switch (random.int(depth > 2 ? 7 : 11)) {
    case 0:
      return null;
    case 1:
      return random.next() < 0.5;
    case 2:
      return random.pick([0, -1, 1e308, -1e-308, 2 ** 53 + 1, 3.14]);
    case 3:
      return random.bytes(random.int(12)).toString('latin1');
    case 4:
      return random.pick(['', '\ud800', '\u0000', 'é😀', '2025-06-01T12:30:45', 'x'.repeat(300)]);
    case 5:
      return { __type__: 'bytes', value: random.bytes(random.int(40)).toString('base64') };
    case 6:
      return {
        __type__: random.pick(['datetime', 'bytes', 'set', '']),
        value: random.pick(['2025-13-45T99:99:99', 'not a date', 'AAAA', '===', '2025-06-01']),
      };
    case 7:
      return [randomJsonValue(random, depth + 1), randomJsonValue(random, depth + 1)];
    case 8:
      return { a: randomJsonValue(random, depth + 1) };
    case 9:
      return { __type__: 'bytes', value: random.int(100) };
    default:
      return { __type__: 'datetime' };
  }
}

/** One structural change to a parsed envelope. */
function mutateStructure(random: Random, object: Record<string, unknown>): void {
  const key = random.pick(KEYS);
  switch (random.int(6)) {
    case 0:
      delete object[key];
      break;
    case 1:
      object[key] = randomJsonValue(random);
      break;
    case 2:
      object.message_type = random.pick(MESSAGE_TYPES);
      break;
    case 3:
      object.payload_format_type = random.pick(FORMATS);
      break;
    case 4: {
      // A payload that is valid base64 of bytes the declared class will likely not decode
      // (random, or a truncated copy of what was there: truncated Avro, cut UTF-8, ...).
      const tagged = object.serialized_payload as { value?: unknown } | null;
      const original =
        tagged && typeof tagged.value === 'string' ? Buffer.from(tagged.value, 'base64') : null;
      const bytes =
        original && original.length > 1 && random.next() < 0.6
          ? original.subarray(0, random.int(original.length))
          : random.bytes(random.int(24));
      object.serialized_payload = { __type__: 'bytes', value: bytes.toString('base64') };
      break;
    }
    default:
      object[random.pick(['extra', 'Identifier', 'timestamp '])] = randomJsonValue(random);
  }
}

/**
 * `count` hostile payloads, deterministic for a seed: random bytes, valid envelopes with flipped,
 * inserted or cut bytes, envelopes with members deleted, retyped or renamed, unknown message
 * types and formats, payloads that do not decode (truncated Avro, random bytes), deep nesting,
 * lone surrogates, BOMs, and a few oversized ones (above `maxPayloadSize`).
 */
export function fuzzPayloads(count: number, seed: number, maxPayloadSize: number): Buffer[] {
  const random = new Random(seed);
  const bases = validEnvelopes();
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const base = random.pick(bases);
    if (i % 1000 === 999) {
      out.push(Buffer.alloc(maxPayloadSize + 1 + random.int(1000), 0x20));
      continue;
    }
    switch (random.int(10)) {
      case 0:
        out.push(random.bytes(random.int(300)));
        break;
      case 1: {
        const copy = Buffer.from(base);
        for (let n = 1 + random.int(8); n > 0; n--) copy[random.int(copy.length)] = random.int(256);
        out.push(copy);
        break;
      }
      case 2:
        out.push(base.subarray(0, random.int(base.length)));
        break;
      case 3: {
        const at = random.int(base.length);
        out.push(
          Buffer.concat([base.subarray(0, at), random.bytes(1 + random.int(6)), base.subarray(at)]),
        );
        break;
      }
      case 4:
      case 5:
      case 6: {
        const object = JSON.parse(base.toString('utf8')) as Record<string, unknown>;
        for (let n = 1 + random.int(3); n > 0; n--) mutateStructure(random, object);
        out.push(Buffer.from(JSON.stringify(object), 'utf8'));
        break;
      }
      case 7: {
        const depth = 100 + random.int(5_000);
        const nested =
          random.next() < 0.5
            ? '['.repeat(depth) + ']'.repeat(depth)
            : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
        out.push(Buffer.from(nested));
        break;
      }
      case 8:
        out.push(
          Buffer.from(
            random.pick([
              '',
              'null',
              '[]',
              '1',
              '"envelope"',
              '{}',
              '\ufeff' + base.toString('utf8'),
              '{"identifier": "\\ud800"}',
              base.toString('utf8').replace('"identifier"', '"identifier", "identifier"'),
            ]),
          ),
        );
        break;
      default:
        out.push(base);
    }
  }
  return out;
}
