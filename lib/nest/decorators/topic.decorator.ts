import { handlerParam, type HandlerParamPipe } from './handler-param';

/**
 * Parameter decorator: the handler receives the topic the event arrived on, through the pipes
 * given, if any.
 */
export function Topic(...pipes: HandlerParamPipe[]): ParameterDecorator {
  return handlerParam('topic', undefined, pipes);
}
