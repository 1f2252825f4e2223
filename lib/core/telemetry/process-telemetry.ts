import type { Attributes, Context, Span } from '@opentelemetry/api';
import type { Event } from '../event';
import { INSTRUMENTATION_SCOPE, instrumentsOf } from './busline-metrics';
import {
  BUSLINE_ATTEMPT,
  BUSLINE_ATTEMPTS,
  BUSLINE_HANDLER,
  BUSLINE_MESSAGE_TYPE,
  ERROR_TYPE,
  errorTypeOf,
  MESSAGING_CLIENT_ID,
  MESSAGING_DESTINATION_NAME,
  MESSAGING_DESTINATION_TEMPLATE,
  MESSAGING_MESSAGE_ID,
  MESSAGING_OPERATION_NAME,
  MESSAGING_OPERATION_TYPE,
  MESSAGING_SYSTEM,
  messageTypeOf,
} from './messaging-attributes';
import { metricsApi, tracingApi, type Otel } from './otel-api';
import { extractTraceContext } from './trace-context';

/** @internal Count an event published to a dead-letter topic. */
export function countDeadLetter(filter: string, handler: string): void {
  const metrics = metricsApi();
  if (metrics === undefined) return;
  instrumentsOf(metrics).deadLettered.add(1, {
    [MESSAGING_DESTINATION_TEMPLATE]: filter,
    [BUSLINE_HANDLER]: handler,
  });
}

/** @internal Where a handler takes events: transport, client, subscription filter, handler. */
export interface ProcessScope {
  readonly system: string;
  readonly clientId: string;
  readonly filter: string;
  readonly handler: string;
}

/**
 * @internal The telemetry of one handler's handling of one event: a `CONSUMER` span
 * `process <filter>` whose parent is the publisher's span (from the event's headers), the
 * duration histogram and the counters. Made by {@link ProcessTelemetry.start} only when the
 * application registered a tracer or meter provider.
 */
export class ProcessTelemetry {
  private readonly started = performance.now();
  private readonly span: Span | undefined;
  private readonly context: Context | undefined;
  /** The metrics' attributes (low cardinality: the filter, never the topic). */
  private readonly attributes: Attributes | undefined;

  private constructor(
    private readonly tracing: Otel | undefined,
    private readonly metrics: Otel | undefined,
    scope: ProcessScope,
    topic: string,
    event: Event,
  ) {
    const messageType = messageTypeOf(event.payload);
    if (tracing !== undefined) {
      const parent = extractTraceContext(tracing, event.headers);
      this.span = tracing.trace.getTracer(INSTRUMENTATION_SCOPE).startSpan(
        `process ${scope.filter}`,
        {
          kind: tracing.SpanKind.CONSUMER,
          attributes: {
            [MESSAGING_SYSTEM]: scope.system,
            [MESSAGING_DESTINATION_NAME]: topic,
            [MESSAGING_DESTINATION_TEMPLATE]: scope.filter,
            [MESSAGING_OPERATION_TYPE]: 'process',
            [MESSAGING_OPERATION_NAME]: 'process',
            [MESSAGING_MESSAGE_ID]: event.identifier,
            [MESSAGING_CLIENT_ID]: scope.clientId,
            [BUSLINE_MESSAGE_TYPE]: messageType,
            [BUSLINE_HANDLER]: scope.handler,
          },
        },
        parent,
      );
      // The handler's own spans and publishes continue the trace from this span.
      this.context = tracing.trace.setSpan(parent, this.span);
    }
    if (metrics !== undefined) {
      this.attributes = {
        [MESSAGING_SYSTEM]: scope.system,
        [MESSAGING_DESTINATION_TEMPLATE]: scope.filter,
        [MESSAGING_OPERATION_NAME]: 'process',
        [BUSLINE_MESSAGE_TYPE]: messageType,
        [BUSLINE_HANDLER]: scope.handler,
      };
      instrumentsOf(metrics).consumed.add(1, this.attributes);
    }
  }

  /** Telemetry for this handling, or `undefined` when no provider is registered. */
  static start(scope: ProcessScope, topic: string, event: Event): ProcessTelemetry | undefined {
    const tracing = tracingApi();
    const metrics = metricsApi();
    if (tracing === undefined && metrics === undefined) return undefined;
    return new ProcessTelemetry(tracing, metrics, scope, topic, event);
  }

  /** Run `fn` (the handler call) with the handling's span active. */
  run<T>(fn: () => T): T {
    if (this.tracing === undefined || this.context === undefined) return fn();
    return this.tracing.context.with(this.context, fn);
  }

  /** Attempt `attempt` failed with `error` and the handler will be called again. */
  retrying(attempt: number, error: unknown, wait: number): void {
    this.span?.addEvent('busline.retry', {
      [BUSLINE_ATTEMPT]: attempt,
      'busline.retry.delay_ms': wait,
      [ERROR_TYPE]: errorTypeOf(error),
      'exception.message': error instanceof Error ? error.message : String(error),
    });
    if (this.metrics !== undefined) {
      instrumentsOf(this.metrics).retried.add(1, this.attributes);
    }
  }

  /** The handling ended: successfully when `error` is undefined, after `attempts` calls. */
  end(error: unknown, attempts: number): void {
    const failed = error !== undefined;
    if (this.span !== undefined && this.tracing !== undefined) {
      this.span.setAttribute(BUSLINE_ATTEMPTS, attempts);
      if (failed) {
        const cause = errorCause(error);
        this.span.recordException(cause instanceof Error ? cause : String(cause));
        this.span.setStatus({
          code: this.tracing.SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
        this.span.setAttribute(ERROR_TYPE, errorTypeOf(cause));
      }
      this.span.end();
    }
    if (this.metrics !== undefined) {
      const instruments = instrumentsOf(this.metrics);
      const attributes = failed
        ? { ...this.attributes, [ERROR_TYPE]: errorTypeOf(errorCause(error)) }
        : this.attributes;
      instruments.processDuration.record((performance.now() - this.started) / 1000, attributes);
      if (failed) instruments.failed.add(1, attributes);
    }
  }
}

function errorCause(error: unknown): unknown {
  return error instanceof Error && error.cause instanceof Error ? error.cause : error;
}
