import type { Event, EventHeaders } from '../event';
import {
  CORRELATION_ID_HEADER,
  ERROR_HEADER,
  ERROR_NAME_HEADER,
  REPLY_TO_HEADER,
} from '../event-headers';
import type { Publishable } from '../publisher';
import { toMessage } from '../publisher';
import { HandlerFailure } from './handler-failure';

/** @internal How a {@link Replier} publishes its replies (a client's `publish`). */
export type ReplyPublish = (
  topic: string,
  message: Publishable,
  headers: EventHeaders,
) => Promise<Event>;

/** How many answered requests a replier remembers, to answer each once. */
const REMEMBERED = 10_000;

/**
 * @internal Sends the replies of a client's handlers: what a handler returned (or resolved), or
 * an error reply when it threw. Each request is answered once, by correlation identifier, however
 * many copies of it (one per transport) or handlers reached it.
 */
export class Replier {
  private readonly answered = new Set<string>();

  constructor(private readonly publish: ReplyPublish) {}

  /**
   * Reply to `request` with `outcome`: a message or plain value to send, `null` for a reply
   * without payload, a {@link HandlerFailure} for an error reply; `undefined` sends nothing.
   */
  reply(request: Event, outcome: unknown): Promise<void> | undefined {
    if (outcome === undefined) return undefined;
    if (outcome instanceof HandlerFailure) return this.fail(request, outcome.error);
    let message: Publishable;
    try {
      message = toMessage(outcome as Publishable);
    } catch {
      return this.fail(
        request,
        new TypeError(
          `the handler returned ${describe(outcome)}, which is not a reply; return a ` +
            'BuslineMessage, a string, a number, a bigint or null',
        ),
      );
    }
    return this.send(request, message, undefined);
  }

  /** Reply to `request` that its handler failed with `error` (name and message, no stack). */
  fail(request: Event, error: unknown): Promise<void> | undefined {
    const name = error instanceof Error ? error.name : typeof error;
    const text = error instanceof Error ? error.message : String(error);
    return this.send(request, null, { [ERROR_HEADER]: text, [ERROR_NAME_HEADER]: name });
  }

  private send(
    request: Event,
    message: Publishable,
    extra: Record<string, string> | undefined,
  ): Promise<void> | undefined {
    const replyTo = request.headers[REPLY_TO_HEADER];
    const correlation = request.headers[CORRELATION_ID_HEADER];
    if (replyTo === undefined || correlation === undefined || this.answered.has(correlation)) {
      return undefined;
    }
    this.answered.add(correlation);
    if (this.answered.size > REMEMBERED) {
      this.answered.delete(this.answered.values().next().value as string);
    }
    const headers = { ...extra, [CORRELATION_ID_HEADER]: correlation };
    return this.publish(replyTo, message, headers).then(() => undefined);
  }
}

/**
 * @internal Call `handle` and, when `event` is a request and there is a `replier`, reply with its
 * outcome. A handler that throws or rejects still does so (its subscriber reports it) after its
 * error reply went out.
 */
export function handleWithReply(
  replier: Replier | undefined,
  event: Event,
  handle: () => unknown,
): unknown {
  if (replier === undefined || event.headers[REPLY_TO_HEADER] === undefined) return handle();
  let result: unknown;
  try {
    result = handle();
  } catch (error) {
    return rethrowAfter(replier.fail(event, error), error);
  }
  if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') {
    return replier.reply(event, result);
  }
  return Promise.resolve(result).then(
    (value) => replier.reply(event, value),
    (error: unknown) => rethrowAfter(replier.fail(event, error), error),
  );
}

function rethrowAfter(sending: Promise<void> | undefined, error: unknown): Promise<never> {
  const fail = (): never => {
    throw error;
  };
  return sending === undefined ? Promise.reject(error) : sending.then(fail, fail);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'plain'} object`;
  return `a ${typeof value}`;
}
