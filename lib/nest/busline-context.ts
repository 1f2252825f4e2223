import type { Event } from '../core/event';

/**
 * What `ExecutionContext.getType()` returns in guards, interceptors and filters that run around a
 * `@Subscribe` handler, next to Nest's `'http'`, `'rpc'` and `'ws'`:
 *
 * ```ts
 * if (context.getType<BuslineContextType>() === BUSLINE_CONTEXT_TYPE) { ... }
 * ```
 */
export const BUSLINE_CONTEXT_TYPE = 'busline';

/** The type of {@link BUSLINE_CONTEXT_TYPE}, for `context.getType<BuslineContextType>()`. */
export type BuslineContextType = typeof BUSLINE_CONTEXT_TYPE;

/**
 * Where a `@Subscribe` handler's event comes from. Guards, interceptors and filters get it from
 * `context.switchToRpc().getContext()` (the payload is `switchToRpc().getData()`), a handler from
 * `@Ctx()`. One is made for each call of the handler, retries included.
 */
export class BuslineContext {
  constructor(
    /** The topic the event arrived on, such as `orders/42/created`. */
    readonly topic: string,
    /** The whole event: identifier, publisher identifier, timestamp and payload. */
    readonly event: Event,
    /** Name of the transport that delivered it (`'local'`, `'mqtt'` or the name configured). */
    readonly transport: string,
    /**
     * The named wildcards of the handler's `@Subscribe` topic: with `orders/+id/#rest`, the topic
     * `orders/42/lines/7` gives `{ id: '42', rest: 'lines/7' }`. Empty without named wildcards.
     */
    readonly params: Readonly<Record<string, string>>,
    /** The `@Subscribe` topic as written, such as `orders/+id/#rest`. */
    readonly pattern: string,
    /** Which call of the handler this is for the event: 1, then 2 and on when retried. */
    readonly attempt: number,
  ) {}
}
