/*
 * CPU cost of the payload path of one MQTT message, in process, without a broker (issue 14): the
 * publisher's side (event -> envelope bytes: `encodeForMqtt`, what `MqttPublisher` hands mqtt.js)
 * and the subscriber's side (bytes -> event -> the handler reads the text), for a StringMessage of
 * 100 B and 10 KB, with the JSON and the binary envelope, against what raw mqtt.js users do
 * (nothing on publish; `payload.toString()` on receipt) and what the floors of the MQTT scenario
 * do (the least work each envelope asks for). Figures are the minimum over rounds, so a
 * loaded machine disturbs them less than throughput. Built with the bench, run from its cache:
 *
 *   node node_modules/.cache/busline-bench/<checkout>/bench/profile/payload.profile.js
 */
import { Event } from '../../lib/core/event';
import { StringMessage } from '../../lib/core/messages/string.message';
import { anyEnvelopeDeserializer, toEvent } from '../../lib/core/envelopes/envelope.codec';
import { registryPassthroughEventBinarySerializer } from '../../lib/core/wire/registry-passthrough-event.binary';
import { registryPassthroughEventJsonSerializer } from '../../lib/core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../../lib/core/wire/registry-passthrough.event';
import { encodeForMqtt } from '../../lib/mqtt/mqtt.envelopes';
import { FLOOR_BINARY, FLOOR_JSON, type RawCodec } from '../scenarios/mqtt/contenders';

type Serializer = (event: RegistryPassthroughEvent) => Uint8Array;

let sink: unknown;

/** Nanoseconds per call of `fn`: the minimum over `rounds` rounds of `n` calls. */
function timed(fn: () => void, n: number, rounds = 15): number {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / n);
  }
  return best;
}

function row(label: string, ns: number): void {
  console.log(`${label.padEnd(44)} ${(ns / 1000).toFixed(2).padStart(7)} us`);
}

for (const size of [100, 10_000]) {
  const text = 'x'.repeat(size);
  const n = size > 1000 ? 2_000 : 20_000;
  for (const [name, serializer] of [
    ['json', registryPassthroughEventJsonSerializer],
    ['binary', registryPassthroughEventBinarySerializer],
  ] as [string, Serializer][]) {
    const event = new Event({ publisherIdentifier: 'p', payload: new StringMessage(text) });
    const bytes = Buffer.from(serializer(RegistryPassthroughEvent.fromEvent(event)));
    row(
      `${name} ${size} B: publish (event -> bytes)`,
      timed(() => {
        const fresh = new Event({ publisherIdentifier: 'p', payload: new StringMessage(text) });
        sink = encodeForMqtt(serializer, 't', fresh, undefined, 4).payload;
      }, n),
    );
    row(
      `${name} ${size} B: receive (bytes -> text)`,
      timed(() => {
        const received = toEvent(anyEnvelopeDeserializer(bytes));
        sink = (received.payload as StringMessage).value;
      }, n),
    );
  }
  for (const [name, codec] of [
    ['floor-json', FLOOR_JSON],
    ['floor-binary', FLOOR_BINARY],
  ] as [string, RawCodec][]) {
    const bytes = Buffer.from(codec.encode(text));
    row(
      `${name} ${size} B: publish (text -> bytes)`,
      timed(() => (sink = codec.encode(text)), n),
    );
    row(
      `${name} ${size} B: receive (bytes -> text)`,
      timed(() => (sink = codec.decode(bytes)), n),
    );
  }
  const raw = Buffer.from(text);
  row(
    `mqtt.js ${size} B: receive (payload.toString())`,
    timed(() => (sink = raw.toString()), n),
  );
}
void sink;
