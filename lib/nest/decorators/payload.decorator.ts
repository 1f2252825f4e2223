import { handlerParam, propertyAndPipes, type HandlerParamPipe } from './handler-param';

/**
 * Parameter decorator: the handler receives the event's payload (the message), or one of its
 * properties with `@Payload('id')`. Pipes given after it (or alone) transform the value, as with
 * Nest's `@Body()`: `@Payload('quantity', ParseIntPipe)`. When the parameter's type is a message
 * class, a payload of another class never reaches the handler (it is reported as a
 * `MessageValidationError`).
 */
export function Payload(...pipes: HandlerParamPipe[]): ParameterDecorator;
export function Payload(property?: string, ...pipes: HandlerParamPipe[]): ParameterDecorator;
export function Payload(...args: (string | HandlerParamPipe | undefined)[]): ParameterDecorator {
  const [property, pipes] = propertyAndPipes(args);
  return handlerParam('payload', property, pipes);
}
