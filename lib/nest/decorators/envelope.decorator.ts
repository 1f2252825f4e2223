import { handlerParam, type HandlerParamPipe } from './handler-param';

/**
 * Parameter decorator: the handler receives the whole `Event` (identifier, publisher identifier,
 * timestamp and payload), through the pipes given, if any.
 */
export function Envelope(...pipes: HandlerParamPipe[]): ParameterDecorator {
  return handlerParam('event', undefined, pipes);
}
