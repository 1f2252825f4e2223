import 'reflect-metadata';
import type { PipeTransform, Type } from '@nestjs/common';

/** @internal What a handler parameter receives. */
export type HandlerParamKind = 'payload' | 'topic' | 'event' | 'params' | 'context';

/** @internal One decorated parameter of a handler method. */
export interface HandlerParamMetadata {
  readonly index: number;
  readonly kind: HandlerParamKind;
  /** A property of the payload or a parameter name, when the decorator was given one. */
  readonly property?: string;
}

/** A pipe for a handler parameter: an instance, or a class Nest instantiates. */
export type HandlerParamPipe = PipeTransform | Type<PipeTransform>;

/**
 * @internal The metadata key of Nest's own parameter decorators and of `createParamDecorator()`
 * (`ROUTE_ARGS_METADATA` in `@nestjs/common`, the one `@nestjs/microservices` uses too). Busline's
 * decorators write there in Nest's format, so Nest's pipeline resolves every parameter of a
 * handler, the user's custom decorators included.
 */
export const PARAM_ARGS_METADATA = '__routeArguments__';

/**
 * @internal Where `@Subscribe` records the default arguments, `(topic, event)`, in the same
 * format: the pipeline reads them for a method that has no parameter decorator.
 */
export const DEFAULT_ARGS_METADATA = 'busline:default-args';

/**
 * @internal Busline's parameter types, as Nest's pipeline passes them to the params factory.
 * They are none of Nest's `body`, `query` or `param` types, so pipes see `metadata.type` as
 * `'custom'`: a `ValidationPipe` leaves them alone (Busline validates payloads itself, once).
 */
export const PARAM_TYPES: Readonly<Record<HandlerParamKind, number>> = {
  payload: 30,
  topic: 31,
  event: 32,
  params: 33,
  context: 34,
};

const KINDS = new Map<number, HandlerParamKind>(
  Object.entries(PARAM_TYPES).map(([kind, type]) => [type, kind as HandlerParamKind]),
);

/** @internal One parameter in Nest's format (`ROUTE_ARGS_METADATA` entries). */
export interface NestParamEntry {
  readonly index: number;
  readonly data?: unknown;
  readonly pipes?: readonly HandlerParamPipe[];
}

/** @internal Parameters in Nest's format, keyed `<type>:<index>`. */
export type NestParamsMetadata = Readonly<Record<string, NestParamEntry>>;

/** @internal The default arguments `(topic, event)`, in Nest's format. */
export const DEFAULT_ARGS: NestParamsMetadata = {
  [`${PARAM_TYPES.topic}:0`]: { index: 0, pipes: [] },
  [`${PARAM_TYPES.event}:1`]: { index: 1, pipes: [] },
};

/**
 * @internal Build a parameter decorator that records `kind` for the method, in Nest's format on
 * the class (as `@Body()` or `@Payload()` of `@nestjs/microservices` do), with its pipes.
 */
export function handlerParam(
  kind: HandlerParamKind,
  property: string | undefined,
  pipes: readonly HandlerParamPipe[],
): ParameterDecorator {
  if (property !== undefined && (typeof property !== 'string' || property === '')) {
    throw new TypeError(
      `Expected the ${kind} property to be a non-empty string, got ${String(property)}`,
    );
  }
  for (const pipe of pipes) {
    if (!isPipe(pipe)) {
      throw new TypeError(
        `Expected pipes (instances with transform(), or their classes) after the ${kind} ` +
          `decorator's first argument, got ${String(pipe)}`,
      );
    }
  }
  return (target, propertyKey, index) => {
    const method =
      propertyKey === undefined
        ? undefined
        : (target as Record<string | symbol, unknown>)[propertyKey];
    if (typeof method !== 'function') {
      throw new TypeError(
        `Busline's parameter decorators go on handler methods; ${String(propertyKey ?? 'a constructor')} is not one`,
      );
    }
    const host = target.constructor;
    const params: NestParamsMetadata =
      Reflect.getOwnMetadata(PARAM_ARGS_METADATA, host, propertyKey!) ?? {};
    const entry: NestParamEntry = { index, data: property, pipes: [...pipes] };
    Reflect.defineMetadata(
      PARAM_ARGS_METADATA,
      { ...params, [`${PARAM_TYPES[kind]}:${index}`]: entry },
      host,
      propertyKey!,
    );
  };
}

/**
 * @internal Split a decorator's arguments: a leading string names a property or a parameter, the
 * rest are pipes.
 */
export function propertyAndPipes(
  args: readonly (string | HandlerParamPipe | undefined)[],
): [property: string | undefined, pipes: HandlerParamPipe[]] {
  const [first, ...rest] = args;
  if (typeof first === 'string' || first === undefined) {
    return [first, rest as HandlerParamPipe[]];
  }
  return [undefined, args as HandlerParamPipe[]];
}

/**
 * @internal Busline's parameters of a method, read from its parameter metadata in Nest's format
 * (entries of other decorators are left out).
 */
export function handlerParams(metadata: NestParamsMetadata | undefined): HandlerParamMetadata[] {
  const params: HandlerParamMetadata[] = [];
  for (const [key, entry] of Object.entries(metadata ?? {})) {
    const kind = KINDS.get(Number(key.split(':')[0]));
    if (kind === undefined) continue;
    const property = typeof entry.data === 'string' ? entry.data : undefined;
    params.push({ index: entry.index, kind, property });
  }
  return params.sort((a, b) => a.index - b.index);
}

function isPipe(value: unknown): value is HandlerParamPipe {
  if (typeof value === 'function') return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<PipeTransform>).transform === 'function'
  );
}
