import 'reflect-metadata';
import { BUSLINE_HANDLER_PARAMS_METADATA } from '../busline.constants';

/** @internal What a handler parameter receives. */
export type HandlerParamKind = 'payload' | 'topic' | 'event' | 'params';

/** @internal One decorated parameter of a handler method. */
export interface HandlerParamMetadata {
  readonly index: number;
  readonly kind: HandlerParamKind;
  /** A property of the payload or a parameter name, when the decorator was given one. */
  readonly property?: string;
}

/**
 * @internal Build a parameter decorator that records `kind` on the method (the function itself,
 * where `@Subscribe` also keeps its metadata, so the accessor reads both the same way).
 */
export function handlerParam(kind: HandlerParamKind, property?: string): ParameterDecorator {
  if (property !== undefined && (typeof property !== 'string' || property === '')) {
    throw new TypeError(
      `Expected the ${kind} property to be a non-empty string, got ${String(property)}`,
    );
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
    const params: HandlerParamMetadata[] =
      Reflect.getOwnMetadata(BUSLINE_HANDLER_PARAMS_METADATA, method) ?? [];
    Reflect.defineMetadata(
      BUSLINE_HANDLER_PARAMS_METADATA,
      [...params, { index, kind, property }],
      method,
    );
  };
}
