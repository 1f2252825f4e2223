import { Event } from '../../../../lib/core/event';
import { createEvent } from '../../../../lib/core/publisher';
import { instrumentedPublish } from '../../../../lib/core/telemetry/publish-telemetry';
import { RegistryPassthroughEvent } from '../../../../lib/core/wire/registry-passthrough.event';
import {
  registryPassthroughEventJsonDeserializer,
  registryPassthroughEventJsonSerializer,
} from '../../../../lib/core/wire/registry-passthrough-event.json';
import { installTracing, type InstalledTracing } from '../../../support/otel/otel-sdk';
import { fixtureBytes, instantOf, manifest, pythonUtcText } from '../../../support/python-fixtures';
import { itWithPython, pythonDecodedMembers } from '../../../support/python-decoder';

/*
 * Trace context on the wire of MQTT 3.1.1: a traced event carries `traceparent` in the envelope's
 * seventh member, "headers", which Python Busline's decoder ignores; an event published with no
 * tracer provider registered is byte for byte what Python writes. Python's decoder itself (run
 * under python3) reads a traced event as the same event as the untraced one.
 */

const exact = manifest.cases.filter(
  (c) => c.deterministic && typeof c.expected.timestamp !== 'string' && c.kind !== 'envelope',
);

const json = (event: Event): string =>
  Buffer.from(
    registryPassthroughEventJsonSerializer(RegistryPassthroughEvent.fromEvent(event)),
  ).toString('latin1');

/** The event as a publish sends it: through the telemetry hook, as `Publisher.publish` does. */
async function published(fixture: (typeof exact)[number]): Promise<Event> {
  const decoded = registryPassthroughEventJsonDeserializer(fixtureBytes(fixture)).toEvent();
  const event = createEvent(decoded.publisherIdentifier, decoded.payload, {
    identifier: decoded.identifier,
    timestamp: decoded.timestamp,
  });
  return instrumentedPublish('mqtt', 'client', 'orders/1', event, (sent) => Promise.resolve(sent));
}

describe('trace context in the JSON envelope', () => {
  let tracing: InstalledTracing | undefined;
  afterEach(async () => {
    await tracing?.uninstall();
    tracing = undefined;
  });

  it.each(exact.map((c) => [c.name, c] as const))(
    'fixture %s: byte-identical to Python without a provider; one "headers" member with one',
    async (_name, fixture) => {
      const timestamp = (fixture.expected.timestamp as { value: string }).value;
      const python = fixtureBytes(fixture)
        .toString('latin1')
        .replace(
          `"value": "${timestamp}"}}`,
          `"value": "${pythonUtcText(instantOf(timestamp))}"}}`,
        );
      expect(json(await published(fixture))).toBe(python);

      tracing = installTracing({ propagator: false });
      const traced = await published(fixture);
      const [span] = tracing.spans('publish orders/1');
      const traceparent = `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;
      expect(json(traced)).toBe(
        `${python.slice(0, -1)}, "headers": {"traceparent": "${traceparent}"}}`,
      );
      const again = registryPassthroughEventJsonDeserializer(Buffer.from(json(traced), 'latin1'));
      expect(again.toEvent().headers).toEqual({ traceparent });
    },
  );
});

itWithPython(
  "Python's decoder reads a traced event as the same event as an untraced one",
  async () => {
    const untraced = await Promise.all(exact.map(published));
    const tracing = installTracing({ propagator: false });
    try {
      const traced = await Promise.all(exact.map(published));
      expect(traced.every((event) => event.headers.traceparent !== undefined)).toBe(true);
      const lines = untraced.flatMap((event, i) => [json(event), json(traced[i])]);
      const decoded = pythonDecodedMembers(lines);
      expect(decoded).toHaveLength(lines.length);
      for (let i = 0; i < decoded.length; i += 2) expect(decoded[i + 1]).toBe(decoded[i]);
    } finally {
      await tracing.uninstall();
    }
  },
);
