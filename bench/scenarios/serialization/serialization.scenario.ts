import { performance } from 'node:perf_hooks';
import { Event } from '../../../lib/core/event';
import type { BuslineMessage } from '../../../lib/core/message';
import { registryPassthroughEventAutoDeserializer } from '../../../lib/core/wire/registry-passthrough-event.auto';
import { registryPassthroughEventBinarySerializer } from '../../../lib/core/wire/registry-passthrough-event.binary';
import { registryPassthroughEventJsonSerializer } from '../../../lib/core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../../../lib/core/wire/registry-passthrough.event';
import type { Job, Measurement, ScenarioDef } from '../../harness/types';
import { AvroOrder, JsonOrder, orderFields } from './order.messages';

/** Encode + decode of one event carrying an order, through the envelopes MQTT uses. */
export const serializationScenario: ScenarioDef = {
  name: 'serialization',
  title: 'Serialization: an order event, encode + decode (event -> bytes -> event)',
  reference: 'json-envelope+json-payload',
  metrics: [
    { key: 'rate', label: 'round trips/s', better: 'higher', format: 'rate', ratio: true },
    { key: 'bytes', label: 'bytes', better: 'lower', format: 'bytes', ratio: true },
  ],
  cases: [
    {
      name: 'order',
      title: 'order with 3 lines',
      contenders: [
        'json-envelope+json-payload',
        'json-envelope+avro-payload',
        'binary-envelope+avro-payload',
        'binary-envelope+json-payload',
        'plain JSON.stringify+parse',
      ],
    },
  ],
  notes: [
    'Envelope: the Python-compatible JSON one (default) or the opt-in binary (avsc) one; payload:',
    'JsonOrder (JsonMessage, class-transformer) or AvroOrder (AvroMessage, avsc). Decoding goes up to',
    'an Event whose payload is an order instance again (subscribers read both envelopes with the',
    "default, auto-detecting deserializer). 'plain JSON.stringify+parse' is the bare order object,",
    'no envelope and no classes: a floor for scale.',
  ],
};

type RoundTrip = () => number;

function eventRoundTrip(payload: BuslineMessage, binary: boolean): RoundTrip {
  const event = new Event({ publisherIdentifier: 'bench-publisher', payload });
  const serialize = binary
    ? registryPassthroughEventBinarySerializer
    : registryPassthroughEventJsonSerializer;
  return () => {
    const bytes = serialize(RegistryPassthroughEvent.fromEvent(event));
    const back = registryPassthroughEventAutoDeserializer(bytes).toEvent();
    if (back.payload === null) throw new Error('the payload got lost');
    return bytes.length;
  };
}

function contender(name: string): RoundTrip {
  const json = Object.assign(new JsonOrder(), orderFields());
  const avro = Object.assign(new AvroOrder(), orderFields());
  switch (name) {
    case 'json-envelope+json-payload':
      return eventRoundTrip(json, false);
    case 'json-envelope+avro-payload':
      return eventRoundTrip(avro, false);
    case 'binary-envelope+avro-payload':
      return eventRoundTrip(avro, true);
    case 'binary-envelope+json-payload':
      return eventRoundTrip(json, true);
    case 'plain JSON.stringify+parse': {
      const plain = orderFields();
      return () => {
        const bytes = Buffer.from(JSON.stringify(plain), 'utf8');
        JSON.parse(bytes.toString('utf8'));
        return bytes.length;
      };
    }
    default:
      throw new Error(`unknown serialization contender '${name}'`);
  }
}

/** Worker side: round trips for a while (batches of 100), then the rate. */
export async function runSerialization(job: Job): Promise<Measurement> {
  const roundTrip = contender(job.contender);
  const smoke = job.size === 'smoke';
  const warmupMs = smoke ? 0 : Number(job.settings.warmupMs ?? 300);
  const measureMs = smoke ? 0 : Number(job.settings.measureMs ?? 1000);
  let bytes = 0;
  const run = (ms: number): number => {
    const end = performance.now() + ms;
    let count = 0;
    do {
      for (let k = 0; k < 100; k++) bytes = roundTrip();
      count += 100;
    } while (performance.now() < end);
    return count;
  };
  run(warmupMs);
  const start = performance.now();
  const count = run(measureMs);
  return { rate: (count * 1000) / (performance.now() - start), bytes };
}
