import type { ParamData } from '@nestjs/common';
import type { ExternalContextCreator, ParamsFactory } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';
import { BUSLINE_CONTEXT_TYPE, type BuslineContext } from './busline-context';
import { PARAM_TYPES } from './decorators/handler-param';

/**
 * @internal One call of a `@Subscribe` method through Nest's pipeline (guards, interceptors,
 * pipes, the method, exception filters), given the payload and the context: what
 * `switchToRpc().getData()` and `getContext()` return. Resolves with the method's result as the
 * interceptors mapped it (or what a filter that handled the error returned); rejects with what
 * the pipeline threw at last (the method's error, a guard's refusal, a filter's error).
 */
export type HandlerCall = (payload: unknown, context: BuslineContext) => Promise<unknown>;

/** @internal What the pipeline needs to know of a `@Subscribe` method. */
export interface PipelineTarget {
  readonly instance: object;
  /** The method's name on the instance. */
  readonly name: string;
  /** The function to call, the one Nest's enhancer decorators annotated. */
  readonly method: (...args: unknown[]) => unknown;
  /** Where the method's parameter metadata is (see `SubscribedMethod.paramsMetadataKey`). */
  readonly paramsMetadataKey: string;
}

/**
 * @internal Gives each parameter of a handler its value from the pipeline's arguments,
 * `[payload, context]`, as `@nestjs/microservices`' factory does for RPC handlers.
 */
export class BuslineParamsFactory implements ParamsFactory {
  exchangeKeyForValue(type: number, data: ParamData | undefined, args: unknown[]): unknown {
    const payload = args[0];
    const context = args[1] as BuslineContext;
    switch (type) {
      case PARAM_TYPES.payload:
        return typeof data === 'string'
          ? (payload as Record<string, unknown> | null | undefined)?.[data]
          : payload;
      case PARAM_TYPES.topic:
        return context.topic;
      case PARAM_TYPES.event:
        return context.event;
      case PARAM_TYPES.params:
        return typeof data === 'string' ? context.params[data] : context.params;
      case PARAM_TYPES.context:
        return context;
      default:
        return undefined;
    }
  }
}

const PARAMS_FACTORY = new BuslineParamsFactory();

/**
 * @internal The pipeline of one `@Subscribe` method, made once at startup with Nest's
 * `ExternalContextCreator` (as `@nestjs/microservices` and golevelup's RabbitMQ module do): the
 * guards, interceptors, pipes and filters of the method, of its class and of the application
 * (`app.useGlobal*()` before `init()`, or `APP_*` providers) apply, with `'busline'` as the
 * context type.
 */
export function createHandlerCall(
  creator: ExternalContextCreator,
  target: PipelineTarget,
): HandlerCall {
  const proxy = creator.create(
    target.instance,
    target.method,
    target.name,
    target.paramsMetadataKey,
    PARAMS_FACTORY,
    undefined,
    undefined,
    { guards: true, interceptors: true, filters: true },
    BUSLINE_CONTEXT_TYPE,
  );
  return async (payload, context) => {
    const result: unknown = await proxy(payload, context);
    // The method's own Observable is resolved by the pipeline; one a filter returned is not.
    return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
  };
}
