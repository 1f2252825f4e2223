import { handlerParam } from './handler-param';

/**
 * Parameter decorator: the handler receives the whole `Event` (identifier, publisher identifier,
 * timestamp and payload).
 */
export function Envelope(): ParameterDecorator {
  return handlerParam('event');
}
