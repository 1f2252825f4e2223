import type { ValidatorOptions } from 'class-validator';
import type { BuslineError } from '../core/errors/busline.error';
import { HandlerError } from '../core/errors/handler.error';
import type { Event } from '../core/event';
import type { BuslineEventHandler } from '../core/handlers/event-handler';
import { HandlerFailure } from '../core/request/handler-failure';
import { LOCAL_MESSAGING_SYSTEM } from '../core/telemetry/messaging-attributes';
import { OTEL_PRESENCE } from '../core/telemetry/otel-api';
import { ProcessTelemetry, type ProcessScope } from '../core/telemetry/process-telemetry';
import type { BuslineErrorReporter, FailureTarget } from './busline-error.reporter';
import { BuslineContext } from './busline-context';
import type { HandlerParamMetadata } from './decorators/handler-param';
import { MessageValidationError } from './errors/message-validation.error';
import type { HandlerCall } from './handler-pipeline';
import type { DeadLetterOptions } from './interfaces/dead-letter-options.interface';
import type { RetryOptions } from './interfaces/retry-options.interface';
import type { MessageValidator } from './message-validator';
import { extractTopicParams, type TopicPattern } from './topic-pattern';
import { deliveringTransport } from './transport-dispatcher';

/** @internal Everything a {@link BoundHandler} needs to call one `@Subscribe` method. */
export interface BoundHandlerConfig {
  readonly binding: string;
  readonly pattern: TopicPattern;
  /** The method's call through Nest's pipeline. */
  readonly call: HandlerCall;
  readonly params: readonly HandlerParamMetadata[];
  readonly paramTypes: readonly unknown[];
  readonly validation: ValidatorOptions | false;
  readonly retry: RetryOptions | undefined;
  readonly deadLetter: DeadLetterOptions | undefined;
  readonly telemetry: BoundHandlerTelemetry;
}

/** @internal What the OpenTelemetry spans and metrics of the handlers say of their client. */
export interface BoundHandlerTelemetry {
  /** The client's identifier (`messaging.client.id`). */
  readonly clientId: string;
  /** By transport name, the `messaging.system` of its subscriber. */
  readonly systems: ReadonlyMap<string, string>;
}

/** @internal Services shared by every handler of an application. */
export interface BoundHandlerServices {
  readonly validator: MessageValidator;
  readonly reporter: BuslineErrorReporter;
  /** Aborted when the application shuts down: pending retries stop waiting. */
  readonly shutdown: AbortSignal;
}

/**
 * @internal How the handling of one event by one method ended: its result (as the interceptors
 * mapped it), or the error reported, after `attempts` calls (0: the message was invalid and the
 * method never ran).
 */
export type HandlerOutcome =
  | { readonly ok: true; readonly result: unknown; readonly attempts: number }
  | { readonly ok: false; readonly error: BuslineError; readonly attempts: number };

/**
 * @internal One `@Subscribe` method as a {@link BuslineEventHandler}: checks the payload (its class
 * and its class-validator constraints), calls the method through Nest's pipeline with a
 * {@link BuslineContext}, calls it again if a retry policy says so, and reports what fails.
 * `handle()` resolves with the method's result (the reply, when the event is a request), and never
 * rejects: a failure is reported, so it neither stops the subscription nor touches other
 * handlers, and resolves with a {@link HandlerFailure}, which a request's requester gets as an
 * error reply.
 */
export class BoundHandler implements BuslineEventHandler, FailureTarget {
  readonly name: string;
  readonly binding: string;
  readonly filter: string;
  readonly deadLetter: DeadLetterOptions | undefined;
  private readonly expectedClass: (abstract new (...args: never[]) => unknown) | undefined;

  constructor(
    private readonly config: BoundHandlerConfig,
    private readonly services: BoundHandlerServices,
  ) {
    this.name = this.binding = config.binding;
    this.filter = config.pattern.source;
    this.deadLetter = config.deadLetter;
    this.expectedClass = expectedMessageClass(config.params, config.paramTypes);
  }

  handle(topic: string, event: Event): Promise<unknown> {
    // Read now: the transport is only known while the delivery hands the event over.
    const transport = deliveringTransport() ?? 'unknown';
    if (!OTEL_PRESENCE.registered) return this.process(topic, event, transport, undefined);
    const telemetry = ProcessTelemetry.start(this.scopeOf(transport), topic, event);
    if (telemetry === undefined) return this.process(topic, event, transport, undefined);
    return telemetry.run(() => this.process(topic, event, transport, telemetry));
  }

