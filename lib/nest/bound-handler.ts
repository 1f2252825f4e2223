import type { ValidatorOptions } from 'class-validator';
import type { BuslineError } from '../core/errors/busline.error';
import { HandlerError } from '../core/errors/handler.error';
import type { Event } from '../core/event';
import type { BuslineEventHandler } from '../core/handlers/event-handler';
import type { BuslineErrorReporter, FailureTarget } from './busline-error.reporter';
import type { HandlerParamMetadata } from './decorators/handler-param';
import { MessageValidationError } from './errors/message-validation.error';
import type { DeadLetterOptions } from './interfaces/dead-letter-options.interface';
import type { RetryOptions } from './interfaces/retry-options.interface';
import type { MessageValidator } from './message-validator';
import { extractTopicParams, paramValue, type TopicPattern } from './topic-pattern';

/** @internal Everything a {@link BoundHandler} needs to call one `@Subscribe` method. */
export interface BoundHandlerConfig {
  readonly binding: string;
  readonly pattern: TopicPattern;
  readonly instance: object;
  readonly method: (...args: unknown[]) => unknown;
  readonly params: readonly HandlerParamMetadata[];
  readonly paramTypes: readonly unknown[];
  readonly validation: ValidatorOptions | false;
  readonly retry: RetryOptions | undefined;
  readonly deadLetter: DeadLetterOptions | undefined;
}

/** @internal Services shared by every handler of an application. */
export interface BoundHandlerServices {
  readonly validator: MessageValidator;
  readonly reporter: BuslineErrorReporter;
  /** Aborted when the application shuts down: pending retries stop waiting. */
  readonly shutdown: AbortSignal;
}

type ArgResolver = (topic: string, event: Event) => unknown;

/** For each parameter kind, its resolver, made once per handler from the decorator's argument. */
const RESOLVERS: Record<
  HandlerParamMetadata['kind'],
  (property: string | undefined, pattern: TopicPattern) => ArgResolver
> = {
  payload: (property) =>
    property === undefined
      ? (_topic, event) => event.payload
      : (_topic, event) => (event.payload as Record<string, unknown> | null)?.[property],
  topic: () => (topic) => topic,
  event: () => (_topic, event) => event,
  params: (name, pattern) => {
    if (name === undefined) return (topic) => extractTopicParams(pattern, topic);
    const param = pattern.params.find((p) => p.name === name);
    return param === undefined ? () => undefined : (topic) => paramValue(param, topic.split('/'));
  },
};

const DEFAULT_ARGS: readonly ArgResolver[] = [(topic) => topic, (_topic, event) => event];

/**
 * @internal One `@Subscribe` method as a {@link BuslineEventHandler}: checks the payload (its class
 * and its class-validator constraints), builds the arguments, calls the method on its instance,
 * retries it if configured, and reports what fails. Its promise never rejects, so a failure
 * neither stops the subscription nor touches other handlers.
 */
export class BoundHandler implements BuslineEventHandler, FailureTarget {
  readonly name: string;
  readonly binding: string;
  readonly filter: string;
  readonly deadLetter: DeadLetterOptions | undefined;
  private readonly args: readonly ArgResolver[];
  private readonly expectedClass: (abstract new (...args: never[]) => unknown) | undefined;

  constructor(
    private readonly config: BoundHandlerConfig,
    private readonly services: BoundHandlerServices,
  ) {
    this.name = this.binding = config.binding;
    this.filter = config.pattern.source;
    this.deadLetter = config.deadLetter;
    this.args = resolvers(config.params, config.pattern);
    this.expectedClass = expectedMessageClass(config.params, config.paramTypes);
  }

  handle(topic: string, event: Event): Promise<void> | undefined {
    const invalid = this.checkClass(topic, event);
    if (invalid !== undefined) return this.report(topic, event, invalid, 0);
    const validation =
      this.config.validation === false
        ? undefined
        : this.services.validator.validate(event, this.config.validation);
    if (validation === undefined) return this.run(topic, event);
    return validation.then((errors) => {
      if (errors.length === 0) return this.run(topic, event);
      const messageType = event.payload?.constructor.name ?? 'null';
      const error = new MessageValidationError(
        topic,
        event.identifier,
        this.binding,
        messageType,
        errors,
      );
      return this.report(topic, event, error, 0);
    });
  }

  private run(topic: string, event: Event): Promise<void> | undefined {
    const args = this.buildArgs(topic, event);
    let result: unknown;
    try {
      result = this.config.method.apply(this.config.instance, args);
    } catch (error) {
      return this.failed(topic, event, args, error);
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') return undefined;
    return Promise.resolve(result).then(
      () => undefined,
      (error: unknown) => this.failed(topic, event, args, error),
    );
  }

  private async failed(
    topic: string,
    event: Event,
    args: unknown[],
    error: unknown,
  ): Promise<void> {
    const retry = this.config.retry;
    let attempts = 1;
    while (retry !== undefined && attempts <= retry.retries && !this.services.shutdown.aborted) {
      const wait = backoff(retry, attempts);
      this.services.reporter.retrying(this, topic, event, error, attempts, retry.retries, wait);
      if (!(await sleep(wait, this.services.shutdown))) break;
      attempts++;
      try {
        await this.config.method.apply(this.config.instance, args);
        return;
      } catch (next) {
        error = next;
      }
    }
    const failure = new HandlerError(topic, event.identifier, this.binding, error);
    await this.report(topic, event, failure, attempts);
  }

  private report(
    topic: string,
    event: Event,
    error: BuslineError,
    attempts: number,
  ): Promise<void> {
    return this.services.reporter.handlerFailed(this, topic, event, error, attempts);
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

  private buildArgs(topic: string, event: Event): unknown[] {
    const resolvers = this.args;
    const args = new Array<unknown>(resolvers.length);
    for (let i = 0; i < resolvers.length; i++) {
      args[i] = resolvers[i]?.(topic, event);
    }
    return args;
  }
}

function resolvers(
  params: readonly HandlerParamMetadata[],
  pattern: TopicPattern,
): readonly ArgResolver[] {
  if (params.length === 0) return DEFAULT_ARGS;
  const list: ArgResolver[] = [];
  for (const param of params) list[param.index] = RESOLVERS[param.kind](param.property, pattern);
  return list;
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
