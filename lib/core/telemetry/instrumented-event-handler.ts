import type { Event } from '../event';
import type { BuslineEventHandler } from '../handlers/event-handler';
import { OTEL_PRESENCE } from './otel-api';
import { ProcessTelemetry, type ProcessScope } from './process-telemetry';

/** Marks a handler that records its own telemetry (the NestJS layer's). */
const SELF_INSTRUMENTED = Symbol('busline.selfInstrumented');

/** @internal Whether `handler` records its own spans and metrics. */
export function isSelfInstrumented(handler: object): boolean {
  return SELF_INSTRUMENTED in handler;
}

/** @internal Mark `handler` as one that records its own spans and metrics. */
export function markSelfInstrumented<H extends object>(handler: H): H {
  (handler as { [SELF_INSTRUMENTED]?: true })[SELF_INSTRUMENTED] = true;
  return handler;
}

/**
 * @internal A subscription's handler, traced and measured when the application registered an
 * OpenTelemetry provider (see {@link ProcessTelemetry}); a plain call otherwise. The subscriber
 * wraps each handler in one when it is subscribed.
 */
export class InstrumentedEventHandler implements BuslineEventHandler {
  readonly name: string;
  private readonly scope: ProcessScope;

  constructor(
    readonly inner: BuslineEventHandler,
    scope: Omit<ProcessScope, 'handler'>,
  ) {
    this.name = inner.name ?? inner.constructor.name;
    this.scope = { ...scope, handler: this.name };
  }

  /** `handler`, wrapped unless it instruments itself. */
  static wrap(
    handler: BuslineEventHandler,
    scope: Omit<ProcessScope, 'handler'>,
  ): BuslineEventHandler {
    return SELF_INSTRUMENTED in handler ? handler : new InstrumentedEventHandler(handler, scope);
  }

  handle(topic: string, event: Event): unknown {
    if (!OTEL_PRESENCE.registered) return this.inner.handle(topic, event);
    const telemetry = ProcessTelemetry.start(this.scope, topic, event);
    if (telemetry === undefined) return this.inner.handle(topic, event);
    let result: unknown;
    try {
      result = telemetry.run(() => this.inner.handle(topic, event));
    } catch (error) {
      telemetry.end(error, 1);
      throw error;
    }
    if (!(result instanceof Promise)) {
      telemetry.end(undefined, 1);
      return result;
    }
    return result.then(
      (value: unknown) => {
        telemetry.end(undefined, 1);
        return value;
      },
      (error: unknown) => {
        telemetry.end(error, 1);
        throw error;
      },
    );
  }
}
