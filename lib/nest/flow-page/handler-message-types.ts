import type { DiscoveredHandler } from '../busline.explorer';

/**
 * @internal By binding (`ClassName.method`), the message class name of each handler's whole-payload
 * parameter (`@Payload() order: NewOrderMessage`), for the handlers that declare one.
 */
export function handlerMessageTypes(
  handlers: readonly DiscoveredHandler[],
): ReadonlyMap<string, string> {
  const types = new Map<string, string>();
  for (const handler of handlers) {
    const payload = handler.params.find((p) => p.kind === 'payload' && p.property === undefined);
    if (payload === undefined) continue;
    const type = handler.paramTypes[payload.index];
    if (typeof type !== 'function') continue;
    const prototype = (type as { prototype?: { serialize?: unknown } }).prototype;
    if (typeof prototype?.serialize === 'function') types.set(handler.binding, type.name);
  }
  return types;
}
