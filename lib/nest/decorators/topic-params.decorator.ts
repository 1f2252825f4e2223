import { handlerParam, propertyAndPipes, type HandlerParamPipe } from './handler-param';

/**
 * Parameter decorator: the handler receives the named wildcard levels of its `@Subscribe` topic,
 * as an object, or one of them with `@TopicParams('id')`, through the pipes given, if any
 * (`@TopicParams('id', ParseIntPipe)`). With `@Subscribe('orders/+id/#rest')`, the topic
 * `orders/42/lines/7` gives `{ id: '42', rest: 'lines/7' }`.
 */
export function TopicParams(...pipes: HandlerParamPipe[]): ParameterDecorator;
export function TopicParams(name?: string, ...pipes: HandlerParamPipe[]): ParameterDecorator;
export function TopicParams(
  ...args: (string | HandlerParamPipe | undefined)[]
): ParameterDecorator {
  const [name, pipes] = propertyAndPipes(args);
  return handlerParam('params', name, pipes);
}
