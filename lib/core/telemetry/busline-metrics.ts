import type { Counter, Histogram, Meter, MeterProvider } from '@opentelemetry/api';
import type { Otel } from './otel-api';

/** @internal The instrument scope name of everything Busline records. */
export const INSTRUMENTATION_SCOPE = 'busline';

/** @internal Busline's instruments, made once per meter provider. */
export interface BuslineInstruments {
  readonly meter: Meter;
  /** Events published (semantic conventions: messages a client sent). */
  readonly sent: Counter;
  /** Events handed to a handler (semantic conventions: messages a client consumed). */
  readonly consumed: Counter;
  /** Events whose handling failed, after retries (or whose message was invalid). */
  readonly failed: Counter;
  /** Handler calls that failed and were tried again. */
  readonly retried: Counter;
  /** Events published to a dead-letter topic. */
  readonly deadLettered: Counter;
  /** How long the handling of an event took, retries included, in seconds. */
  readonly processDuration: Histogram;
  /** Changes of a publisher's or subscriber's connection status. */
  readonly connectionChanges: Counter;
}

let cachedFor: MeterProvider | undefined;
let cached: BuslineInstruments | undefined;

/** @internal Busline's instruments on the registered meter provider. */
export function instrumentsOf(otel: Otel): BuslineInstruments {
  const provider = otel.metrics.getMeterProvider();
  if (cached === undefined || cachedFor !== provider) {
    cached = createInstruments(provider.getMeter(INSTRUMENTATION_SCOPE));
    cachedFor = provider;
  }
  return cached;
}

function createInstruments(meter: Meter): BuslineInstruments {
  const messages = { unit: '{message}' };
  return {
    meter,
    sent: meter.createCounter('messaging.client.sent.messages', {
      ...messages,
      description: 'Events Busline published.',
    }),
    consumed: meter.createCounter('messaging.client.consumed.messages', {
      ...messages,
      description: 'Events Busline handed to a handler.',
    }),
    failed: meter.createCounter('busline.handler.failures', {
      ...messages,
      description: 'Events whose handling failed, after any retries.',
    }),
    retried: meter.createCounter('busline.handler.retries', {
      unit: '{attempt}',
      description: 'Handler calls that failed and were tried again.',
    }),
    deadLettered: meter.createCounter('busline.dead_letters', {
      ...messages,
      description: 'Failed events published to a dead-letter topic.',
    }),
    processDuration: meter.createHistogram('messaging.process.duration', {
      unit: 's',
      description: 'Duration of the handling of an event, retries included.',
    }),
    connectionChanges: meter.createCounter('busline.connection.changes', {
      unit: '{change}',
      description: 'Connection status changes of publishers and subscribers.',
    }),
  };
}
