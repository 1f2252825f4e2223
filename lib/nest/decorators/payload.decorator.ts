import { handlerParam } from './handler-param';

/**
 * Parameter decorator: the handler receives the event's payload (the message), or one of its
 * properties with `@Payload('id')`. When the parameter's type is a message class, a payload of
 * another class never reaches the handler (it is reported as a `MessageValidationError`).
 */
export function Payload(property?: string): ParameterDecorator {
  return handlerParam('payload', property);
}
