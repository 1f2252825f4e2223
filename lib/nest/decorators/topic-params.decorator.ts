import { handlerParam } from './handler-param';

/**
 * Parameter decorator: the handler receives the named wildcard levels of its `@Subscribe` topic,
 * as an object, or one of them with `@TopicParams('id')`. With `@Subscribe('orders/+id/#rest')`,
 * the topic `orders/42/lines/7` gives `{ id: '42', rest: 'lines/7' }`.
 */
export function TopicParams(name?: string): ParameterDecorator {
  return handlerParam('params', name);
}
