import { handlerParam } from './handler-param';

/** Parameter decorator: the handler receives the topic the event arrived on. */
export function Topic(): ParameterDecorator {
  return handlerParam('topic');
}
