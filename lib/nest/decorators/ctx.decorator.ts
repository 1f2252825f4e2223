import { handlerParam } from './handler-param';

/**
 * Parameter decorator: the handler receives its `BuslineContext` (topic, event, transport,
 * named topic parameters, attempt), the object guards and interceptors get from
 * `context.switchToRpc().getContext()`.
 */
export function Ctx(): ParameterDecorator {
  return handlerParam('context', undefined, []);
}