  /** What this method's spans and metrics say of it when `transport` delivers. */
  private scopeOf(transport: string): ProcessScope {
    const { clientId, systems } = this.config.telemetry;
    return {
      system: systems.get(transport) ?? LOCAL_MESSAGING_SYSTEM,
      clientId,
      filter: this.filter,
      handler: this.binding,
    };
  }

  private async process(
    topic: string,
    event: Event,
    transport: string,
    telemetry: ProcessTelemetry | undefined,
  ): Promise<unknown> {
    const invalid = this.checkClass(topic, event) ?? (await this.validate(topic, event));
    const outcome: HandlerOutcome =
      invalid === undefined
        ? await this.run(topic, event, transport, telemetry)
        : { ok: false, error: invalid, attempts: 0 };
    try {
      return await this.settle(topic, event, outcome);
    } finally {
      // After settle(): a dead letter's publish is part of the failed handling's span.
      telemetry?.end(outcome.ok ? undefined : outcome.error, outcome.attempts);
    }
  }

  /**
   * Where the outcome of an event's handling is known, in one place: a failure is reported
   * (logged, passed to `onError`, dead-lettered), a result returned.
   */
  private async settle(topic: string, event: Event, outcome: HandlerOutcome): Promise<unknown> {
    if (outcome.ok) return outcome.result;
    const { error, attempts } = outcome;
    await this.services.reporter.handlerFailed(this, topic, event, error, attempts);
    // For a request: the requester gets an error reply rather than waiting for its timeout.
    return new HandlerFailure(error.cause ?? error);
  }

  /** Call the method, and again while it fails and the retry policy allows. */
  private async run(
    topic: string,
    event: Event,
    transport: string,
    telemetry: ProcessTelemetry | undefined,
  ): Promise<HandlerOutcome> {
    const { call, pattern, retry } = this.config;
    const params = extractTopicParams(pattern, topic);
    for (let attempt = 1; ; attempt++) {
      const context = new BuslineContext(topic, event, transport, params, pattern.source, attempt);
      try {
        return { ok: true, result: await call(event.payload, context), attempts: attempt };
      } catch (error) {
        if (retry !== undefined && attempt <= retry.retries && !this.services.shutdown.aborted) {
          const wait = backoff(retry, attempt);
          this.services.reporter.retrying(this, topic, event, error, attempt, retry.retries, wait);
          telemetry?.retrying(attempt, error, wait);
          if (await sleep(wait, this.services.shutdown)) continue;
        }
        const failure = new HandlerError(topic, event.identifier, this.binding, error);
        return { ok: false, error: failure, attempts: attempt };
      }
    }
  }

  private async validate(topic: string, event: Event): Promise<MessageValidationError | undefined> {
    if (this.config.validation === false) return undefined;
    const errors = await this.services.validator.validate(event, this.config.validation);
    if (errors === undefined || errors.length === 0) return undefined;
    const messageType = event.payload?.constructor.name ?? 'null';
    return new MessageValidationError(topic, event.identifier, this.binding, messageType, errors);
  }

  private checkClass(topic: string, event: Event): MessageValidationError | undefined {
    const expected = this.expectedClass;
    if (expected === undefined || event.payload instanceof expected) return undefined;
    const got =
      event.payload === null ? 'no payload' : `a ${event.payload.constructor.name} instance`;
    return new MessageValidationError(
      topic,
      event.identifier,
      this.binding,
      event.payload === null ? 'null' : event.payload.constructor.name,
      [],
      [`expected a ${expected.name} instance (the type of the @Payload() parameter), got ${got}`],
    );
  }
}

/** The message class the whole-payload parameter declares, if it declares one. */
function expectedMessageClass(
  params: readonly HandlerParamMetadata[],
  paramTypes: readonly unknown[],
): (abstract new (...args: never[]) => unknown) | undefined {
  const payload = params.find((p) => p.kind === 'payload' && p.property === undefined);
  if (payload === undefined) return undefined;
  const type = paramTypes[payload.index];
  if (typeof type !== 'function') return undefined;
  const prototype = (type as { prototype?: { serialize?: unknown } }).prototype;
  if (typeof prototype?.serialize !== 'function') return undefined;
  return type as abstract new (...args: never[]) => unknown;
}

function backoff(retry: RetryOptions, attempt: number): number {
  const delay = (retry.delay ?? 100) * (retry.factor ?? 2) ** (attempt - 1);
  return Math.min(delay, retry.maxDelay ?? 30_000);
}

/** Resolves `true` after `ms`, or `false` as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
